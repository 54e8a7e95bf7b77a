package io.neighd.wire;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

/** Ethernet II with and without one IEEE 802.1Q tag (TPID 0x8100, TCI = PCP 3 | DEI 1 | VID 12 bits). */
class FrameDecoderTest {
    private static final long SHA = MacAddress.parse("02:bb:00:00:00:02").bits();
    private static final long DST = MacAddress.parse("02:aa:00:00:00:01").bits();
    private static final int SPA = Ipv4Address.parseBits("10.0.0.2");
    private static final int TPA = Ipv4Address.parseBits("10.0.0.1");

    private static byte[] arp(int vlan) {
        return ArpPacket.frame(1, DST, SHA, vlan, SHA, SPA, 0, TPA);
    }

    private static byte[] withTci(byte[] tagged, int tci) {
        byte[] f = tagged.clone();
        f[14] = (byte) (tci >>> 8);
        f[15] = (byte) tci;
        return f;
    }

    private static RxFrame decodeOk(byte[] f) {
        RxFrame rx = new RxFrame();
        assertThat(FrameDecoder.decode(f, f.length, rx)).isNull();
        return rx;
    }

    @Test
    void untaggedArp() {
        RxFrame rx = decodeOk(arp(-1));

        assertThat(rx.vlan).isEqualTo(-1);
        assertThat(rx.l3).isEqualTo(14);
        assertThat(rx.etherType).isEqualTo(EtherType.ARP);
        assertThat(rx.ethDst).isEqualTo(DST);
        assertThat(rx.ethSrc).isEqualTo(SHA);
        assertThat(rx.arpOp).isEqualTo(1);
        assertThat(rx.spa).isEqualTo(SPA);
        assertThat(rx.tpa).isEqualTo(TPA);
    }

    @ParameterizedTest(name = "TCI 0x{0} is VID {1}")
    @CsvSource({"0064, 100", "e064, 100", "1064, 100", "0fff, 4095", "0001, 1", "0000, 0", "6000, 0"})
    void theVlanIdIsTheLowTwelveBitsOfTheTci(String tci, int vid) {
        RxFrame rx = decodeOk(withTci(arp(5), Integer.parseInt(tci, 16)));

        assertThat(rx.vlan).isEqualTo(vid);
        assertThat(rx.l3).isEqualTo(18);
        assertThat(rx.etherType).isEqualTo(EtherType.ARP);
        assertThat(rx.sha).isEqualTo(SHA);
        assertThat(rx.tpa).isEqualTo(TPA);
    }

    @Test
    void theEncoderWritesTheVidAndNoPriority() {
        byte[] f = arp(4095);

        assertThat(f[12] & 0xff).isEqualTo(0x81);
        assertThat(f[13] & 0xff).isEqualTo(0x00);
        assertThat(((f[14] & 0xff) << 8) | (f[15] & 0xff)).isEqualTo(0x0fff);
        assertThat(((f[16] & 0xff) << 8) | (f[17] & 0xff)).isEqualTo(EtherType.ARP);
    }

    @Test
    void taggedIpv4IsDecodedAfterTheTag() {
        byte[] icmp = IcmpEcho.build(IcmpEcho.TYPE_ECHO_REQUEST, 1, 2, new byte[10], 0, 10);
        byte[] l3 = Ipv4Packet.build(SPA, TPA, Ipv4Packet.PROTO_ICMP, 9, 64, icmp);

        RxFrame rx = decodeOk(EthernetFrame.wrap(DST, SHA, 7, EtherType.IPV4, l3));

        assertThat(rx.vlan).isEqualTo(7);
        assertThat(rx.l3).isEqualTo(18);
        assertThat(rx.l4).isEqualTo(38);
        assertThat(rx.l4Length).isEqualTo(18);
        assertThat(rx.ipSrc).isEqualTo(SPA);
        assertThat(rx.ipTotalLength).isEqualTo(l3.length);
        assertThat(rx.l3Bytes()).isEqualTo(l3);
    }

    @Test
    void aTagCutShortIsATruncatedEthernetHeader() {
        byte[] f = Arrays.copyOf(arp(5), 17);

        assertThat(FrameDecoder.decode(f, f.length, new RxFrame())).isEqualTo(FrameError.TRUNCATED_ETHERNET);
    }

