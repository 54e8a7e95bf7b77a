package io.neighd.api;

import io.neighd.link.MemoryLink;
import io.neighd.wire.ArpPacket;
import io.neighd.wire.EtherType;
import io.neighd.wire.FrameDecoder;
import io.neighd.wire.IcmpEcho;
import io.neighd.wire.Ipv4Address;
import io.neighd.wire.Ipv4Packet;
import io.neighd.wire.MacAddress;
import io.neighd.wire.RxFrame;

import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Hosts on a memory link, played by the test: each answers who-has for its address with a reply,
 * and ICMP echo requests with echo replies, injected as if captured. The tap runs on the engine
 * thread; injecting only queues the frame, so nothing re-enters the engine.
 */
final class Peers {
    private final MemoryLink link;
    private final Map<Integer, MacAddress> hosts = new ConcurrentHashMap<>();

    private Peers(MemoryLink link) {
        this.link = link;
        link.tap(this::answer);
    }

    private static final Map<MemoryLink, Peers> ON = java.util.Collections.synchronizedMap(new java.util.WeakHashMap<>());

    /** The hosts of {@code link}, created (and tapped) once per link. */
    static Peers on(MemoryLink link) {
        return ON.computeIfAbsent(link, Peers::new);
    }

    Peers host(String ip, String mac) {
        hosts.put(Ipv4Address.parseBits(ip), MacAddress.parse(mac));
        return this;
    }

    void forget(String ip) {
        hosts.remove(Ipv4Address.parseBits(ip));
    }

    private void answer(byte[] frame) {
        RxFrame f = new RxFrame();
        if (FrameDecoder.decode(frame, frame.length, f) != null) {
            return;
        }
        if (f.etherType == EtherType.ARP && f.arpOp == 1) {
            MacAddress mac = hosts.get(f.tpa);
            if (mac != null) {
                link.inject(ArpPacket.frame(2, f.sha, mac.bits(), -1, mac.bits(), f.tpa, f.sha, f.spa));
            }
        } else if (f.etherType == EtherType.IPV4 && f.ipProtocol == 1 && frame[f.l4] == IcmpEcho.TYPE_ECHO_REQUEST) {
            MacAddress mac = hosts.get(f.ipDst);
            if (mac != null) {
                byte[] icmp = Arrays.copyOfRange(frame, f.l4, f.l4 + f.l4Length);
                int id = ((icmp[4] & 0xff) << 8) | (icmp[5] & 0xff);
                int seq = ((icmp[6] & 0xff) << 8) | (icmp[7] & 0xff);
                byte[] reply = IcmpEcho.build(IcmpEcho.TYPE_ECHO_REPLY, id, seq, icmp, 8, icmp.length - 8);
                byte[] ip = Ipv4Packet.build(f.ipDst, f.ipSrc, Ipv4Packet.PROTO_ICMP, 1, 64, reply);
                byte[] eth = new byte[14 + ip.length];
                MacAddress.write(f.ethSrc, eth, 0);
                MacAddress.write(mac.bits(), eth, 6);
                eth[12] = 0x08;
                System.arraycopy(ip, 0, eth, 14, ip.length);
                link.inject(eth);
            }
        }
    }

    /** A who-has {@code target} from a host, broadcast, as if captured. */
    void request(String fromIp, String fromMac, String target) {
        long sha = MacAddress.parse(fromMac).bits();
        link.inject(ArpPacket.frame(1, MacAddress.BROADCAST.bits(), sha, -1, sha, Ipv4Address.parseBits(fromIp), 0,
                Ipv4Address.parseBits(target)));
    }
}
