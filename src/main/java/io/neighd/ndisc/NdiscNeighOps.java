package io.neighd.ndisc;

import io.neighd.ip.HhNeighOps;
import io.neighd.ip.NetDevice;
import io.neighd.ip.Transmitter;
import io.neighd.ipv6.Addrconf;
import io.neighd.ipv6.Inet6Dev;
import io.neighd.ipv6.Inet6Ifaddr;
import io.neighd.neighbour.NeighObserver;
import io.neighd.neighbour.NeighParms;
import io.neighd.neighbour.NeighTableSpec;
import io.neighd.neighbour.NeighVar;
import io.neighd.neighbour.Neighbour;
import io.neighd.neighbour.ProxySkb;
import io.neighd.neighbour.Skb;
import io.neighd.wire.EtherType;
import io.neighd.wire.EthernetFrame;
import io.neighd.wire.IpAddress;
import io.neighd.wire.Ipv6Address;
import io.neighd.wire.RxFrame;

import java.util.Map;

/**
 * {@code nd_tbl} (net/ipv6/ndisc.c): its defaults and callbacks — ndisc_constructor,
 * ndisc_solicit, pndisc_redo, pndisc_constructor/destructor and ndisc_is_multicast — on the same
 * generic table as arp_tbl; ndisc_error_report and the device transmit of resolved packets are
 * arp_tbl's too ({@link HhNeighOps}).
 */
public final class NdiscNeighOps extends HhNeighOps {
    /**
     * nd_tbl's initialiser: "ndisc_cache", 16-byte keys, ND_RETRANS_TIMER (1 s), ND_REACHABLE_TIME
     * (30 s), unres_qlen_bytes SK_WMEM_DEFAULT, no locktime, gc_thresh 128/512/1024.
     */
    public static final NeighTableSpec SPEC = new NeighTableSpec("ndisc_cache", IpAddress.AF_INET6, 16, Map.ofEntries(
            Map.entry(NeighVar.MCAST_PROBES, 3),
            Map.entry(NeighVar.UCAST_PROBES, 3),
            Map.entry(NeighVar.APP_PROBES, 0),
            Map.entry(NeighVar.MCAST_REPROBES, 0),
            Map.entry(NeighVar.RETRANS_TIME, 1000),
            Map.entry(NeighVar.BASE_REACHABLE_TIME, 30_000),
            Map.entry(NeighVar.DELAY_PROBE_TIME, 5_000),
            Map.entry(NeighVar.INTERVAL_PROBE_TIME_MS, 5_000),
            Map.entry(NeighVar.GC_STALETIME, 60_000),
            Map.entry(NeighVar.QUEUE_LEN_BYTES, 212_992),
            Map.entry(NeighVar.PROXY_QLEN, 64),
            Map.entry(NeighVar.ANYCAST_DELAY, 1_000),
            Map.entry(NeighVar.PROXY_DELAY, 800),
            Map.entry(NeighVar.LOCKTIME, 0)), 128, 512, 1024);

    private final Addrconf addrconf;
    private final NeighObserver<NetDevice> observer;
    private NdiscSender sender;
    private NdiscProcessor processor;
    private NdiscActions actions;

    public NdiscNeighOps(Addrconf addrconf, Transmitter tx, NeighObserver<NetDevice> observer) {
        super(tx, EtherType.IPV6);
        this.addrconf = addrconf;
        this.observer = observer;
    }

    public void wire(NdiscSender sender, NdiscProcessor processor, NdiscActions actions) {
        this.sender = sender;
        this.processor = processor;
        this.actions = actions;
    }

    /** in6_dev->nd_parms */
    @Override
    public NeighParms parms(NetDevice dev) {
        Inet6Dev idev = Addrconf.idev(dev);
        return idev == null ? null : idev.ndParms();
    }

    /**
     * ndisc_constructor(): a multicast key maps to its 33:33 MAC, an entry on a NOARP or loopback
     * device uses the device's address; both are NOARP. Everything else starts unresolved.
     */
    @Override
    public void construct(Neighbour<NetDevice> n) {
        NetDevice dev = n.dev();
        if (Ipv6Address.isMulticast(n.keyHi())) {
            n.setNoarpAddress(Ipv6Address.multicastMac(n.keyLo()));
        } else if (dev.isNoarp() || dev.isLoopback()) {
            n.setNoarpAddress(dev.hwAddr());
        }
    }

    /**
     * ndisc_solicit(): the queued packet's source if it is a usable address of the device, else
     * the device's link-local one; unicast to the cached address while probes &lt; ucast_solicit,
     * then app probes (RTM_GETNEIGH), then multicast to the target's solicited-node group.
     */
    @Override
    public void solicit(Neighbour<NetDevice> n, Skb skb) {
        NetDevice dev = n.dev();
        Ipv6Address target = new Ipv6Address(n.keyHi(), n.keyLo());
        Ipv6Address saddr = null;
        if (skb != null) {
            Inet6Ifaddr ifa = addrconf.getIfaddr(skb.saddr6Hi(), skb.saddr6Lo(), dev, true);
            if (ifa != null && ifa.idev().dev() == dev
                    && (ifa.flags() & (Inet6Ifaddr.F_TENTATIVE | Inet6Ifaddr.F_OPTIMISTIC)) == 0) {
                saddr = ifa.address();
            }
        }
        int probes = n.probes() - n.parms().get(NeighVar.UCAST_PROBES);
        if (probes < 0) {
            sender.sendNs(dev, target, target, saddr, 0);
        } else if ((probes -= n.parms().get(NeighVar.APP_PROBES)) < 0) {
            observer.notify(NeighObserver.RTM_GETNEIGH, n);
        } else {
            sender.sendNs(dev, target, target.solicitedNode(), saddr, 0);
        }
    }

    /** pndisc_redo(): ndisc_recv_ns() again, once the proxy delay has passed. */
    @Override
    protected void redo(ProxySkb<NetDevice> skb, RxFrame f) {
        processor.redo(skb, f, actions);
    }

    /**
     * pndisc_constructor(): a proxy entry needs a device (one for every interface is refused) and
     * joins the proxied address's solicited-node group there, so solicitations for it arrive.
     */
    @Override
    public boolean pneighConstruct(io.neighd.neighbour.Pneigh<NetDevice> p) {
        Inet6Dev idev = p.dev() == null ? null : Addrconf.idev(p.dev());
        if (idev == null) {
            return false;
        }
        addrconf.mcInc(idev, Ipv6Address.solicitedNode(p.key().lo()));
        return true;
    }

    /** pndisc_destructor() */
    @Override
    public void pneighDestroy(io.neighd.neighbour.Pneigh<NetDevice> p) {
        Inet6Dev idev = p.dev() == null ? null : Addrconf.idev(p.dev());
        if (idev != null) {
            addrconf.mcDec(idev, Ipv6Address.solicitedNode(p.key().lo()));
        }
    }

    /** ndisc_is_multicast() */
    @Override
    public boolean isMulticast(long hi, long lo) {
        return Ipv6Address.isMulticast(hi);
    }

    @Override
    public IpAddress address(long hi, long lo) {
        return new Ipv6Address(hi, lo);
    }

    public NdiscSender sender() {
        return sender;
    }
}
