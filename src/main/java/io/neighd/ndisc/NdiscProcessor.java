package io.neighd.ndisc;

import io.neighd.arp.ArpTrace;
import io.neighd.arp.Reason;
import io.neighd.ip.NetDevice;
import io.neighd.ipv6.Addrconf;
import io.neighd.ipv6.Inet6Dev;
import io.neighd.ipv6.Inet6Ifaddr;
import io.neighd.ipv6.Ip6Input;
import io.neighd.ipv6.Ip6Route;
import io.neighd.ipv6.Ipv6DevVar;
import io.neighd.neighbour.NeighVar;
import io.neighd.neighbour.Neighbour;
import io.neighd.neighbour.NeighbourTable;
import io.neighd.neighbour.NudState;
import io.neighd.neighbour.Pneigh;
import io.neighd.neighbour.ProxySkb;
import io.neighd.neighbour.UpdateFlags;
import io.neighd.wire.Icmpv6;
import io.neighd.wire.Ipv6Address;
import io.neighd.wire.MacAddress;
import io.neighd.wire.NdMessage;
import io.neighd.wire.NdOptions;
import io.neighd.wire.RxFrame;

/**
 * ndisc_rcv() and its handlers (net/ipv6/ndisc.c) in the kernel's order: hop limit 255 and code 0,
 * then ndisc_recv_ns (DAD, local, anycast and proxied targets, the sender learned and the solicited
 * advertisement), ndisc_recv_na (neigh_update with the override, solicited and router flags,
 * accept_untracked_na, drop_unsolicited_na, DAD conflicts), ndisc_recv_rs, ndisc_router_discovery
 * (the router's entry and, with accept_ra, its default route and the link parameters) and
 * ndisc_redirect_rcv.
 *
 * <p>Each message ends in one {@link Reason}; the decision is made here and acted on through
 * {@link NdiscActions}; the checks go to the {@link ArpTrace} when one is given.
 */
public final class NdiscProcessor {
    private final Addrconf addrconf;
    private final Ip6Route route;
    private final NeighbourTable<NetDevice> tbl;
    private final NdOptions opts = new NdOptions();

    public NdiscProcessor(Addrconf addrconf, Ip6Route route, NeighbourTable<NetDevice> tbl) {
        this.addrconf = addrconf;
        this.route = route;
        this.tbl = tbl;
    }

    /** ndisc_rcv(): {@code f.l4} is the ICMPv6 message, its checksum verified. */
    public Reason receive(NetDevice dev, RxFrame f, int pktType, NdiscActions fx, ArpTrace trace) {
        int type = Icmpv6.type(f.data, f.l4);
        if (f.ip6HopLimit != NdMessage.HOP_LIMIT) {
            if (trace != null) {
                trace.step("ndisc_rcv", "hop limit " + f.ip6HopLimit + " is not 255: not from this link, dropped");
            }
            return Reason.NDISC_BAD_HOP_LIMIT;
        }
        int code = Icmpv6.code(f.data, f.l4);
        if (code != 0) {
            if (trace != null) {
                trace.step("ndisc_rcv", "ICMPv6 code " + code + " is not 0: dropped");
            }
            return Reason.NDISC_BAD_CODE;
        }
        fx.ndiscReceived(dev, type);
        return switch (type) {
            case Icmpv6.NEIGHBOUR_SOLICITATION -> recvNs(dev, f, pktType, false, fx, trace);
            case Icmpv6.NEIGHBOUR_ADVERTISEMENT -> recvNa(dev, f, fx, trace);
            case Icmpv6.ROUTER_SOLICITATION -> recvRs(dev, f, fx, trace);
            case Icmpv6.ROUTER_ADVERTISEMENT -> routerDiscovery(dev, f, fx, trace);
            default -> redirect(dev, f, fx, trace);
        };
    }

    /** pndisc_redo(): a proxied solicitation whose delay has passed (LOCALLY_ENQUEUED). */
    public Reason redo(ProxySkb<NetDevice> skb, RxFrame f, NdiscActions fx) {
        return recvNs(skb.dev(), f, skb.packetHost() ? Ip6Input.PACKET_HOST : Ip6Input.PACKET_MULTICAST, true, fx,
                null);
    }

