package io.neighd.arp;

import io.neighd.ip.NetDevice;
import io.neighd.testkit.EngineFixture;
import io.neighd.wire.Checksum;
import io.neighd.wire.EtherType;
import io.neighd.wire.EthernetFrame;
import io.neighd.wire.IcmpEcho;
import io.neighd.wire.Ipv4Packet;
import io.neighd.wire.MacAddress;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;
import java.util.stream.Stream;

import static io.neighd.testkit.EngineFixture.OTHER_MAC;
import static io.neighd.testkit.EngineFixture.OUR_MAC;
import static io.neighd.testkit.EngineFixture.PEER_MAC;
import static io.neighd.testkit.EngineFixture.ip;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * Odd frames are counted, never thrown: each ends in exactly one {@link Reason}, leaves the table
 * alone and sends nothing. The checks mirror arp_rcv() (IFF_NOARP, PACKET_OTHERHOST,
 * pskb_may_pull(arp_hdr_len), ar_hln/ar_pln), arp_process() (ar_hrd, ar_pro, ar_op), ip_rcv_core()
 * (ihl, version, tot_len, ip_fast_csum) and icmp_rcv() (length, checksum).
 */
class MalformedFrameTest {
    private static final int ETH = 14;

    private EngineFixture fx;
    private long lookupsBefore;

    @BeforeEach
    void setUp() {
        fx = new EngineFixture();
        lookupsBefore = fx.engine.stats().lookups;
    }

    // ------------------------------------------------------------------ frames

    private static byte[] arpRequest() {
        return EngineFixture.request(PEER_MAC, "10.0.0.2", "10.0.0.1");
    }

    private static byte[] with(byte[] frame, int offset, int... values) {
        byte[] f = frame.clone();
        for (int i = 0; i < values.length; i++) {
            f[offset + i] = (byte) values[i];
        }
        return f;
    }

    private static byte[] echoRequest(long ethDst, int payload) {
        byte[] msg = IcmpEcho.build(IcmpEcho.TYPE_ECHO_REQUEST, 0x1234, 1, new byte[payload], 0, payload);
        byte[] l3 = Ipv4Packet.build(ip("10.0.0.2"), ip("10.0.0.1"), Ipv4Packet.PROTO_ICMP, 7, 64, msg);
        return EthernetFrame.wrap(ethDst, PEER_MAC.bits(), -1, EtherType.IPV4, l3);
    }

    private static byte[] echoRequest() {
        return echoRequest(OUR_MAC.bits(), 16);
    }

    /** Recomputes the IPv4 header checksum so that only the intended fault remains. */
    private static byte[] fixIpChecksum(byte[] f) {
        int hlen = (f[ETH] & 0x0f) * 4;
        f[ETH + 10] = 0;
        f[ETH + 11] = 0;
        int sum = Checksum.compute(f, ETH, hlen);
        f[ETH + 10] = (byte) (sum >>> 8);
        f[ETH + 11] = (byte) sum;
        return f;
    }

    private static byte[] shortIcmp() {
        byte[] l3 = Ipv4Packet.build(ip("10.0.0.2"), ip("10.0.0.1"), Ipv4Packet.PROTO_ICMP, 7, 64, new byte[] {8, 0, 0, 0});
        return EthernetFrame.wrap(OUR_MAC.bits(), PEER_MAC.bits(), -1, EtherType.IPV4, l3);
    }

    private static byte[] tagged(int vlan, byte[] untagged) {
        byte[] f = new byte[untagged.length + 4];
        System.arraycopy(untagged, 0, f, 0, 12);
        f[12] = (byte) 0x81;
        f[13] = 0x00;
        f[14] = (byte) (vlan >>> 8);
        f[15] = (byte) vlan;
        System.arraycopy(untagged, 12, f, 16, untagged.length - 12);
        return f;
    }

    private static Arguments row(String name, Supplier<byte[]> frame, Reason expected) {
        return arguments(name, frame, expected);
    }

