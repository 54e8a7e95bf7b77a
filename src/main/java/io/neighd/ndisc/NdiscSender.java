package io.neighd.ndisc;

import io.neighd.ip.NetDevice;
import io.neighd.ipv6.Addrconf;
import io.neighd.ipv6.Inet6Dev;
import io.neighd.ipv6.Inet6Ifaddr;
import io.neighd.ipv6.Ip6Output;
import io.neighd.ipv6.Ipv6DevVar;
import io.neighd.wire.EthernetFrame;
import io.neighd.wire.Icmpv6;
import io.neighd.wire.Ipv6Address;
import io.neighd.wire.NdMessage;

/**
 * ndisc_send_ns(), ndisc_send_na() and ndisc_send_unsol_na() (net/ipv6/ndisc.c): the source
 * address and options Linux gives each message, and ndisc_send_skb() through the output path,
 * which resolves (or maps, for multicast) the destination in nd_tbl like any other packet.
 */
public final class NdiscSender implements Addrconf.Ndisc {
    private final Addrconf addrconf;
    private final Ip6Output output;
    private final NdiscStats stats;

    public NdiscSender(Addrconf addrconf, Ip6Output output, NdiscStats stats) {
        this.addrconf = addrconf;
        this.output = output;
        this.stats = stats;
    }

    public NdiscStats stats() {
        return stats;
    }

    /**
     * ndisc_send_ns(): without a source, the device's first link-local address that is neither
     * tentative nor optimistic, and no solicitation at all if it has none; no source link-layer
     * option from {@code ::}.
     */
    @Override
    public void sendNs(NetDevice dev, Ipv6Address target, Ipv6Address dst, Ipv6Address src, long nonce) {
        Ipv6Address saddr = src;
        if (saddr == null) {
            Inet6Ifaddr ll = addrconf.getLladdr(dev, Inet6Ifaddr.F_TENTATIVE | Inet6Ifaddr.F_OPTIMISTIC);
            if (ll == null) {
                return;
            }
            saddr = ll.address();
        }
        long sllao = saddr.isAny() ? NdMessage.NO_LLADDR : dev.hwAddr();
        int headroom = headroom(dev);
        send(dev, NdMessage.ns(headroom, saddr.hi(), saddr.lo(), dst.hi(), dst.lo(), target.hi(), target.lo(), sllao,
                nonce), headroom, Icmpv6.NEIGHBOUR_SOLICITATION);
    }

    /**
     * ndisc_send_na(): from the target itself when it is one of the device's addresses (no
     * override from an optimistic one; force_tllao adds the option), else (anycast, proxy) from
     * the source address selection picks for {@code dst}, and nothing if there is none.
     */
    @Override
    public void sendNa(NetDevice dev, Ipv6Address dst, Ipv6Address target, boolean router, boolean solicited,
                       boolean override, boolean incOpt) {
        sendNa(dev, dst.hi(), dst.lo(), target.hi(), target.lo(), router, solicited, override, incOpt);
    }

    public void sendNa(NetDevice dev, long dstHi, long dstLo, long targetHi, long targetLo, boolean router,
                       boolean solicited, boolean override, boolean incOpt) {
        long srcHi;
        long srcLo;
        Inet6Ifaddr ifp = addrconf.getIfaddr(targetHi, targetLo, dev, true);
        if (ifp != null) {
            srcHi = targetHi;
            srcLo = targetLo;
            if ((ifp.flags() & Inet6Ifaddr.F_OPTIMISTIC) != 0) {
                override = false;
            }
            incOpt |= ifp.idev().cnf().get(Ipv6DevVar.FORCE_TLLAO) != 0;
        } else {
            Ipv6Address s = addrconf.devGetSaddr(dev, dstHi, dstLo);
            if (s == null) {
                return;
            }
            srcHi = s.hi();
            srcLo = s.lo();
        }
        int flags = (router ? NdMessage.FLAG_ROUTER : 0) | (solicited ? NdMessage.FLAG_SOLICITED : 0)
                | (override ? NdMessage.FLAG_OVERRIDE : 0);
        int headroom = headroom(dev);
        send(dev, NdMessage.na(headroom, srcHi, srcLo, dstHi, dstLo, targetHi, targetLo, flags,
                incOpt ? dev.hwAddr() : NdMessage.NO_LLADDR), headroom, Icmpv6.NEIGHBOUR_ADVERTISEMENT);
    }

    /**
     * ndisc_send_unsol_na(): an unsolicited, overriding NA to all nodes for every address that is
     * not tentative (optimistic ones included); R as the device forwards. Answers how many.
     */
    public int sendUnsolicitedNa(NetDevice dev) {
        Inet6Dev idev = Addrconf.idev(dev);
        if (idev == null) {
            return 0;
        }
        int n = 0;
        boolean router = idev.cnf().get(Ipv6DevVar.FORWARDING) != 0;
        for (Inet6Ifaddr ifa : idev.addresses()) {
            if ((ifa.flags() & Inet6Ifaddr.F_TENTATIVE) != 0 && (ifa.flags() & Inet6Ifaddr.F_OPTIMISTIC) == 0) {
                continue;
            }
            sendNa(dev, Ipv6Address.ALL_NODES, ifa.address(), router, false, true, true);
            n++;
        }
        return n;
    }

    /**
     * ndisc_send_skb(): counted as sent (ICMP6MSGOUT) once handed to the output path, which runs
     * even on a device that cannot transmit (its qdisc drops the frame after the neighbour work).
     */
    private void send(NetDevice dev, byte[] buf, int headroom, int type) {
        output.sendNdisc(dev, buf, headroom);
        stats.of(dev.ifindex()).countSent(type);
    }

    /** LL_RESERVED_SPACE(dev): room for the Ethernet header (with its VLAN tag), written in place on output. */
    private static int headroom(NetDevice dev) {
        return dev.vlan() < 0 ? EthernetFrame.HEADER : EthernetFrame.VLAN_HEADER;
    }
}
