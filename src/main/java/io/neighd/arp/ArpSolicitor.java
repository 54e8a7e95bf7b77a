package io.neighd.arp;

import io.neighd.ip.DevVar;
import io.neighd.ip.Devinet;
import io.neighd.ip.FibFrontend;
import io.neighd.ip.NetDevice;
import io.neighd.ip.RouteType;
import io.neighd.ip.Scope;
import io.neighd.neighbour.NeighObserver;
import io.neighd.neighbour.NeighVar;
import io.neighd.neighbour.Neighbour;
import io.neighd.neighbour.Skb;
import io.neighd.wire.ArpOp;
import io.neighd.wire.ArpPacket;

/**
 * arp_solicit(): the probe a resolving entry sends, with arp_announce choosing the sender
 * address: unicast to the cached address while {@code probes < ucast_solicit}, then app probes
 * (RTM_GETNEIGH "miss" to user space), then broadcast.
 */
public final class ArpSolicitor {
    private final Devinet devinet;
    private final FibFrontend fib;
    private final ArpSender sender;
    private final NeighObserver<NetDevice> observer;

    public ArpSolicitor(Devinet devinet, FibFrontend fib, ArpSender sender, NeighObserver<NetDevice> observer) {
        this.devinet = devinet;
        this.fib = fib;
        this.sender = sender;
        this.observer = observer;
    }

    public void solicit(Neighbour<NetDevice> n, Skb skb) {
        NetDevice dev = n.dev();
        int target = n.key4();
        int saddr = announceSource(dev, target, skb);
        if (saddr == 0) {
            saddr = devinet.selectAddr(dev, target, Scope.LINK);
        }
        int probes = n.probes() - dev.arpParms().get(NeighVar.UCAST_PROBES);
        long dstHw;
        if (probes < 0) {
            dstHw = n.ha();
        } else {
            probes -= dev.arpParms().get(NeighVar.APP_PROBES);
            if (probes < 0) {
                observer.notify(NeighObserver.RTM_GETNEIGH, n);
                return;
            }
            dstHw = dev.broadcastHw();
        }
        sender.send(ArpPacket.frame(ArpOp.OP_REQUEST, dstHw, dev.hwAddr(), dev.vlan(), dev.hwAddr(), saddr, 0, target), dev,
                TxKind.REQUEST);
    }

    /** The arp_announce switch: the queued packet's source, if the level allows it. */
    private int announceSource(NetDevice dev, int target, Skb skb) {
        switch (dev.inDevConf(DevVar.ARP_ANNOUNCE)) {
            case 1 -> {
                if (skb == null) {
                    return 0;
                }
                int s = skb.saddr();
                if (fib.addrType(s) == RouteType.LOCAL && devinet.addrOnlink(dev, target, s)) {
                    return s;
                }
                return 0;
            }
            case 2 -> {
                return 0;
            }
            default -> {
                if (skb != null && fib.addrType(skb.saddr()) == RouteType.LOCAL) {
                    return skb.saddr();
                }
                return 0;
            }
        }
    }
}