    // ------------------------------------------------------------------ NS

    /** ndisc_recv_ns() */
    Reason recvNs(NetDevice dev, RxFrame f, int pktType, boolean locallyEnqueued, NdiscActions fx, ArpTrace trace) {
        byte[] b = f.data;
        int m = f.l4;
        int len = f.l4Length;
        if (len < NdMessage.ND_MSG) {
            if (trace != null) {
                trace.step("ndisc_recv_ns", len + " bytes: shorter than a solicitation (24)");
            }
            return Reason.NDISC_TRUNCATED;
        }
        long tHi = NdMessage.targetHi(b, m);
        long tLo = NdMessage.targetLo(b, m);
        if (Ipv6Address.isMulticast(tHi)) {
            if (trace != null) {
                trace.step("ndisc_recv_ns", "target " + Ipv6Address.toString(tHi, tLo) + " is multicast: dropped");
            }
            return Reason.NDISC_TARGET_MULTICAST;
        }
        boolean dad = Ipv6Address.isAny(f.ip6SrcHi, f.ip6SrcLo);
        if (dad && !Ipv6Address.isSolicitedNode(f.ip6DstHi, f.ip6DstLo)) {
            if (trace != null) {
                trace.step("ndisc_recv_ns", "DAD probe to " + Ipv6Address.toString(f.ip6DstHi, f.ip6DstLo)
                        + ", not a solicited-node address (RFC 4861 7.1.1): dropped");
            }
            return Reason.NDISC_BAD_DAD;
        }
        if (!opts.parse(b, m + NdMessage.ND_MSG, len - NdMessage.ND_MSG)) {
            if (trace != null) {
                trace.step("ndisc_parse_options", "malformed options: dropped");
            }
            return Reason.NDISC_BAD_OPTIONS;
        }
        long lladdr = NdMessage.NO_LLADDR;
        if (opts.srcLladdr >= 0) {
            lladdr = opts.lladdr(opts.srcLladdr);
            if (lladdr == NdOptions.BAD_LLADDR) {
                if (trace != null) {
                    trace.step("ndisc_recv_ns", "source link-layer address option of the wrong length: dropped");
                }
                return Reason.NDISC_BAD_LLADDR;
            }
            if (dad) {
                if (trace != null) {
                    trace.step("ndisc_recv_ns", "DAD probe with a source link-layer address option: dropped");
                }
                return Reason.NDISC_BAD_DAD;
            }
        }
        long nonce = opts.nonceValue();
        boolean inc = Ipv6Address.isMulticast(f.ip6DstHi);
        Inet6Ifaddr ifp = addrconf.getIfaddr(tHi, tLo, dev, true);
        Inet6Dev idev;
        int isRouter = -1;
        if (ifp != null) {
            if ((ifp.flags() & (Inet6Ifaddr.F_TENTATIVE | Inet6Ifaddr.F_OPTIMISTIC)) != 0) {
                if (dad) {
                    if (nonce != 0 && ifp.dadNonceMatches(nonce)) {
                        if (trace != null) {
                            trace.step("ndisc_recv_ns", "DAD probe for tentative " + ifp.address()
                                    + " carries our own nonce: our probe looped back, ignored");
                        }
                        return Reason.NDISC_DAD_LOOPED;
                    }
                    if (trace != null) {
                        trace.step("addrconf_dad_failure", "another node (" + MacAddress.toString(f.ethSrc)
                                + ") probes for our tentative " + ifp.address() + ": duplicate address detected");
                    }
                    fx.dadFailure(ifp, f.ethSrc);
                    return Reason.NDISC_DAD_CONFLICT;
                }
                if ((ifp.flags() & Inet6Ifaddr.F_OPTIMISTIC) == 0) {
                    if (trace != null) {
                        trace.step("ndisc_recv_ns", ifp.address() + " is tentative: not answered while DAD runs");
                    }
                    return Reason.NDISC_NS_TENTATIVE;
                }
            }
            idev = ifp.idev();
            if (trace != null) {
                trace.step("ipv6_get_ifaddr", "target " + ifp.address() + " is an address of " + dev.name());
            }
        } else {
            idev = Addrconf.idev(dev);
            if (idev == null) {
                return Reason.IPV6_DISABLED;
            }
            boolean anycast = addrconf.chkAcastAddr(dev, tHi, tLo);
            boolean proxyNdp = addrconf.all().get(Ipv6DevVar.PROXY_NDP) != 0
                    || idev.cnf().get(Ipv6DevVar.PROXY_NDP) != 0;
            Pneigh<NetDevice> pn = null;
            if (!anycast && idev.cnf().get(Ipv6DevVar.FORWARDING) != 0 && proxyNdp) {
                pn = tbl.pneighLookup(tHi, tLo, dev);
                if (pn != null) {
                    isRouter = pn.router() ? 1 : 0;
                }
            }
            if (!anycast && pn == null) {
                if (trace != null) {
                    trace.step("ndisc_recv_ns", "target " + Ipv6Address.toString(tHi, tLo)
                            + " is not local, not anycast, and not proxied (forwarding="
                            + idev.cnf().get(Ipv6DevVar.FORWARDING) + ", proxy_ndp=" + (proxyNdp ? 1 : 0)
                            + "): not for us");
                }
                return Reason.NDISC_NS_NOT_FOR_US;
            }
            if (trace != null) {
                trace.step("ndisc_recv_ns", "target " + Ipv6Address.toString(tHi, tLo)
                        + (anycast ? " is an anycast address of " + dev.name() : " has a proxy entry (proxy_ndp)"));
            }
            int delay = idev.ndParms().get(NeighVar.PROXY_DELAY);
            if (!locallyEnqueued && pktType != Ip6Input.PACKET_HOST && inc && delay != 0) {
                if (trace != null) {
                    trace.step("pneigh_enqueue", "multicast solicitation: answer after a random delay below "
                            + "proxy_delay=" + tbl.jiffies().toMillis(delay) + " ms");
                }
                return fx.pneighEnqueue(dev, f, pktType == Ip6Input.PACKET_HOST) ? Reason.NDISC_PROXY_QUEUED
                        : Reason.PROXY_QUEUE_FULL;
            }
        }
        if (isRouter < 0) {
            isRouter = idev.cnf().get(Ipv6DevVar.FORWARDING);
        }
        if (dad) {
            if (trace != null) {
                trace.step("ndisc_send_na", "DAD probe: advertise " + Ipv6Address.toString(tHi, tLo)
                        + " to all nodes (override " + (ifp != null) + "), nothing learned");
            }
            fx.sendNa(dev, Ipv6Address.ALL_NODES.hi(), Ipv6Address.ALL_NODES.lo(), tHi, tLo, isRouter != 0, false,
                    ifp != null, true);
            return Reason.NDISC_DAD_REPLIED;
        }
        fx.rcvProbe(inc);
        boolean creat = !inc || lladdr != NdMessage.NO_LLADDR;
        if (trace != null) {
            trace.step("neigh_update", "sender " + Ipv6Address.toString(f.ip6SrcHi, f.ip6SrcLo)
                    + (lladdr != NdMessage.NO_LLADDR ? " with " + MacAddress.toString(lladdr)
                    : " without a link-layer address") + " towards STALE (weak override, override)"
                    + (creat ? "" : "; no entry is created for it"));
        }
        boolean have = fx.learn(dev, f.ip6SrcHi, f.ip6SrcLo, creat, lladdr, NudState.NUD_STALE,
                UpdateFlags.WEAK_OVERRIDE | UpdateFlags.OVERRIDE);
        if (!have) {
            if (creat) {
                return Reason.TABLE_FULL;
            }
            if (trace != null) {
                trace.step("ndisc_recv_ns", "multicast solicitation without a source link-layer address and no entry "
                        + "for the sender: not answered");
            }
            return Reason.NDISC_NS_NO_LLADDR;
        }
        boolean override = ifp != null && inc;
        if (trace != null) {
            trace.step("ndisc_send_na", "solicited advertisement for " + Ipv6Address.toString(tHi, tLo) + " to "
                    + Ipv6Address.toString(f.ip6SrcHi, f.ip6SrcLo) + " (R=" + isRouter + ", S=1, O="
                    + (override ? 1 : 0)
                    + (inc ? ", with our link-layer address)" : ", no option: the solicitation was unicast)"));
        }
        fx.sendNa(dev, f.ip6SrcHi, f.ip6SrcLo, tHi, tLo, isRouter != 0, true, override, inc);
        return ifp != null ? Reason.NDISC_NS_REPLIED : Reason.NDISC_PROXY_REPLIED;
    }

