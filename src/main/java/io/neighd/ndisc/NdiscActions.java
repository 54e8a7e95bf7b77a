package io.neighd.ndisc;

import io.neighd.ip.NetDevice;
import io.neighd.ipv6.Inet6Ifaddr;
import io.neighd.neighbour.Neighbour;
import io.neighd.wire.Ipv6Address;
import io.neighd.wire.RxFrame;

/**
 * The side effects of ndisc_rcv() and its handlers, which decide once and act through this port:
 * {@link LiveNdiscActions} on the receive path, the explain endpoint's implementation otherwise
 * (which says what would happen and predicts a full table or proxy queue, changing nothing).
 */
public interface NdiscActions {
    /** An ND message reached ndisc_rcv(): the per-interface counters (ICMP6MSGIN). */
    void ndiscReceived(NetDevice dev, int icmpType);

    /** NEIGH_CACHE_STAT_INC(&nd_tbl, rcv_probes_mcast / rcv_probes_ucast). */
    void rcvProbe(boolean multicast);

    /** neigh_lookup(): counts a lookup (and a hit). */
    Neighbour<NetDevice> lookup(NetDevice dev, long hi, long lo);

    /**
     * __neigh_lookup(creat) (one lookup counted), then ndisc_update() of the entry found or made.
     *
     * @return false if there is no entry: none and {@code creat} false, or no room for one
     */
    boolean learn(NetDevice dev, long hi, long lo, boolean creat, long lladdr, int state, int flags);

    /**
     * ndisc_update() of {@code n}, or, when it is null, of an entry neigh_create() makes first (no
     * lookup counted). False: no room for it.
     */
    boolean update(NetDevice dev, Neighbour<NetDevice> n, long hi, long lo, long lladdr, int state, int flags);

    /**
     * The router's entry as ndisc_router_discovery() reaches it: through its default route
     * (ip6_neigh_lookup: no statistics; {@code markRouter} for a new route sets NTF_ROUTER
     * directly), then ndisc_update(). False: no room for it.
     */
    boolean updateRouter(NetDevice dev, long hi, long lo, boolean markRouter, long lladdr, int state, int flags);

    /** rt6_add_dflt_router() / fib6_set_expires() ({@code lifetime} > 0), or ip6_del_rt() (0). */
    void defaultRouter(NetDevice dev, Ipv6Address gw, int lifetimeSeconds);

    /** The link parameters an accepted RA sets: hop limit (0: unchanged) and nd_parms times in jiffies (0: unchanged). */
    void linkParams(NetDevice dev, int hopLimit, long retransJiffies, long reachableJiffies);

    /** ndisc_send_na() */
    void sendNa(NetDevice dev, long dstHi, long dstLo, long targetHi, long targetLo, boolean router,
                boolean solicited, boolean override, boolean incOpt);

    /** pneigh_enqueue(): hold the solicitation for its random delay. False: proxy_qlen exceeded. */
    boolean pneighEnqueue(NetDevice dev, RxFrame f, boolean packetHost);

    /** addrconf_dad_failure() */
    void dadFailure(Inet6Ifaddr ifa, long fromMac);

    /**
     * ndisc_recv_na()'s "advertised our address": {@code fromMac}, another station, advertises
     * {@code ifa}, a valid address of this host — for conflict detection (the NA itself is
     * dropped, as Linux drops it).
     */
    void advertisedOurs(NetDevice dev, Inet6Ifaddr ifa, long fromMac);
}
