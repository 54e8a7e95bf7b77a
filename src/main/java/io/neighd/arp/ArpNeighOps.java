package io.neighd.arp;

import io.neighd.ip.Net;
import io.neighd.ip.NetDevice;
import io.neighd.ip.RouteType;
import io.neighd.ip.Transmitter;
import io.neighd.neighbour.NeighOps;
import io.neighd.neighbour.Neighbour;
import io.neighd.neighbour.ProxySkb;
import io.neighd.neighbour.Skb;
import io.neighd.wire.EtherType;
import io.neighd.wire.EthernetFrame;
import io.neighd.wire.FrameDecoder;
import io.neighd.wire.RxFrame;

/**
 * arp_tbl's callbacks: arp_constructor, arp_solicit, arp_error_report, the device transmit for
 * resolved packets (dev_hard_header + dev_queue_xmit) and parp_redo.
 */
public final class ArpNeighOps implements NeighOps {
    private final Net net;
    private final Transmitter tx;
    private ArpSolicitor solicitor;
    private ArpProcessor processor;
    private final RxFrame redoFrame = new RxFrame();

    public ArpNeighOps(Net net, Transmitter tx) {
        this.net = net;
        this.tx = tx;
    }

    public void wire(ArpSolicitor solicitor, ArpProcessor processor) {
        this.solicitor = solicitor;
        this.processor = processor;
    }

    /**
     * arp_constructor(): multicast destinations map to their multicast MAC, NOARP and loopback
     * devices use their own address, broadcast destinations the broadcast MAC; all of these are
     * NOARP. Everything else starts unresolved.
     */
    @Override
    public void construct(Neighbour n) {
        NetDevice dev = (NetDevice) n.dev();
        RouteType type = net.addrType(n.key());
        if (type == RouteType.MULTICAST) {
            n.setNoarpAddress(multicastMac(n.key()));
        } else if (dev.isNoarp() || dev.isLoopback()) {
            n.setNoarpAddress(dev.hwAddr());
        } else if (type == RouteType.BROADCAST) {
            n.setNoarpAddress(dev.broadcastHw());
        }
    }

    /** ip_eth_mc_map(): 01:00:5e followed by the low 23 bits of the group. */
    public static long multicastMac(int group) {
        return 0x01005e000000L | (group & 0x7fffffL);
    }

    @Override
    public void solicit(Neighbour n, Skb skb) {
        solicitor.solicit(n, skb);
    }

    /** arp_error_report(): dst_link_failure for the dropped packet. */
    @Override
    public void errorReport(Neighbour n, Skb skb) {
        skb.linkFailure();
    }

    @Override
    public void transmit(Neighbour n, Skb skb) {
        NetDevice dev = (NetDevice) n.dev();
        if (!dev.canTransmit()) {
            return;
        }
        tx.transmit(dev, EthernetFrame.wrap(n.ha(), dev.hwAddr(), dev.vlan(), EtherType.IPV4, skb.l3()));
    }

    @Override
    public void proxyRedo(ProxySkb skb) {
        if (FrameDecoder.decode(skb.frame(), skb.frame().length, redoFrame) == null) {
            processor.redo(skb, redoFrame);
        }
    }
}