    static Stream<Arguments> oddFrames() {
        return Stream.of(
                row("empty frame", () -> new byte[0], Reason.MALFORMED_TRUNCATED),
                row("13 bytes: Ethernet header cut short", () -> Arrays.copyOf(arpRequest(), 13), Reason.MALFORMED_TRUNCATED),
                row("802.1Q tag cut short", () -> Arrays.copyOf(tagged(5, arpRequest()), 16), Reason.MALFORMED_TRUNCATED),
                row("ARP with 20 of its 28 bytes", () -> Arrays.copyOf(arpRequest(), ETH + 20), Reason.MALFORMED_TRUNCATED),
                row("ARP with 27 of its 28 bytes", () -> Arrays.copyOf(arpRequest(), ETH + 27), Reason.MALFORMED_TRUNCATED),
                row("ARP hlen 8", () -> with(arpRequest(), ETH + 4, 8), Reason.MALFORMED_HLEN),
                row("ARP hlen 0", () -> with(arpRequest(), ETH + 4, 0), Reason.MALFORMED_HLEN),
                row("ARP plen 16", () -> with(arpRequest(), ETH + 5, 16), Reason.MALFORMED_PLEN),
                row("hardware type 24 (IEEE 1394)", () -> with(arpRequest(), ETH, 0, 24), Reason.MALFORMED_HTYPE),
                row("hardware type 0", () -> with(arpRequest(), ETH, 0, 0), Reason.MALFORMED_HTYPE),
                row("protocol 0x86dd", () -> with(arpRequest(), ETH + 2, 0x86, 0xdd), Reason.MALFORMED_PTYPE),
                row("opcode 9", () -> with(arpRequest(), ETH + 6, 0, 9), Reason.UNKNOWN_OP),
                row("opcode 3 (RARP request)", () -> with(arpRequest(), ETH + 6, 0, 3), Reason.UNKNOWN_OP),
                row("opcode 0x0100 (byte-swapped request)", () -> with(arpRequest(), ETH + 6, 1, 0), Reason.UNKNOWN_OP),
                row("802.1Q VLAN 100 on an untagged interface", () -> tagged(100, arpRequest()), Reason.VLAN_MISMATCH),
                row("ARP unicast to another host's MAC",
                        () -> EngineFixture.unicastRequest(PEER_MAC, "10.0.0.2", "10.0.0.1", OTHER_MAC), Reason.NOT_FOR_HOST),
                row("truncated ARP to another host's MAC",
                        () -> Arrays.copyOf(EngineFixture.unicastRequest(PEER_MAC, "10.0.0.2", "10.0.0.1", OTHER_MAC), 20),
                        Reason.NOT_FOR_HOST),
                row("IPv4 echo to another host's MAC", () -> echoRequest(OTHER_MAC.bits(), 16), Reason.NOT_FOR_HOST),
                row("IPv4 ihl 4", () -> fixIpChecksum(with(echoRequest(), ETH, 0x44)), Reason.MALFORMED_IPV4),
                row("IPv4 version 6", () -> fixIpChecksum(with(echoRequest(), ETH, 0x65)), Reason.MALFORMED_IPV4),
                row("IPv4 with 10 header bytes", () -> Arrays.copyOf(echoRequest(), ETH + 10), Reason.MALFORMED_IPV4),
                row("IPv4 bad header checksum", () -> with(echoRequest(), ETH + 8, 63), Reason.BAD_IPV4_CHECKSUM),
                row("IPv4 total length beyond the frame", () -> fixIpChecksum(with(echoRequest(), ETH + 2, 0, 200)),
                        Reason.MALFORMED_TRUNCATED),
                row("IPv4 total length below the header", () -> fixIpChecksum(with(echoRequest(), ETH + 2, 0, 12)),
                        Reason.MALFORMED_TRUNCATED),
                row("ICMP bad checksum", () -> with(echoRequest(), ETH + 20 + 8, 0x55), Reason.BAD_ICMP),
                row("ICMP of 4 bytes", MalformedFrameTest::shortIcmp, Reason.BAD_ICMP),
                row("EtherType 0xdead", () -> with(arpRequest(), 12, 0xde, 0xad), Reason.OTHER_ETHERTYPE),
                row("RARP (0x8035)", () -> with(arpRequest(), 12, 0x80, 0x35), Reason.OTHER_ETHERTYPE),
                row("garbage", () -> new byte[] {(byte) 0xde, (byte) 0xad, (byte) 0xbe, (byte) 0xef, 0x01},
                        Reason.MALFORMED_TRUNCATED),
                row("60 bytes of 0xff", () -> filled(60, 0xff), Reason.OTHER_ETHERTYPE),
                row("60 zero bytes", () -> new byte[60], Reason.OTHER_ETHERTYPE));
    }