    // ------------------------------------------------------------------ NA

    /** ndisc_recv_na() */
    private Reason recvNa(NetDevice dev, RxFrame f, NdiscActions fx, ArpTrace trace) {
        byte[] b = f.data;
        int m = f.l4;
        int len = f.l4Length;
        if (len < NdMessage.ND_MSG) {
            if (trace != null) {
                trace.step("ndisc_recv_na", len + " bytes: shorter than an advertisement (24)");
            }
            return Reason.NDISC_TRUNCATED;
        }
        long tHi = NdMessage.targetHi(b, m);
        long tLo = NdMessage.targetLo(b, m);
        int flags = NdMessage.naFlags(b, m);
        boolean solicited = (flags & NdMessage.FLAG_SOLICITED) != 0;
        boolean override = (flags & NdMessage.FLAG_OVERRIDE) != 0;
        boolean router = (flags & NdMessage.FLAG_ROUTER) != 0;
        if (Ipv6Address.isMulticast(tHi)) {
            if (trace != null) {
                trace.step("ndisc_recv_na", "target " + Ipv6Address.toString(tHi, tLo) + " is multicast: dropped");
            }
            return Reason.NDISC_TARGET_MULTICAST;
        }
        if (Ipv6Address.isMulticast(f.ip6DstHi) && solicited) {
            if (trace != null) {
                trace.step("ndisc_recv_na", "solicited advertisement sent to multicast "
                        + Ipv6Address.toString(f.ip6DstHi, f.ip6DstLo) + ": dropped");
            }
            return Reason.NDISC_NA_SOLICITED_MULTICAST;
        }
        Inet6Dev idev = Addrconf.idev(dev);
        if (!solicited && idev != null && idev.cnf().get(Ipv6DevVar.DROP_UNSOLICITED_NA) != 0) {
            if (trace != null) {
                trace.step("drop_unsolicited_na", "unsolicited advertisement and drop_unsolicited_na=1: dropped");
            }
            return Reason.NDISC_NA_UNSOLICITED_DROPPED;
        }
        if (!opts.parse(b, m + NdMessage.ND_MSG, len - NdMessage.ND_MSG)) {
            if (trace != null) {
                trace.step("ndisc_parse_options", "malformed options: dropped");
            }
            return Reason.NDISC_BAD_OPTIONS;
        }
        long lladdr = NdMessage.NO_LLADDR;
        if (opts.tgtLladdr >= 0) {
            lladdr = opts.lladdr(opts.tgtLladdr);
            if (lladdr == NdOptions.BAD_LLADDR) {
                if (trace != null) {
                    trace.step("ndisc_recv_na", "target link-layer address option of the wrong length: dropped");
                }
                return Reason.NDISC_BAD_LLADDR;
            }
        }
        Inet6Ifaddr ifp = addrconf.getIfaddr(tHi, tLo, dev, true);
        if (ifp != null) {
            if (ifp.isTentative()) {
                if (trace != null) {
                    trace.step("addrconf_dad_failure", MacAddress.toString(f.ethSrc) + " advertises our tentative "
                            + ifp.address() + ": duplicate address detected");
                }
                fx.dadFailure(ifp, f.ethSrc);
                return Reason.NDISC_DAD_CONFLICT;
            }
            if (trace != null) {
                trace.step("ndisc_recv_na", MacAddress.toString(f.ethSrc) + " advertised our address " + ifp.address()
                        + " on " + dev.name() + ": ignored");
            }
            // Linux skips its own looped-back advertisements (PACKET_LOOPBACK); a capture has none
            if (f.ethSrc != dev.hwAddr()) {
                fx.advertisedOurs(dev, ifp, f.ethSrc);
            }
            return Reason.NDISC_NA_OWN_ADDRESS;
        }
        Neighbour<NetDevice> n = fx.lookup(dev, tHi, tLo);
        int newState = solicited ? NudState.NUD_REACHABLE : NudState.NUD_STALE;
        boolean create = false;
        if (n == null && lladdr != NdMessage.NO_LLADDR && idev != null
                && idev.cnf().get(Ipv6DevVar.FORWARDING) != 0 && acceptUntrackedNa(dev, idev, f)) {
            create = true;
            newState = NudState.NUD_STALE;
        }
        if (n == null && !create) {
            if (trace != null) {
                trace.step("ndisc_recv_na", "no entry for " + Ipv6Address.toString(tHi, tLo)
                        + " (untracked advertisements create none: forwarding="
                        + (idev == null ? 0 : idev.cnf().get(Ipv6DevVar.FORWARDING)) + ", accept_untracked_na="
                        + (idev == null ? 0 : idev.cnf().get(Ipv6DevVar.ACCEPT_UNTRACKED_NA)) + "): nothing to update");
            }
            return Reason.NDISC_NA_UNTRACKED;
        }
        if (n != null && (n.state() & NudState.NUD_FAILED) != 0) {
            if (trace != null) {
                trace.step("ndisc_recv_na", "the entry for " + Ipv6Address.toString(tHi, tLo)
                        + " is FAILED: not updated");
            }
            return Reason.NDISC_NA_ENTRY_FAILED;
        }
        if (lladdr == dev.hwAddr() && addrconf.all().get(Ipv6DevVar.FORWARDING) != 0
                && addrconf.all().get(Ipv6DevVar.PROXY_NDP) != 0 && tbl.pneighLookup(tHi, tLo, dev) != null) {
            if (trace != null) {
                trace.step("ndisc_recv_na", "our own proxy advertisement for " + Ipv6Address.toString(tHi, tLo)
                        + ": the entry is not updated");
            }
            return Reason.NDISC_NA_OWN_PROXY;
        }
        int uflags = UpdateFlags.WEAK_OVERRIDE | (override ? UpdateFlags.OVERRIDE : 0) | UpdateFlags.OVERRIDE_ISROUTER
                | (router ? UpdateFlags.ISROUTER : 0);
        if (trace != null) {
            trace.step("neigh_update", (n == null ? "new entry (accept_untracked_na)" : "entry " + n.nudState())
                    + " for " + Ipv6Address.toString(tHi, tLo)
                    + (lladdr != NdMessage.NO_LLADDR ? " with " + MacAddress.toString(lladdr)
                    : " (no target link-layer address)") + " towards " + NudState.ofBit(newState)
                    + ", R=" + (router ? 1 : 0) + " S=" + (solicited ? 1 : 0) + " O=" + (override ? 1 : 0));
        }
        if (!fx.update(dev, n, tHi, tLo, lladdr, newState, uflags)) {
            return Reason.TABLE_FULL;
        }
        return create ? Reason.NDISC_NA_CREATED : Reason.NDISC_NA_UPDATED;
    }

