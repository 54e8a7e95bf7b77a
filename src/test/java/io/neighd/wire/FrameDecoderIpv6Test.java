package io.neighd.wire;

import org.junit.jupiter.api.Test;

import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * IPv6 behind Ethernet II (EtherType 0x86dd), with and without an 802.1Q tag: the fixed header as
 * ip6_rcv_core() checks it first (40 bytes present, version 6); the payload length is only read here.
 */
class FrameDecoderIpv6Test {
    private static final HexFormat HEX = HexFormat.of();
    /** An echo reply, traffic class 0xb8, hop limit 64, 2001:db8::1 to fe80::4e:44ff:fe00:1, 15 bytes of ICMPv6. */
    private static final String PACKET = "6b800000000f3a40" + "20010db8000000000000000000000001"
            + "fe80000000000000004e44fffe000001" + "8100eff81234abcd6e656967686421";
    private static final String ETH = "333300000001" + "024e44000002";

    @Test
    void theFixedHeaderIsRead() {
        byte[] f = HEX.parseHex(ETH + "86dd" + PACKET + "0000");
        RxFrame rx = new RxFrame();

        assertThat(FrameDecoder.decode(f, f.length, rx)).isNull();

        assertThat(rx.etherType).isEqualTo(EtherType.IPV6);
        assertThat(rx.vlan).isEqualTo(-1);
        assertThat(rx.l3).isEqualTo(14);
        assertThat(rx.ip6TrafficClass).isEqualTo(0xb8);
        assertThat(rx.ip6PayloadLength).isEqualTo(15);
        assertThat(rx.ip6NextHeader).isEqualTo(58);
        assertThat(rx.ip6HopLimit).isEqualTo(64);
        assertThat(new Ipv6Address(rx.ip6SrcHi, rx.ip6SrcLo)).hasToString("2001:db8::1");
        assertThat(new Ipv6Address(rx.ip6DstHi, rx.ip6DstLo)).hasToString("fe80::4e:44ff:fe00:1");
        assertThat(rx.l4).isEqualTo(54);
        assertThat(rx.l4Length).isEqualTo(15);
        // the Ethernet padding is not part of the packet
        assertThat(HEX.formatHex(rx.l3Bytes())).isEqualTo(PACKET);
    }

    @Test
    void behindATagTheHeaderStartsFourBytesLater() {
        byte[] f = HEX.parseHex(ETH + "8100" + "0007" + "86dd" + PACKET);
        RxFrame rx = new RxFrame();

        assertThat(FrameDecoder.decode(f, f.length, rx)).isNull();

        assertThat(rx.vlan).isEqualTo(7);
        assertThat(rx.l3).isEqualTo(18);
        assertThat(rx.ip6HopLimit).isEqualTo(64);
        assertThat(new Ipv6Address(rx.ip6SrcHi, rx.ip6SrcLo)).hasToString("2001:db8::1");
        assertThat(new Ipv6Address(rx.ip6DstHi, rx.ip6DstLo)).hasToString("fe80::4e:44ff:fe00:1");
        assertThat(rx.l4).isEqualTo(58);
        assertThat(HEX.formatHex(rx.l3Bytes())).isEqualTo(PACKET);
    }

    @Test
    void aHeaderMayFillTheFrameExactlyButNotLess() {
        byte[] f = HEX.parseHex(ETH + "86dd" + PACKET);

        assertThat(FrameDecoder.decode(f, 14 + 40, new RxFrame())).isNull();
        assertThat(FrameDecoder.decode(f, 14 + 39, new RxFrame())).isEqualTo(FrameError.TRUNCATED_IPV6);
    }

    @Test
    void aPayloadLengthBeyondTheFrameIsCutToTheFrame() {
        byte[] f = HEX.parseHex(ETH + "86dd" + PACKET);
        RxFrame rx = new RxFrame();

        assertThat(FrameDecoder.decode(f, f.length - 5, rx)).isNull();

        assertThat(rx.l3Bytes()).hasSize(40 + 10);
    }

    @Test
    void versionFourUnderTheIpv6TypeIsRefused() {
        byte[] f = HEX.parseHex(ETH + "86dd" + "4" + PACKET.substring(1));

        assertThat(FrameDecoder.decode(f, f.length, new RxFrame())).isEqualTo(FrameError.BAD_IPV6_VERSION);
    }
}
