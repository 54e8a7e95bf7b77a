package io.neighd.wire;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The IPv6 header (RFC 8200 §3), the ICMPv6 header and checksum (RFC 4443 §2.1, §2.3: the
 * pseudo-header of RFC 8200 §8.1) and the fixed parts of the ND messages (RFC 4861 §4.2, §4.4),
 * read at their offsets inside an Ethernet frame. The expected bytes were computed apart from
 * neighd (Python's struct and ipaddress, the RFC 1071 sum).
 */
class Ipv6PacketTest {
    private static final HexFormat HEX = HexFormat.of();
    private static final Ipv6Address SRC = Ipv6Address.parse("2001:db8::1");
    private static final Ipv6Address DST = Ipv6Address.parse("fe80::4e:44ff:fe00:1");
    /** An echo reply, traffic class 0xb8, hop limit 64, id 0x1234, sequence 0xabcd, data "neighd!" */
    private static final String ECHO_REPLY = "6b800000000f3a40" + "20010db8000000000000000000000001"
            + "fe80000000000000004e44fffe000001" + "8100eff81234abcd6e656967686421";

    @Test
    void echoIsTheWholePacketWithItsChecksum() {
        byte[] data = "xxneighd!yy".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

        byte[] p = NdMessage.echo(Icmpv6.ECHO_REPLY, 0xb8, 64, SRC.hi(), SRC.lo(), DST.hi(), DST.lo(),
                0x1234, 0xabcd, data, 2, 7);

        assertThat(HEX.formatHex(p)).isEqualTo(ECHO_REPLY);
    }

    @Test
    void headerFieldsAtTheirOffsetsInAFrame() {
        byte[] frame = inFrame(ECHO_REPLY);
        frame[14 + 1] |= 0x0a; // a flow label, which the traffic class must not take in
        frame[14 + 40 + 1] = 3; // a code, for the reader

        assertThat(Ipv6Packet.version(frame, 14)).isEqualTo(6);
        assertThat(Ipv6Packet.flowWord(frame, 14)).isEqualTo(0x6b8a0000);
        assertThat(Ipv6Packet.trafficClass(frame, 14)).isEqualTo(0xb8);
        assertThat(Ipv6Packet.payloadLength(frame, 14)).isEqualTo(15);
        assertThat(Ipv6Packet.nextHeader(frame, 14)).isEqualTo(58);
        assertThat(Ipv6Packet.hopLimit(frame, 14)).isEqualTo(64);
        assertThat(Icmpv6.type(frame, 54)).isEqualTo(Icmpv6.ECHO_REPLY);
        assertThat(Icmpv6.code(frame, 54)).isEqualTo(3);
        assertThat(Icmpv6.identifier(frame, 54)).isEqualTo(0x1234);
        assertThat(Icmpv6.sequence(frame, 54)).isEqualTo(0xabcd);
    }

    @Test
    void writeHeaderAtAnOffsetLeavesTheRestAlone() {
        byte[] frame = new byte[14 + 40 + 1];
        Arrays.fill(frame, (byte) 0x55);

        Ipv6Packet.writeHeader(frame, 14, 0x1e1, 0x1234, 58, 255, SRC.hi(), SRC.lo(), DST.hi(), DST.lo());

        assertThat(HEX.formatHex(frame)).isEqualTo("5555555555555555555555555555" + "6e10000012343aff"
                + "20010db8000000000000000000000001" + "fe80000000000000004e44fffe000001" + "55");
    }

    @Test
    void fillChecksumAtAnOffsetAndItVerifies() {
        byte[] frame = inFrame(ECHO_REPLY);
        frame[54 + 2] = 0x77;
        frame[54 + 3] = 0x77;

        Icmpv6.fillChecksum(frame, 54, 15, SRC.hi(), SRC.lo(), DST.hi(), DST.lo());

        assertThat(HEX.formatHex(frame, 54, 58)).isEqualTo("8100eff8");
        assertThat(frame[53]).isEqualTo((byte) 0x01);
        assertThat(frame[58]).isEqualTo((byte) 0x12);
        assertThat(Icmpv6.checksum(frame, 54, 15, SRC.hi(), SRC.lo(), DST.hi(), DST.lo())).isZero();
    }

    /** RFC 4861 §4.2: cur hop limit, flags, router lifetime, reachable time, retrans timer (unsigned). */
    @Test
    void routerAdvertisementFields() {
        byte[] frame = inFrame("0".repeat(80) + "86000000" + "40c00708" + "00007530" + "80000001");

        assertThat(NdMessage.raHopLimit(frame, 54)).isEqualTo(64);
        assertThat(NdMessage.raRouterLifetime(frame, 54)).isEqualTo(1800);
        assertThat(NdMessage.raReachableTime(frame, 54)).isEqualTo(30_000);
        assertThat(NdMessage.raRetransTimer(frame, 54)).isEqualTo(0x8000_0001L);
    }

    /** RFC 4861 §4.4: the R, S, O flags and the target address. */
    @Test
    void neighbourAdvertisementFlagsAndTarget() {
        byte[] frame = inFrame("0".repeat(80) + "88000000" + "e0000000" + "20010db8000000000000000000000001");

        assertThat(NdMessage.naFlags(frame, 54)).isEqualTo(0xe0);
        assertThat(NdMessage.targetHi(frame, 54)).isEqualTo(SRC.hi());
        assertThat(NdMessage.targetLo(frame, 54)).isEqualTo(SRC.lo());
    }

    @Test
    void typeNames() {
        assertThat(Icmpv6.typeName(Icmpv6.NEIGHBOUR_SOLICITATION)).isEqualTo("neighbour solicitation");
        assertThat(Icmpv6.typeName(Icmpv6.ECHO_REPLY)).isEqualTo("echo reply");
    }

    /** The packet behind a 14-byte Ethernet header, one byte of slack after it. */
    private static byte[] inFrame(String ipv6Hex) {
        byte[] p = HEX.parseHex(ipv6Hex);
        byte[] frame = new byte[14 + p.length + 1];
        System.arraycopy(p, 0, frame, 14, p.length);
        frame[13] = 1;
        frame[frame.length - 1] = 0x12;
        return frame;
    }
}
