package io.neighd.lab;

import io.neighd.link.Netns;
import io.neighd.wire.ArpPacket;
import io.neighd.wire.Ipv4Address;
import io.neighd.wire.MacAddress;
import org.pcap4j.core.NotOpenException;
import org.pcap4j.core.PcapHandle;
import org.pcap4j.core.PcapNativeException;
import org.pcap4j.core.PcapNetworkInterface;

/**
 * A frame injector of our own on a peer's device: libpcap's sendpacket on a handle opened
 * inside the peer's namespace, so frames leave only through the lab's wires, with whatever
 * addresses a scenario needs (spoofed senders, bursts, odd gratuitous forms). The peer's own
 * kernel does not see what is sent this way.
 */
public final class RawSender implements AutoCloseable {
    private final String where;
    private final PcapHandle handle;

    RawSender(String netns, String dev) {
        this.where = netns + "/" + dev;
        try {
            this.handle = Netns.run(netns, () -> new PcapHandle.Builder(dev)
                    .snaplen(128)
                    .promiscuousMode(PcapNetworkInterface.PromiscuousMode.NONPROMISCUOUS)
                    .timeoutMillis(10)
                    .immediateMode(true)
                    .build());
        } catch (Exception e) {
            throw new IllegalStateException("cannot open a sender on " + where + ": " + e.getMessage(), e);
        }
    }

    public void send(byte[] frame) {
        try {
            handle.sendPacket(frame);
        } catch (PcapNativeException | NotOpenException e) {
            throw new IllegalStateException("sending on " + where + " failed: " + e.getMessage(), e);
        }
    }

    /** An ARP frame: Ethernet {@code dst}/{@code src}, then the ARP fields. */
    public void arp(int op, String ethDst, String ethSrc, String sha, String spa, String tha, String tpa) {
        send(frame(op, ethDst, ethSrc, sha, spa, tha, tpa));
    }

    public static byte[] frame(int op, String ethDst, String ethSrc, String sha, String spa, String tha, String tpa) {
        return ArpPacket.frame(op, MacAddress.parse(ethDst).bits(), MacAddress.parse(ethSrc).bits(), -1,
                MacAddress.parse(sha).bits(), Ipv4Address.parse(spa).bits(), MacAddress.parse(tha).bits(),
                Ipv4Address.parse(tpa).bits());
    }

    @Override
    public void close() {
        if (handle.isOpen()) {
            handle.close();
        }
    }
}
