package io.neighd.ipv6;

import io.neighd.ip.Ipv4Output;
import io.neighd.ip.NetDevice;
import io.neighd.neighbour.Neighbour;
import io.neighd.neighbour.NeighbourTable;
import io.neighd.neighbour.NudState;
import io.neighd.neighbour.Skb;
import io.neighd.wire.Ipv6Address;
import io.neighd.wire.Ipv6Packet;

import java.util.function.Consumer;

/**
 * The outbound path of a locally generated IPv6 packet (net/ipv6/ip6_output.c):
 * ip6_finish_output2() → __ipv6_neigh_lookup_noref / __neigh_create in nd_tbl → neigh_output,
 * for neighbour discovery (ndisc_send_skb: the next hop is the destination itself, on the given
 * device) and for everything else after ip6_route_output. A packet for an unresolved neighbour
 * waits on the entry's queue, as an IPv4 one does.
 */
public final class Ip6Output {
    private final Ip6Route route;
    private final NeighbourTable<NetDevice> ndTbl;
    private final Consumer<byte[]> loopback;

    /** @param loopback receives packets for local addresses, as the loopback device would */
    public Ip6Output(Ip6Route route, NeighbourTable<NetDevice> ndTbl, Consumer<byte[]> loopback) {
        this.route = route;
        this.ndTbl = ndTbl;
        this.loopback = loopback;
    }

    /** ndisc_send_skb(): {@code l3} to its destination on {@code dev}, through the destination's entry. */
    public Ipv4Output.Result sendNdisc(NetDevice dev, byte[] l3) {
        return sendNdisc(dev, l3, 0);
    }

    /** The same for a packet built {@code headroom} bytes into {@code buf} (room for the link-layer header). */
    public Ipv4Output.Result sendNdisc(NetDevice dev, byte[] buf, int headroom) {
        return output(dev, Ipv6Address.readHi(buf, headroom + Ipv6Packet.DST),
                Ipv6Address.readLo(buf, headroom + Ipv6Packet.DST), new Skb(buf, headroom, null));
    }

    /** ip6_output() of a complete packet (source chosen by the caller); {@code oif} for scoped destinations. */
    public Ipv4Output.Result send(byte[] l3, NetDevice oif, Skb.LinkFailure onFailure) {
        long dHi = Ipv6Address.readHi(l3, Ipv6Packet.DST);
        long dLo = Ipv6Address.readLo(l3, Ipv6Packet.DST);
        Ip6Route.Route r = route.output(dHi, dLo, oif);
        if (r == null) {
            return Ipv4Output.Result.NO_ROUTE;
        }
        if (r.local()) {
            loopback.accept(l3);
            return Ipv4Output.Result.LOCAL;
        }
        return output(r.dev(), r.nexthop().hi(), r.nexthop().lo(), new Skb(l3, onFailure));
    }

    /** ip6_finish_output2(): the next hop's entry, created if need be, then neigh_output(). */
    private Ipv4Output.Result output(NetDevice dev, long nhHi, long nhLo, Skb skb) {
        if (Addrconf.idev(dev) == null) {
            return Ipv4Output.Result.NO_ROUTE;
        }
        Neighbour<NetDevice> n = ndTbl.lookupNoref(dev, nhHi, nhLo);
        if (n == null) {
            n = ndTbl.create(dev, nhHi, nhLo);
            if (n == null) {
                return Ipv4Output.Result.TABLE_FULL;
            }
        }
        if (ndTbl.output(n, skb)) {
            return Ipv4Output.Result.SENT;
        }
        return (n.state() & NudState.NUD_INCOMPLETE) != 0 ? Ipv4Output.Result.QUEUED : Ipv4Output.Result.DROPPED;
    }

    /** The route a packet to {@code dst} takes, for the tools. */
    public Ip6Route.Route route(Ipv6Address dst, NetDevice oif) {
        return route.output(dst.hi(), dst.lo(), oif);
    }
}