    @Test
    void aTaggedArpShortOfTwentyEightBytesIsTruncatedArp() {
        byte[] f = Arrays.copyOf(arp(5), 18 + 27);

        assertThat(FrameDecoder.decode(f, f.length, new RxFrame())).isEqualTo(FrameError.TRUNCATED_ARP);
        assertThat(FrameDecoder.decode(arp(5), 18 + 28, new RxFrame())).isNull();
    }

    @Test
    void onlyTheGivenLengthCounts() {
        byte[] f = Arrays.copyOf(arp(5), 100);

        assertThat(FrameDecoder.decode(f, 30, new RxFrame())).isEqualTo(FrameError.TRUNCATED_ARP);
        RxFrame rx = new RxFrame();
        assertThat(FrameDecoder.decode(f, 46, rx)).isNull();
        assertThat(rx.length).isEqualTo(46);
    }

    /**
     * The shortest frame of each kind decodes: each length check refuses one byte less, not the
     * exact size (an Ethernet header alone, a tagged header alone, an IPv4 header without payload,
     * an ICMP echo without data).
     */
    @Test
    void eachHeaderMayFillTheFrameExactly() {
        byte[] bare = EthernetFrame.wrap(DST, SHA, -1, 0x88cc, new byte[0]);
        RxFrame rx = decodeOk(bare);
        assertThat(rx.etherType).isEqualTo(0x88cc);
        assertThat(FrameDecoder.decode(bare, 13, new RxFrame())).isEqualTo(FrameError.TRUNCATED_ETHERNET);

        byte[] tagged = EthernetFrame.wrap(DST, SHA, 7, 0x88cc, new byte[0]);
        assertThat(tagged).hasSize(18);
        RxFrame t = decodeOk(tagged);
        assertThat(t.vlan).isEqualTo(7);
        assertThat(t.etherType).isEqualTo(0x88cc);

        byte[] udpHeaderOnly = Ipv4Packet.build(SPA, TPA, 17, 1, 64, new byte[0]);
        RxFrame ip = decodeOk(EthernetFrame.wrap(DST, SHA, -1, EtherType.IPV4, udpHeaderOnly));
        assertThat(ip.ipTotalLength).isEqualTo(20);
        assertThat(ip.l4Length).isZero();

        byte[] echo = Ipv4Packet.build(SPA, TPA, Ipv4Packet.PROTO_ICMP, 1, 64,
                IcmpEcho.build(IcmpEcho.TYPE_ECHO_REQUEST, 1, 1, new byte[0], 0, 0));
        RxFrame icmp = decodeOk(EthernetFrame.wrap(DST, SHA, -1, EtherType.IPV4, echo));
        assertThat(icmp.l4Length).isEqualTo(IcmpEcho.HEADER);
    }

    /** Ethernet pads short frames to 60 bytes: the IPv4 packet ends where its total length says. */
    @Test
    void paddingAfterAnIpv4PacketIsNotPartOfIt() {
        byte[] l3 = Ipv4Packet.build(SPA, TPA, 17, 1, 64, new byte[4]);
        byte[] padded = Arrays.copyOf(EthernetFrame.wrap(DST, SHA, -1, EtherType.IPV4, l3), 60);

        RxFrame rx = decodeOk(padded);

        assertThat(rx.l3Bytes()).isEqualTo(l3);
        assertThat(decodeOk(arp(-1)).l3Bytes()).as("ARP: everything after the header")
                .isEqualTo(Arrays.copyOfRange(arp(-1), 14, 42));
    }

    /** Only one tag is understood: a second (QinQ inner tag) or an 802.1ad outer tag leaves an unknown EtherType. */
    @Test
    void stackedTagsAreNotLookedInto() {
        byte[] inner = arp(5);
        byte[] qinq = new byte[inner.length + 4];
        System.arraycopy(inner, 0, qinq, 0, 12);
        qinq[12] = (byte) 0x88;
        qinq[13] = (byte) 0xa8;
        qinq[14] = 0;
        qinq[15] = 9;
        System.arraycopy(inner, 12, qinq, 16, inner.length - 12);

        RxFrame rx = decodeOk(qinq);

        assertThat(rx.etherType).isEqualTo(EtherType.QINQ);
        assertThat(rx.vlan).isEqualTo(-1);
        byte[] dot1qTwice = qinq.clone();
        dot1qTwice[12] = (byte) 0x81;
        dot1qTwice[13] = 0;
        RxFrame rx2 = decodeOk(dot1qTwice);
        assertThat(rx2.vlan).isEqualTo(9);
        assertThat(rx2.etherType).isEqualTo(EtherType.VLAN);
    }
}