    private static byte[] filled(int n, int value) {
        byte[] b = new byte[n];
        Arrays.fill(b, (byte) value);
        return b;
    }

    private long counted(NetDevice dev, Reason r) {
        return fx.engine.arpStats().of(dev.ifindex()).count(r);
    }

    private long countedAll(List<NetDevice> devs) {
        long total = 0;
        for (NetDevice d : devs) {
            for (Reason r : Reason.values()) {
                total += counted(d, r);
            }
        }
        return total;
    }

    @ParameterizedTest(name = "{0} → {2}")
    @MethodSource("oddFrames")
    void oddFramesAreCountedNotThrown(String name, Supplier<byte[]> frame, Reason expected) {
        byte[] f = frame.get();
        Reason[] got = new Reason[1];

        assertThatCode(() -> got[0] = fx.receive(f)).doesNotThrowAnyException();

        assertThat(got[0]).isEqualTo(expected);
        assertThat(counted(fx.nd0, expected)).isEqualTo(1);
        assertThat(countedAll(List.of(fx.nd0))).as("exactly one reason counted").isEqualTo(1);
        assertThat(fx.engine.table().entries()).isZero();
        assertThat(fx.engine.stats().allocs).isZero();
        assertThat(fx.engine.stats().lookups).isEqualTo(lookupsBefore);
        assertThat(fx.tx.all()).isEmpty();
        assertThat(fx.events.raw()).isEmpty();
    }

    /** The control: the unmodified frames are used. */
    @Test
    void theUnmodifiedFramesAreUsed() {
        assertThat(fx.receive(arpRequest())).isEqualTo(Reason.REPLIED);
        assertThat(fx.receive(echoRequest())).isEqualTo(Reason.ICMP_ECHO_REPLIED);
        assertThat(fx.receive(with(arpRequest(), ETH, 0, 6))).as("IEEE 802 hardware type").isEqualTo(Reason.REPLIED);
    }

    /**
     * __netif_receive_skb_core(): a VLAN id of 0 is a priority tag, not a VLAN; the untagged
     * interface takes the frame (only a non-zero id without a VLAN device makes it OTHERHOST).
     */
    @Test
    void aPriorityTaggedFrameReachesTheUntaggedInterface() {
        assertThat(fx.receive(tagged(0, arpRequest()))).isEqualTo(Reason.REPLIED);
        assertThat(fx.receive(tagged(0x6000, echoRequest()))).as("PCP 3, VID 0").isEqualTo(Reason.ICMP_ECHO_REPLIED);
    }

    @Test
    void aVlanInterfaceTakesOnlyItsOwnTag() {
        NetDevice v = fx.engine.addDevice("nd0.100", 5, MacAddress.parse("02:aa:00:00:64:01"), 1500, 100);
        fx.engine.setUp(v, true);
        fx.engine.setCarrier(v, true);
        fx.engine.addAddress(v, io.neighd.wire.Ipv4Cidr.parse("10.100.0.1/24"));
        byte[] req = EngineFixture.request(PEER_MAC, "10.100.0.2", "10.100.0.1");

        assertThat(fx.receive(v, req)).isEqualTo(Reason.VLAN_MISMATCH);
        assertThat(fx.receive(v, tagged(101, req))).isEqualTo(Reason.VLAN_MISMATCH);
        assertThat(fx.receive(v, tagged(100, req))).isEqualTo(Reason.REPLIED);
        assertThat(fx.tx.arp()).singleElement().satisfies(s -> assertThat(s.decoded().vlan).isEqualTo(100));
    }

