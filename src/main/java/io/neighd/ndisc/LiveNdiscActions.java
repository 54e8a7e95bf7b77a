package io.neighd.ndisc;

import io.neighd.ip.NetDevice;
import io.neighd.ipv6.Addrconf;
import io.neighd.ipv6.Inet6Dev;
import io.neighd.ipv6.Inet6Ifaddr;
import io.neighd.ipv6.Ip6Route;
import io.neighd.neighbour.NeighParms;
import io.neighd.neighbour.NeighVar;
import io.neighd.neighbour.Neighbour;
import io.neighd.neighbour.NeighbourTable;
import io.neighd.neighbour.ProxySkb;
import io.neighd.wire.Ipv6Address;
import io.neighd.wire.RxFrame;

import java.util.Arrays;

/** What ndisc_rcv() does on the receive path: nd_tbl, the proxy queue, addrconf and the device. */
public final class LiveNdiscActions implements NdiscActions {
    private final NeighbourTable<NetDevice> tbl;
    private final Addrconf addrconf;
    private final Ip6Route route;
    private final NdiscSender sender;
    private final OwnAddressObserver claims;

    /** Told of another station advertising one of this host's addresses. */
    public interface OwnAddressObserver {
        void advertised(NetDevice dev, Ipv6Address address, long mac);
    }

    public LiveNdiscActions(NeighbourTable<NetDevice> tbl, Addrconf addrconf, Ip6Route route, NdiscSender sender,
                            OwnAddressObserver claims) {
        this.claims = claims;
        this.tbl = tbl;
        this.addrconf = addrconf;
        this.route = route;
        this.sender = sender;
    }

    @Override
    public void ndiscReceived(NetDevice dev, int icmpType) {
        sender.stats().of(dev.ifindex()).countReceived(icmpType);
    }

    @Override
    public void rcvProbe(boolean multicast) {
        if (multicast) {
            tbl.stats().rcvProbesMcast++;
        } else {
            tbl.stats().rcvProbesUcast++;
        }
    }

    @Override
    public Neighbour<NetDevice> lookup(NetDevice dev, long hi, long lo) {
        return tbl.lookup(dev, hi, lo);
    }

    @Override
    public boolean learn(NetDevice dev, long hi, long lo, boolean creat, long lladdr, int state, int flags) {
        Neighbour<NetDevice> n = tbl.lookupOrCreate(dev, hi, lo, creat);
        if (n == null) {
            return false;
        }
        tbl.update(n, lladdr, state, flags);
        return true;
    }

    @Override
    public boolean update(NetDevice dev, Neighbour<NetDevice> n, long hi, long lo, long lladdr, int state, int flags) {
        Neighbour<NetDevice> entry = n != null ? n : tbl.create(dev, hi, lo);
        if (entry == null) {
            return false;
        }
        tbl.update(entry, lladdr, state, flags);
        return true;
    }

    @Override
    public boolean updateRouter(NetDevice dev, long hi, long lo, boolean markRouter, long lladdr, int state,
                                int flags) {
        Neighbour<NetDevice> n = tbl.lookupNoref(dev, hi, lo);
        if (n == null) {
            n = tbl.create(dev, hi, lo);
            if (n == null) {
                return false;
            }
        }
        if (markRouter) {
            tbl.markRouter(n);
        }
        tbl.update(n, lladdr, state, flags);
        return true;
    }

    @Override
    public void defaultRouter(NetDevice dev, Ipv6Address gw, int lifetimeSeconds) {
        if (lifetimeSeconds == 0) {
            route.deleteDefaultRouter(gw, dev);
        } else {
            route.setDefaultRouter(gw, dev, tbl.jiffies().fromSeconds(lifetimeSeconds));
        }
    }

    /**
     * The RA's link parameters: hop_limit, and NEIGH_VAR_SET of retrans_time and (with
     * gc_stale_time three times it) base_reachable_time, whose reachable_time is drawn again.
     */
    @Override
    public void linkParams(NetDevice dev, int hopLimit, long retransJiffies, long reachableJiffies) {
        Inet6Dev idev = Addrconf.idev(dev);
        if (hopLimit != 0) {
            addrconf.setDevice(dev, io.neighd.ipv6.Ipv6DevVar.HOP_LIMIT, hopLimit);
        }
        NeighParms p = idev.ndParms();
        if (retransJiffies != 0) {
            p.set(NeighVar.RETRANS_TIME, (int) retransJiffies);
        }
        if (reachableJiffies != 0) {
            p.set(NeighVar.GC_STALETIME, (int) (3 * reachableJiffies));
            tbl.procUpdate(p, NeighVar.BASE_REACHABLE_TIME, (int) reachableJiffies);
        }
    }

    @Override
    public void sendNa(NetDevice dev, long dstHi, long dstLo, long targetHi, long targetLo, boolean router,
                       boolean solicited, boolean override, boolean incOpt) {
        sender.sendNa(dev, dstHi, dstLo, targetHi, targetLo, router, solicited, override, incOpt);
    }

    @Override
    public boolean pneighEnqueue(NetDevice dev, RxFrame f, boolean packetHost) {
        byte[] copy = Arrays.copyOf(f.data, f.length);
        return tbl.pneighEnqueue(Addrconf.idev(dev).ndParms(), new ProxySkb<>(copy, dev, packetHost));
    }

    @Override
    public void dadFailure(Inet6Ifaddr ifa, long fromMac) {
        addrconf.dadFailure(ifa, fromMac);
    }

    @Override
    public void advertisedOurs(NetDevice dev, Inet6Ifaddr ifa, long fromMac) {
        claims.advertised(dev, ifa.address(), fromMac);
    }
}
