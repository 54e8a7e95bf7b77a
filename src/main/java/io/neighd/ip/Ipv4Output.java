package io.neighd.ip;

import io.neighd.neighbour.Neighbour;
import io.neighd.neighbour.NeighbourTable;
import io.neighd.neighbour.Skb;
import io.neighd.wire.Ipv4Address;

import java.util.function.Consumer;

/**
 * The outbound path of a locally generated IPv4 packet: ip_route_output → ip_finish_output2 →
 * ip_neigh_for_gw (__ipv4_neigh_lookup_noref or __neigh_create) → sock_confirm_neigh →
 * neigh_output. A packet for an unresolved neighbour waits on the entry's arp_queue.
 */
public final class Ipv4Output {
    public enum Result {
        /** Handed to the device. */
        SENT,
        /** Waiting on the neighbour's arp_queue. */
        QUEUED,
        /** For a local address: looped back. */
        LOCAL,
        /** No route (ENETUNREACH). */
        NO_ROUTE,
        /** The neighbour could not be created (ENOBUFS: table full). */
        TABLE_FULL,
        /** Resolution is impossible (mcast_solicit + app_solicit = 0): FAILED at once. */
        DROPPED
    }

    private final IpRoute route;
    private final NeighbourTable<NetDevice> tbl;
    private final Consumer<byte[]> loopback;

    /** @param loopback receives packets for local addresses, as the loopback device would */
    public Ipv4Output(IpRoute route, NeighbourTable<NetDevice> tbl, Consumer<byte[]> loopback) {
        this.route = route;
        this.tbl = tbl;
        this.loopback = loopback;
    }

    /** The next hop the packet to {@code dst} would use: the gateway, or {@code dst} on a connected route. */
    public static int nexthop(Route r, int dst) {
        return r.gateway() != 0 ? r.gateway() : dst;
    }

    /**
     * Sends an IPv4 packet whose header is complete (source chosen by the caller, see
     * {@link IpRoute#sourceFor}).
     *
     * @param confirm MSG_CONFIRM: the upper layer has seen the neighbour answer (dst_confirm_neigh)
     */
    public Result send(byte[] l3, Skb.LinkFailure onFailure, boolean confirm) {
        int daddr = Ipv4Address.read(l3, 16);
        Route r = route.routeOutput(daddr);
        if (r == null) {
            return Result.NO_ROUTE;
        }
        if (r.type() == RouteType.LOCAL) {
            loopback.accept(l3);
            return Result.LOCAL;
        }
        NetDevice dev = r.dev();
        int nh = r.type() == RouteType.BROADCAST ? daddr : nexthop(r, daddr);
        Neighbour<NetDevice> n = tbl.lookupNoref(dev, nh);
        if (n == null) {
            n = tbl.create(dev, nh);
            if (n == null) {
                return Result.TABLE_FULL;
            }
        }
        if (confirm) {
            tbl.confirm(n);
        }
        Skb skb = new Skb(l3, onFailure);
        if (tbl.output(n, skb)) {
            return Result.SENT;
        }
        return (n.state() & io.neighd.neighbour.NudState.NUD_INCOMPLETE) != 0 ? Result.QUEUED : Result.DROPPED;
    }

    /** dst_confirm_neigh(): an upper layer confirms the neighbour {@code dst} is reached through. */
    public boolean confirm(int daddr) {
        Route r = route.routeOutput(daddr);
        if (r == null || r.type() == RouteType.LOCAL) {
            return false;
        }
        Neighbour<NetDevice> n = tbl.lookupNoref(r.dev(), nexthop(r, daddr));
        if (n == null) {
            return false;
        }
        tbl.confirm(n);
        return true;
    }
}