    /** accept_untracked_na(): 1 always, 2 when the source is on one of the device's prefixes. */
    private boolean acceptUntrackedNa(NetDevice dev, Inet6Dev idev, RxFrame f) {
        return switch (idev.cnf().get(Ipv6DevVar.ACCEPT_UNTRACKED_NA)) {
            case 1 -> true;
            case 2 -> addrconf.chkPrefix(f.ip6SrcHi, f.ip6SrcLo, dev);
            default -> false;
        };
    }

    // ------------------------------------------------------------------ RS, RA, redirect

    /** ndisc_recv_rs(): only a router (forwarding) learns the soliciting host, as STALE, router flag cleared. */
    private Reason recvRs(NetDevice dev, RxFrame f, NdiscActions fx, ArpTrace trace) {
        int len = f.l4Length;
        if (len < NdMessage.RS_MSG) {
            return Reason.NDISC_TRUNCATED;
        }
        Inet6Dev idev = Addrconf.idev(dev);
        if (idev == null || idev.cnf().get(Ipv6DevVar.FORWARDING) == 0) {
            if (trace != null) {
                trace.step("ndisc_recv_rs", "forwarding=0 on " + dev.name() + ": not a router, ignored");
            }
            return Reason.NDISC_RS_IGNORED;
        }
        if (Ipv6Address.isAny(f.ip6SrcHi, f.ip6SrcLo)) {
            if (trace != null) {
                trace.step("ndisc_recv_rs", "from :: (the host has no address yet): nothing learned");
            }
            return Reason.NDISC_RS_IGNORED;
        }
        if (!opts.parse(f.data, f.l4 + NdMessage.RS_MSG, len - NdMessage.RS_MSG)) {
            return Reason.NDISC_BAD_OPTIONS;
        }
        long lladdr = NdMessage.NO_LLADDR;
        if (opts.srcLladdr >= 0) {
            lladdr = opts.lladdr(opts.srcLladdr);
            if (lladdr == NdOptions.BAD_LLADDR) {
                return Reason.NDISC_BAD_LLADDR;
            }
        }
        if (trace != null) {
            trace.step("neigh_update", "router solicitation: " + Ipv6Address.toString(f.ip6SrcHi, f.ip6SrcLo)
                    + " towards STALE, router flag cleared");
        }
        if (!fx.learn(dev, f.ip6SrcHi, f.ip6SrcLo, true, lladdr, NudState.NUD_STALE,
                UpdateFlags.WEAK_OVERRIDE | UpdateFlags.OVERRIDE | UpdateFlags.OVERRIDE_ISROUTER)) {
            return Reason.TABLE_FULL;
        }
        return Reason.NDISC_RS_UPDATED;
    }

