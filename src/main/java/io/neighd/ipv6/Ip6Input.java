package io.neighd.ipv6;

import io.neighd.ip.NetDevice;
import io.neighd.neighbour.NeighbourTable;
import io.neighd.wire.Icmpv6;
import io.neighd.wire.Ipv6Address;
import io.neighd.wire.Ipv6Packet;
import io.neighd.wire.RxFrame;

/**
 * An IPv6 packet's way to its upper layer (net/ipv6/ip6_input.c): ip6_rcv_core()'s checks in the
 * kernel's order, then ip6_route_input() (a multicast group the device has joined, a local or
 * anycast address, or, with forwarding and proxy_ndp, ip6_forward()'s hand-over of neighbour
 * discovery for a proxied address to the local input). It decides; the caller names the outcome.
 */
public final class Ip6Input {
    /** PACKET_* of the frame (eth_type_trans), as the ARP side numbers them. */
    public static final int PACKET_HOST = 0;
    public static final int PACKET_BROADCAST = 1;
    public static final int PACKET_MULTICAST = 2;

    /** Where a packet ends up. */
    public enum Verdict {
        /** ICMPv6 for this host: to icmpv6_rcv(). */
        DELIVER,
        /** Neighbour discovery for a proxied address, handed from ip6_forward() to the local input. */
        DELIVER_PROXIED,
        /** Something other than ICMPv6 for this host. */
        NOT_HANDLED,
        DISABLED,
        BAD_SOURCE,
        BAD_DESTINATION,
        UNICAST_IN_L2_MULTICAST,
        TRUNCATED,
        NOT_MEMBER,
        NOT_LOCAL
    }

    private final Addrconf addrconf;
    private final NeighbourTable<NetDevice> ndTbl;

    public Ip6Input(Addrconf addrconf, NeighbourTable<NetDevice> ndTbl) {
        this.addrconf = addrconf;
        this.ndTbl = ndTbl;
    }

    /** ipv6_rcv() for a decoded frame that is for this host at the link layer. */
    public Verdict receive(NetDevice dev, RxFrame f, int pktType) {
        Inet6Dev idev = Addrconf.idev(dev);
        if (idev == null || idev.cnf.get(Ipv6DevVar.DISABLE_IPV6) != 0) {
            return Verdict.DISABLED;
        }
        long sHi = f.ip6SrcHi;
        long sLo = f.ip6SrcLo;
        long dHi = f.ip6DstHi;
        long dLo = f.ip6DstLo;
        boolean dstMulticast = Ipv6Address.isMulticast(dHi);
        if (!dev.isLoopback()) {
            // RFC 4291 2.5.3: the loopback address never arrives from the wire
            if (Ipv6Address.isLoopback(sHi, sLo)) {
                return Verdict.BAD_SOURCE;
            }
            if (Ipv6Address.isLoopback(dHi, dLo)) {
                return Verdict.BAD_DESTINATION;
            }
            // RFC 4291 errata 3480: interface-local multicast only loops back
            if (dstMulticast && Ipv6Address.multicastScope(dHi) == 1) {
                return Verdict.BAD_DESTINATION;
            }
        }
        if (!dstMulticast && (pktType == PACKET_BROADCAST || pktType == PACKET_MULTICAST)
                && idev.cnf.get(Ipv6DevVar.DROP_UNICAST_IN_L2_MULTICAST) != 0) {
            return Verdict.UNICAST_IN_L2_MULTICAST;
        }
        if (dstMulticast && Ipv6Address.multicastScope(dHi) == 0) {
            return Verdict.BAD_DESTINATION;
        }
        if (Ipv6Address.isMulticast(sHi)) {
            return Verdict.BAD_SOURCE;
        }
        int pktLen = f.ip6PayloadLength;
        if ((pktLen != 0 || f.ip6NextHeader != Ipv6Packet.NEXTHDR_HOP)
                && pktLen + Ipv6Packet.HEADER > f.length - f.l3) {
            return Verdict.TRUNCATED;
        }
        boolean icmp = f.ip6NextHeader == Ipv6Packet.NEXTHDR_ICMP;
        if (dstMulticast) {
            if (!addrconf.chkMcastAddr(dev, dHi, dLo)) {
                return Verdict.NOT_MEMBER;
            }
            return icmp ? Verdict.DELIVER : Verdict.NOT_HANDLED;
        }
        if (addrconf.chkAddr(dHi, dLo, Ipv6Address.isLinkLocal(dHi) ? dev : null)
                || addrconf.chkAcastAddr(dev, dHi, dLo)) {
            return icmp ? Verdict.DELIVER : Verdict.NOT_HANDLED;
        }
        return forwardProxy(dev, f, pktType, icmp) ? Verdict.DELIVER_PROXIED : Verdict.NOT_LOCAL;
    }

    /**
     * ip6_forward() up to ip6_forward_proxy_check(): with all.forwarding on, a packet for
     * PACKET_HOST whose destination has a proxy entry and that is ICMPv6 neighbour discovery is
     * passed to the local input (anything else would be forwarded, which neighd does not do).
     */
    private boolean forwardProxy(NetDevice dev, RxFrame f, int pktType, boolean icmp) {
        if (addrconf.all().get(Ipv6DevVar.FORWARDING) == 0 || pktType != PACKET_HOST
                || addrconf.all().get(Ipv6DevVar.PROXY_NDP) == 0 || f.ip6HopLimit <= 1
                || ndTbl.pneighLookup(f.ip6DstHi, f.ip6DstLo, dev) == null || !icmp || f.l4Length < 1) {
            return false;
        }
        int type = Icmpv6.type(f.data, f.l4);
        return type >= Icmpv6.ROUTER_SOLICITATION && type <= Icmpv6.REDIRECT;
    }
}
