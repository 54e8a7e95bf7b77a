package io.neighd.ip;

import io.neighd.neighbour.NeighOps;
import io.neighd.neighbour.Neighbour;
import io.neighd.neighbour.ProxySkb;
import io.neighd.neighbour.Skb;
import io.neighd.wire.FrameDecoder;
import io.neighd.wire.RxFrame;

/**
 * What arp_tbl's and nd_tbl's callbacks have in common on an Ethernet device. Both
 * {@code arp_hh_ops} (net/ipv4/arp.c) and {@code ndisc_hh_ops} (net/ipv6/ndisc.c) output through
 * neigh_resolve_output(): dev_hard_header() with the packet's protocol and the entry's address,
 * then dev_queue_xmit(); arp_error_report() and ndisc_error_report() are both dst_link_failure();
 * and a proxied frame is parsed again before the protocol's proxy_redo sees it. The protocol
 * fills in the rest: constructor, solicit, {@link #redo} (parp_redo, pndisc_redo), is_multicast.
 */
public abstract class HhNeighOps implements NeighOps<NetDevice> {
    private final Transmitter tx;
    private final int etherType;
    private final RxFrame redoFrame = new RxFrame();

    /** @param etherType skb->protocol of the packets the table resolves for (ETH_P_IP, ETH_P_IPV6) */
    protected HhNeighOps(Transmitter tx, int etherType) {
        this.tx = tx;
        this.etherType = etherType;
    }

    /** arp_error_report(), ndisc_error_report(): dst_link_failure for the dropped packet. */
    @Override
    public final void errorReport(Neighbour<NetDevice> n, Skb skb) {
        skb.linkFailure();
    }

    /** neigh_resolve_output() once resolved: dev_hard_header() + dev_queue_xmit(). */
    @Override
    public final void transmit(Neighbour<NetDevice> n, Skb skb) {
        NetDevice dev = n.dev();
        if (!dev.canTransmit()) {
            return;
        }
        tx.transmit(dev.id(), skb.frame(n.ha(), dev.hwAddr(), dev.vlan(), etherType));
    }

    @Override
    public final void proxyRedo(ProxySkb<NetDevice> skb) {
        if (FrameDecoder.decode(skb.frame(), skb.frame().length, redoFrame) == null) {
            redo(skb, redoFrame);
        }
    }

    /** tbl->proxy_redo on the frame parsed again: the protocol's receive path, once proxy_delay has passed. */
    protected abstract void redo(ProxySkb<NetDevice> skb, RxFrame f);
}