    /**
     * ndisc_router_discovery(), its neighbour side: with accept_ra the default route (whose new
     * entry gets the router flag at once), hop limit, retrans_time and base_reachable_time are
     * taken; in every case the router's entry goes STALE with the router flag. Prefix, route and
     * MTU options are parsed but not acted on (neighd does no SLAAC and keeps no routes but the
     * default ones).
     */
    private Reason routerDiscovery(NetDevice dev, RxFrame f, NdiscActions fx, ArpTrace trace) {
        byte[] b = f.data;
        int m = f.l4;
        if (!Ipv6Address.isLinkLocal(f.ip6SrcHi)) {
            if (trace != null) {
                trace.step("ndisc_router_discovery", "source " + Ipv6Address.toString(f.ip6SrcHi, f.ip6SrcLo)
                        + " is not link-local: dropped");
            }
            return Reason.NDISC_NOT_LINK_LOCAL;
        }
        int optlen = f.l4Length - NdMessage.RA_MSG;
        if (optlen < 0) {
            return Reason.NDISC_TRUNCATED;
        }
        Inet6Dev idev = Addrconf.idev(dev);
        if (idev == null) {
            return Reason.IPV6_DISABLED;
        }
        if (!opts.parse(b, m + NdMessage.RA_MSG, optlen)) {
            if (trace != null) {
                trace.step("ndisc_parse_options", "malformed options: dropped");
            }
            return Reason.NDISC_BAD_OPTIONS;
        }
        int srcOpt = opts.srcLladdr;
        Ipv6Address saddr = new Ipv6Address(f.ip6SrcHi, f.ip6SrcLo);
        boolean viaRoute = false;
        boolean markRouter = false;
        int newHop = 0;
        long rj = 0;
        long bj = 0;
        if (!acceptRa(idev)) {
            if (trace != null) {
                trace.step("accept_ra", "accept_ra=" + idev.cnf().get(Ipv6DevVar.ACCEPT_RA) + " with forwarding="
                        + idev.cnf().get(Ipv6DevVar.FORWARDING) + ": link parameters and routes not taken");
            }
        } else {
            int lifetime = NdMessage.raRouterLifetime(b, m);
            if (idev.cnf().get(Ipv6DevVar.ACCEPT_RA_DEFRTR) == 0) {
                if (trace != null) {
                    trace.step("accept_ra_defrtr", "0: no default router");
                }
            } else if (lifetime != 0 && lifetime < idev.cnf().get(Ipv6DevVar.ACCEPT_RA_MIN_LFT)) {
                if (trace != null) {
                    trace.step("accept_ra_min_lft", "router lifetime " + lifetime + " s is too short");
                }
            } else if (idev.cnf().get(Ipv6DevVar.ACCEPT_RA_FROM_LOCAL) == 0
                    && addrconf.chkAddr(saddr.hi(), saddr.lo(), dev)) {
                if (trace != null) {
                    trace.step("accept_ra_from_local", "the source is a local address: default router ignored");
                }
            } else {
                boolean had = route.getDefaultRouter(saddr, dev) != null;
                viaRoute = had || lifetime != 0;
                markRouter = !had && lifetime != 0;
                if (trace != null) {
                    trace.step("rt6_add_dflt_router", lifetime == 0
                            ? (had ? "lifetime 0: default route via " + saddr + " removed"
                            : "lifetime 0: no default route")
                            : (had ? "default route via " + saddr + " renewed for " + lifetime + " s"
                            : "default route via " + saddr + " for " + lifetime + " s"));
                }
                if (had || lifetime != 0) {
                    fx.defaultRouter(dev, saddr, lifetime);
                }
                int hop = NdMessage.raHopLimit(b, m);
                if (hop != 0 && idev.cnf().get(Ipv6DevVar.ACCEPT_RA_MIN_HOP_LIMIT) <= hop) {
                    newHop = hop;
                }
            }
            long retrans = NdMessage.raRetransTimer(b, m);
            if (retrans != 0) {
                rj = Math.max(retrans * tbl.jiffies().hz() / 1000, tbl.jiffies().hundredth());
            }
            long reach = NdMessage.raReachableTime(b, m);
            if (reach != 0) {
                bj = Math.max(reach * tbl.jiffies().hz() / 1000, Math.max(1, tbl.jiffies().hz() / 10));
                if (bj == idev.ndParms().get(NeighVar.BASE_REACHABLE_TIME)) {
                    bj = 0;
                }
            }
            if (newHop != 0 || rj != 0 || bj != 0) {
                if (trace != null) {
                    trace.step("ndisc_router_discovery", "link parameters:"
                            + (newHop != 0 ? " hop_limit " + newHop : "")
                            + (rj != 0 ? " retrans_time " + tbl.jiffies().toMillis(rj) + " ms" : "")
                            + (bj != 0 ? " base_reachable_time " + tbl.jiffies().toMillis(bj) + " ms" : ""));
                }
                fx.linkParams(dev, newHop, rj, bj);
            }
        }
        long lladdr = NdMessage.NO_LLADDR;
        if (srcOpt >= 0) {
            lladdr = opts.lladdr(srcOpt);
            if (lladdr == NdOptions.BAD_LLADDR) {
                if (trace != null) {
                    trace.step("ndisc_router_discovery", "source link-layer address option of the wrong length");
                }
                return Reason.NDISC_BAD_LLADDR;
            }
        }
        int uflags = UpdateFlags.WEAK_OVERRIDE | UpdateFlags.OVERRIDE | UpdateFlags.OVERRIDE_ISROUTER
                | UpdateFlags.ISROUTER;
        if (trace != null) {
            trace.step("neigh_update", "router " + saddr + (lladdr != NdMessage.NO_LLADDR ? " with "
                    + MacAddress.toString(lladdr) : "") + " towards STALE, router flag set");
        }
        boolean ok = viaRoute ? fx.updateRouter(dev, saddr.hi(), saddr.lo(), markRouter, lladdr, NudState.NUD_STALE,
                uflags) : fx.learn(dev, saddr.hi(), saddr.lo(), true, lladdr, NudState.NUD_STALE, uflags);
        return ok ? Reason.NDISC_RA_UPDATED : Reason.TABLE_FULL;
    }