    // ------------------------------------------------------------------ fuzz

    /**
     * A few thousand random and mutated frames on two interfaces with proxy ARP, arp_accept and
     * forwarding on one of them, the clock moving now and then: nothing throws, and every frame
     * adds exactly one to exactly one reason counter of the interface it arrived on.
     */
    @Test
    void randomAndMutatedFramesNeverThrowAndAreEachCountedOnce() {
        NetDevice nd1 = fx.addInterface("nd1", 3, MacAddress.parse("02:aa:00:00:01:01"), "10.1.0.1/24");
        fx.sysctl("net.ipv4.conf.nd1.forwarding", 1);
        fx.sysctl("net.ipv4.conf.nd1.proxy_arp", 1);
        fx.sysctl("net.ipv4.conf.nd1.arp_accept", 1);
        fx.engine.admin().addProxy(ip("10.0.0.77"), null, false);
        List<NetDevice> devs = List.of(fx.nd0, nd1);
        List<byte[]> seeds = List.of(
                arpRequest(),
                EngineFixture.reply(PEER_MAC, "10.0.0.2", "10.0.0.1"),
                EngineFixture.garpRequest(PEER_MAC, "10.0.0.3"),
                EngineFixture.garpReply(PEER_MAC, "10.1.0.3"),
                EngineFixture.dadProbe(PEER_MAC, "10.0.0.1"),
                EngineFixture.request(PEER_MAC, "10.1.0.2", "10.0.0.77"),
                EngineFixture.request(PEER_MAC, "10.1.0.2", "10.0.0.5"),
                EngineFixture.broadcastReply(PEER_MAC, "10.1.0.9", "10.1.0.1"),
                echoRequest(),
                echoRequest(MacAddress.BROADCAST.bits(), 40),
                tagged(0, arpRequest()),
                tagged(7, arpRequest()));
        Random rnd = new Random(0x6e656967L);
        int frames = 4000;

        for (int i = 0; i < frames; i++) {
            byte[] f = frame(rnd, seeds);
            NetDevice dev = devs.get(rnd.nextInt(2));
            long before = countedAll(devs);
            long beforeDev = countedAll(List.of(dev));
            int n = i;
            assertThatCode(() -> fx.receive(dev, f)).as("frame %d: %s", n, hex(f)).doesNotThrowAnyException();
            assertThat(countedAll(devs) - before).as("frame %d: %s", n, hex(f)).isEqualTo(1);
            assertThat(countedAll(List.of(dev)) - beforeDev).isEqualTo(1);
            if (rnd.nextInt(20) == 0) {
                fx.advanceJiffies(rnd.nextInt(400));
            }
        }

        assertThat(countedAll(devs)).isEqualTo(frames);
    }

    private static byte[] frame(Random rnd, List<byte[]> seeds) {
        switch (rnd.nextInt(4)) {
            case 0 -> {
                byte[] b = new byte[rnd.nextInt(80)];
                rnd.nextBytes(b);
                if (b.length > 13 && rnd.nextBoolean()) {
                    b[12] = 0x08;
                    b[13] = (byte) (rnd.nextBoolean() ? 0x06 : 0x00);
                }
                return b;
            }
            case 1 -> {
                byte[] s = seeds.get(rnd.nextInt(seeds.size()));
                return Arrays.copyOf(s, rnd.nextInt(s.length + 8));
            }
            default -> {
                byte[] b = seeds.get(rnd.nextInt(seeds.size())).clone();
                int flips = 1 + rnd.nextInt(4);
                for (int k = 0; k < flips; k++) {
                    int at = rnd.nextInt(b.length);
                    b[at] = rnd.nextInt(3) == 0 ? (byte) rnd.nextInt(256) : (byte) (b[at] ^ (1 << rnd.nextInt(8)));
                }
                return b;
            }
        }
    }

    private static String hex(byte[] b) {
        StringBuilder s = new StringBuilder();
        for (byte x : b) {
            s.append(String.format("%02x", x & 0xff));
        }
        return s.toString();
    }
}
