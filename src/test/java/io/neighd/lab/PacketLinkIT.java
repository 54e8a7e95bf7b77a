package io.neighd.lab;

import io.neighd.link.CapturePoller;
import io.neighd.link.PacketLink;
import io.neighd.wire.ArpPacket;
import io.neighd.wire.IcmpEcho;
import io.neighd.wire.Ipv4Packet;
import io.neighd.wire.MacAddress;
import io.neighd.wire.NdMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The live link on its own, on the lab's nd1 (where neighd listens too; these frames are none of
 * its business: addresses nobody owns, a VLAN it is not on), fed by a raw sender on a peer of
 * that segment and watched from the peer's switch port.
 *
 * <pre>
 * | sent by the peer                              | the link hands over                     |
 * |-----------------------------------------------|-----------------------------------------|
 * | ARP request, 42 bytes (a veth does not pad)   | the same 42 bytes                       |
 * | NS with its source link-layer option, 86 bytes| the same 86 bytes, from the ring        |
 * | ICMP echo request, 1,400-byte payload         | the same 1,442 bytes (a copy: > a slot) |
 * | ARP request tagged 802.1Q VLAN 42             | the same bytes, tag put back            |
 * | TCP segment                                   | nothing (the socket filter)             |
 * |-----------------------------------------------|-----------------------------------------|
 * | sent by the link                              | the peer's switch port sees             |
 * | three frames in one turn, flushed together    | the three, in order, whole              |
 * </pre>
 */
@ExtendWith(LabExtension.class)
class PacketLinkIT {
    private static final String SRC = "02:99:00:00:00:01";
    private static final String OUT = "02:99:00:00:00:02";
    private static final long BROADCAST = 0xffffffffffffL;

    private final Lab lab;
    private final String peer;

    PacketLinkIT(Lab lab) {
        this.lab = lab;
        this.peer = lab.peerNs(Lab.Side.ND, 1, 1);
    }

    @Test
    void framesArriveAsTheyWereSentWhateverTheirSizeOrTag() {
        List<byte[]> sent = List.of(arp(-1), ns(), icmp(1400), arp(42));
        List<byte[]> got = new CopyOnWriteArrayList<>();
        try (PacketLink link = new PacketLink(Lab.dev(1), lab.ndNs(), false)) {
            link.start((data, len, ts) -> {
                if (MacAddress.of(data, 6).equals(MacAddress.parse(SRC))) {
                    got.add(Arrays.copyOf(data, len));
                }
            });
            RawSender tx = lab.sender(peer);
            tx.send(sent.get(0));
            tx.send(tcp());
            tx.send(sent.get(1));
            tx.send(sent.get(2));
            tx.send(sent.get(3));

            await().atMost(Duration.ofSeconds(5)).until(() -> got.size() >= 4);
            assertThat(got).containsExactlyElementsOf(sent);
            assertThat(link.stats().dropped()).isZero();
            // only the echo was longer than a slot: the NS came from the ring, not the socket's queue
            assertThat(link.copiedFrames()).isEqualTo(1);
        }
    }

    @Test
    void framesSentInOneTurnLeaveTogetherInOrderAndWhole() {
        List<byte[]> out = List.of(frame(OUT, 1), frame(OUT, 2), icmpFrom(OUT, 1000));
        try (PcapCapture port = lab.capture(lab.sw(), Lab.peerPort(Lab.Side.ND, 1, 1), "ether src " + OUT);
             PacketLink link = new PacketLink(Lab.dev(1), lab.ndNs(), false);
             CapturePoller poller = new CapturePoller()) {
            poller.add(link, (data, len, ts) -> { });
            poller.open();
            out.forEach(link::send);
            poller.flush();

            await().atMost(Duration.ofSeconds(5)).until(() -> port.frames().size() >= 3);
            List<byte[]> seen = new ArrayList<>();
            port.stop().forEach(f -> seen.add(f.data()));
            assertThat(seen).containsExactlyElementsOf(out);
        }
    }

    /** An ARP request from SRC for an address nobody has; with a VLAN tag if {@code vlan} >= 0. */
    private static byte[] arp(int vlan) {
        // 42 bytes, 46 tagged: a veth does not pad to the Ethernet minimum
        return ArpPacket.frame(1, BROADCAST, MacAddress.parse(SRC).bits(), vlan, MacAddress.parse(SRC).bits(),
                0x0a4e00c7, 0, 0x0a4e00c8);
    }

    /** An NS from SRC for fd77::99:c8, which nobody owns, to its solicited-node group. */
    private static byte[] ns() {
        long src = MacAddress.parse(SRC).bits();
        return ether(SRC, 0x86dd, NdMessage.ns(0xfe80_0000_0000_0000L, 0x0099_00ff_fe00_0001L, 0xff02_0000_0000_0000L,
                0x0000_0001_ff99_00c8L, 0xfd77_0000_0000_0000L, 0x0000_0000_0099_00c8L, src, 0));
    }

    private static byte[] frame(String src, int n) {
        return ArpPacket.frame(1, BROADCAST, MacAddress.parse(src).bits(), -1, MacAddress.parse(src).bits(),
                0x0a4e00c7, 0, 0x0a4e00d0 + n);
    }

    private static byte[] icmp(int payload) {
        return icmpFrom(SRC, payload);
    }

    private static byte[] icmpFrom(String src, int payload) {
        byte[] data = new byte[payload];
        for (int i = 0; i < payload; i++) {
            data[i] = (byte) (i * 7);
        }
        byte[] msg = IcmpEcho.build(IcmpEcho.TYPE_ECHO_REQUEST, 0x1234, 1, data, 0, payload);
        return ether(src, 0x0800, Ipv4Packet.build(0x0a4e00c7, 0x0a4e00c8, Ipv4Packet.PROTO_ICMP, 1, 64, msg));
    }

    private static byte[] tcp() {
        return ether(SRC, 0x0800, Ipv4Packet.build(0x0a4e00c7, 0x0a4e00c8, 6, 2, 64, new byte[20]));
    }

    private static byte[] ether(String src, int type, byte[] payload) {
        byte[] f = new byte[14 + payload.length];
        Arrays.fill(f, 0, 6, (byte) 0xff);
        MacAddress.write(MacAddress.parse(src).bits(), f, 6);
        f[12] = (byte) (type >> 8);
        f[13] = (byte) type;
        System.arraycopy(payload, 0, f, 14, payload.length);
        return f;
    }
}