    /** ipv6_accept_ra(): accept_ra 1 unless forwarding, 2 always. */
    private static boolean acceptRa(Inet6Dev idev) {
        int a = idev.cnf().get(Ipv6DevVar.ACCEPT_RA);
        return idev.cnf().get(Ipv6DevVar.FORWARDING) != 0 ? a == 2 : a != 0;
    }

    /**
     * ndisc_redirect_rcv() → rt6_do_redirect(): a host (forwarding 0, accept_redirects 1) takes a
     * redirect from the default router it uses for the destination; the target's entry goes STALE
     * (a router unless the target is the destination itself). Anything else changes nothing.
     */
    private Reason redirect(NetDevice dev, RxFrame f, NdiscActions fx, ArpTrace trace) {
        byte[] b = f.data;
        int m = f.l4;
        if (!Ipv6Address.isLinkLocal(f.ip6SrcHi)) {
            if (trace != null) {
                trace.step("ndisc_redirect_rcv", "source is not link-local: dropped");
            }
            return Reason.NDISC_NOT_LINK_LOCAL;
        }
        if (!opts.parse(b, m + NdMessage.RD_MSG, f.l4Length - NdMessage.RD_MSG)) {
            if (trace != null) {
                trace.step("ndisc_parse_options", "malformed options: dropped");
            }
            return Reason.NDISC_BAD_OPTIONS;
        }
        Inet6Dev idev = Addrconf.idev(dev);
        long tHi = NdMessage.targetHi(b, m);
        long tLo = NdMessage.targetLo(b, m);
        long dHi = Ipv6Address.readHi(b, m + 24);
        long dLo = Ipv6Address.readLo(b, m + 24);
        boolean onLink = tHi == dHi && tLo == dLo;
        Ip6Route.Route r = route.output(dHi, dLo, dev);
        boolean viaSender = r != null && !r.local() && r.dev() == dev && r.nexthop().hi() == f.ip6SrcHi
                && r.nexthop().lo() == f.ip6SrcLo;
        if (idev == null || idev.cnf().get(Ipv6DevVar.FORWARDING) != 0
                || idev.cnf().get(Ipv6DevVar.ACCEPT_REDIRECTS) == 0 || Ipv6Address.isMulticast(dHi)
                || !onLink && !Ipv6Address.isLinkLocal(tHi) || !viaSender) {
            if (trace != null) {
                trace.step("rt6_do_redirect", "not taken: the route to " + Ipv6Address.toString(dHi, dLo)
                        + " does not go through " + Ipv6Address.toString(f.ip6SrcHi, f.ip6SrcLo)
                        + ", or forwarding/accept_redirects refuse it");
            }
            return Reason.NDISC_REDIRECT_IGNORED;
        }
        long lladdr = NdMessage.NO_LLADDR;
        if (opts.tgtLladdr >= 0) {
            lladdr = opts.lladdr(opts.tgtLladdr);
            if (lladdr == NdOptions.BAD_LLADDR) {
                return Reason.NDISC_BAD_LLADDR;
            }
        }
        if (trace != null) {
            trace.step("neigh_update", "redirect target " + Ipv6Address.toString(tHi, tLo) + " towards STALE"
                    + (onLink ? "" : " as a router"));
        }
        if (!fx.learn(dev, tHi, tLo, true, lladdr, NudState.NUD_STALE, UpdateFlags.WEAK_OVERRIDE | UpdateFlags.OVERRIDE
                | (onLink ? 0 : UpdateFlags.OVERRIDE_ISROUTER | UpdateFlags.ISROUTER))) {
            return Reason.TABLE_FULL;
        }
        return Reason.NDISC_REDIRECT_UPDATED;
    }
}
