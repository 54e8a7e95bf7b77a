package io.neighd.wire;

import org.junit.jupiter.api.Test;

import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * ND messages as neighd builds them: header, flags and options at RFC 4861's offsets, and the
 * ICMPv6 checksum checked against an independent RFC 1071 sum over pseudo-header and message
 * (the live tests show kernel peers accepting them).
 */
class NdMessageTest {
    private static final Ipv6Address LL = Ipv6Address.parse("fe80::4e:44ff:fe00:1");
    private static final Ipv6Address PEER = Ipv6Address.parse("fe80::4e:44ff:fe00:11");
    private static final long MAC = MacAddress.parse("02:4e:44:00:00:01").bits();

    /**
     * A solicited NA for fe80::4e:44ff:fe00:1 to fe80::4e:44ff:fe00:11 with S and O and a TLLAO,
     * checksum computed independently as RFC 1071 over the pseudo-header and message.
     */
    @Test
    void solicitedAdvertisementChecksumVerifies() {
        byte[] p = NdMessage.na(LL.hi(), LL.lo(), PEER.hi(), PEER.lo(), LL.hi(), LL.lo(),
                NdMessage.FLAG_SOLICITED | NdMessage.FLAG_OVERRIDE, MAC);

        assertThat(p).hasSize(40 + 32);
        assertThat(Ipv6Packet.version(p, 0)).isEqualTo(6);
        assertThat(Ipv6Packet.hopLimit(p, 0)).isEqualTo(255);
        assertThat(Ipv6Packet.payloadLength(p, 0)).isEqualTo(32);
        assertThat(Icmpv6.checksum(p, 40, 32, LL.hi(), LL.lo(), PEER.hi(), PEER.lo())).isZero();
        assertThat(independentChecksum(p)).isZero();
        assertThat(HexFormat.of().formatHex(p, 40, 72)).isEqualTo(
                "88" + "00" + HexFormat.of().formatHex(p, 42, 44) + "60000000" + "fe80000000000000004e44fffe000001"
                        + "0201024e44000001");
    }

    @Test
    void dadSolicitationHasNoSourceLinkLayerOptionButANonce() {
        Ipv6Address target = Ipv6Address.parse("2001:db8::1");
        Ipv6Address group = target.solicitedNode();
        byte[] p = NdMessage.ns(0, 0, group.hi(), group.lo(), target.hi(), target.lo(), NdMessage.NO_LLADDR,
                0x0102_0304_0506L);

        assertThat(p).hasSize(40 + 24 + 8);
        NdOptions o = new NdOptions();
        assertThat(o.parse(p, 64, 8)).isTrue();
        assertThat(o.srcLladdr).isEqualTo(-1);
        assertThat(o.nonceValue()).isEqualTo(0x0102_0304_0506L);
        assertThat(independentChecksum(p)).isZero();
    }

    @Test
    void optionWalkFailsLikeNdiscParseOptions() {
        NdOptions o = new NdOptions();
        byte[] b = {1, 1, 2, 0, 0, 0, 0, 1, /* zero length */ 5, 0, 0, 0, 0, 0, 0, 0};
        assertThat(o.parse(b, 0, 8)).isTrue();
        assertThat(o.lladdr(o.srcLladdr)).isEqualTo(0x0200_0000_0001L);
        assertThat(o.parse(b, 0, 16)).as("zero-length option").isFalse();
        assertThat(o.parse(b, 0, 7)).as("option past the end").isFalse();
        assertThat(o.parse(b, 0, 1)).as("half an option header").isFalse();
        byte[] two = {1, 2, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0};
        assertThat(o.parse(two, 0, 16)).isTrue();
        assertThat(o.lladdr(o.srcLladdr)).as("a 16-byte lladdr option on Ethernet").isEqualTo(NdOptions.BAD_LLADDR);
    }

    private static int independentChecksum(byte[] p) {
        long sum = 0;
        byte[] pseudo = new byte[40];
        System.arraycopy(p, 8, pseudo, 0, 32);
        int len = p.length - 40;
        pseudo[34] = (byte) (len >>> 8);
        pseudo[35] = (byte) len;
        pseudo[39] = 58;
        byte[] all = new byte[40 + len];
        System.arraycopy(pseudo, 0, all, 0, 40);
        System.arraycopy(p, 40, all, 40, len);
        for (int i = 0; i + 1 < all.length; i += 2) {
            sum += ((all[i] & 0xff) << 8) | (all[i + 1] & 0xff);
        }
        while (sum >> 16 != 0) {
            sum = (sum & 0xffff) + (sum >> 16);
        }
        return (int) (~sum & 0xffff);
    }
}
