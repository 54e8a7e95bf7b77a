package io.neighd.wire;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The IPv4 and ICMP echo builders write each field where RFC 791 and RFC 792 put it, high byte
 * first, and the accessors read them back; values above 255 show the byte order.
 */
class Ipv4PacketTest {
    private static final int SRC = Ipv4Address.parseBits("10.0.0.2");
    private static final int DST = Ipv4Address.parseBits("10.0.0.1");

    @Test
    void theHeaderFieldsReadBackAndTheChecksumVerifies() {
        byte[] p = Ipv4Packet.build(SRC, DST, Ipv4Packet.PROTO_ICMP, 0x1234, 63, new byte[300]);

        assertThat(p).hasSize(320);
        assertThat(Ipv4Packet.version(p, 0)).isEqualTo(4);
        assertThat(Ipv4Packet.ihl(p, 0)).isEqualTo(5);
        assertThat(Ipv4Packet.totalLength(p, 0)).isEqualTo(320);
        assertThat(p[2] & 0xff).isEqualTo(0x01);
        assertThat(Ipv4Packet.identification(p, 0)).isEqualTo(0x1234);
        assertThat(p[4] & 0xff).isEqualTo(0x12);
        assertThat(Ipv4Packet.isFragment(p, 0)).as("DF alone is not a fragment").isFalse();
        assertThat(p[6] & 0xff).isEqualTo(0x40);
        assertThat(Ipv4Packet.ttl(p, 0)).isEqualTo(63);
        assertThat(Ipv4Packet.protocol(p, 0)).isEqualTo(Ipv4Packet.PROTO_ICMP);
        assertThat(Ipv4Packet.source(p, 0)).isEqualTo(SRC);
        assertThat(Ipv4Packet.destination(p, 0)).isEqualTo(DST);
        assertThat(Checksum.compute(p, 0, Ipv4Packet.HEADER)).isZero();
    }

    @Test
    void aTtlAbove127IsReadUnsigned() {
        byte[] p = Ipv4Packet.build(SRC, DST, 17, 1, 255, new byte[0]);

        assertThat(Ipv4Packet.ttl(p, 0)).isEqualTo(255);
    }

    @Test
    void anEchoCarriesTypeCodeIdentifierSequenceAndData() {
        byte[] data = {1, 2, 3};

        byte[] m = IcmpEcho.build(IcmpEcho.TYPE_ECHO_REQUEST, 3, 0x1234, 0xabcd, data, 0, 3);

        assertThat(m).containsExactly(8, 3, m[2], m[3], 0x12, 0x34, 0xab, 0xcd, 1, 2, 3);
        assertThat(IcmpEcho.type(m, 0)).isEqualTo(8);
        assertThat(IcmpEcho.code(m, 0)).isEqualTo(3);
        assertThat(IcmpEcho.identifier(m, 0)).isEqualTo(0x1234);
        assertThat(IcmpEcho.sequence(m, 0)).isEqualTo(0xabcd);
        assertThat(Checksum.compute(m, 0, m.length)).isZero();
        assertThat(IcmpEcho.code(IcmpEcho.build(IcmpEcho.TYPE_ECHO_REPLY, 7, 1, data, 0, 3), 0)).isZero();
    }
}
