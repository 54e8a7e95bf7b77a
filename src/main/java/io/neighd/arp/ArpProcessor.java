package io.neighd.arp;

import io.neighd.ip.DevVar;
import io.neighd.ip.Devinet;
import io.neighd.ip.FibFrontend;
import io.neighd.ip.IpRoute;
import io.neighd.ip.NetDevice;
import io.neighd.ip.Route;
import io.neighd.ip.RouteType;
import io.neighd.ip.Scope;
import io.neighd.neighbour.NeighVar;
import io.neighd.neighbour.Neighbour;
import io.neighd.neighbour.NeighbourTable;
import io.neighd.neighbour.NudState;
import io.neighd.neighbour.ProxySkb;
import io.neighd.neighbour.UpdateFlags;
import io.neighd.wire.ArpOp;
import io.neighd.wire.ArpPacket;
import io.neighd.wire.EtherType;
import io.neighd.wire.FrameError;
import io.neighd.wire.Ipv4Address;
import io.neighd.wire.MacAddress;
import io.neighd.wire.RxFrame;

/**
 * arp_rcv() and arp_process() (net/ipv4/arp.c), in the kernel's order: the early drops, duplicate
 * address detection, requests for local addresses under arp_ignore and arp_filter, proxy ARP,
 * and the cache update with arp_accept, gratuitous ARP and locktime.
 *
 * <p>Each frame ends in exactly one {@link Reason}. The decision is made here, once: what it
 * does (learn, reply, queue, count) goes through {@link ArpActions}, whose receive-path
 * implementation acts and whose explain implementation only says what would happen; each check
 * and the values it used go to the {@link ArpTrace} when one is given (the receive path passes
 * null and builds no text).
 */
public final class ArpProcessor {
    /** skb->pkt_type, from the Ethernet destination. */
    public static final int PACKET_HOST = 0;
    public static final int PACKET_BROADCAST = 1;
    public static final int PACKET_MULTICAST = 2;
    public static final int PACKET_OTHERHOST = 3;

    private final Devinet devinet;
    private final FibFrontend fib;
    private final IpRoute route;
    private final NeighbourTable<NetDevice> tbl;

    public ArpProcessor(Devinet devinet, FibFrontend fib, IpRoute route, NeighbourTable<NetDevice> tbl) {
        this.devinet = devinet;
        this.fib = fib;
        this.route = route;
        this.tbl = tbl;
    }

    /** eth_type_trans(): how the frame was addressed, relative to the device. */
    public static int packetType(NetDevice dev, long ethDst) {
        if (ethDst == dev.hwAddr()) {
            return PACKET_HOST;
        }
        if (ethDst == MacAddress.BROADCAST.bits()) {
            return PACKET_BROADCAST;
        }
        if (MacAddress.isMulticast(ethDst)) {
            return PACKET_MULTICAST;
        }
        return PACKET_OTHERHOST;
    }

    /**
     * arp_rcv(): NOARP devices and frames for another host are consumed before the header is
     * looked at; then a truncated header or lengths other than hlen 6 / plen 4 are dropped.
     *
     * @param malformed what the decoder found wrong with the ARP header, or null
     * @param trace     null on the receive path; the explain endpoint's recorder otherwise
     */
    public Reason receive(NetDevice dev, RxFrame f, FrameError malformed, ArpActions fx, ArpTrace trace) {
        if (dev.isNoarp()) {
            if (trace != null) {
                trace.step("arp_rcv", "interface " + dev.name() + " is NOARP: consumed");
            }
            return Reason.DEVICE_NOARP;
        }
        int pktType = packetType(dev, f.ethDst);
        if (pktType == PACKET_OTHERHOST) {
            if (trace != null) {
                trace.step("arp_rcv", "Ethernet destination " + MacAddress.toString(f.ethDst) + " is not "
                        + dev.name() + "'s " + MacAddress.toString(dev.hwAddr()) + " nor broadcast/multicast: not for this host");
            }
            return Reason.NOT_FOR_HOST;
        }
        if (malformed != null) {
            if (trace != null) {
                trace.step("arp_rcv", "malformed ARP header (" + malformed + "): dropped");
            }
            return Reason.of(malformed);
        }
        if (trace != null) {
            trace.step("arp_rcv", "pkt_type " + pktTypeName(pktType) + ", hlen 6, plen 4: accepted");
        }
        return process(dev, f, pktType, false, fx, trace);
    }

    /** arp_process() */
    Reason process(NetDevice dev, RxFrame f, int pktType, boolean locallyEnqueued, ArpActions fx,
                   ArpTrace trace) {
        if ((f.arpHrd != ArpPacket.HRD_ETHER && f.arpHrd != ArpPacket.HRD_IEEE802)) {
            if (trace != null) {
                trace.step("arp_process", "hardware type " + f.arpHrd + " is neither 1 nor 6: dropped");
            }
            return Reason.MALFORMED_HTYPE;
        }
        if (f.arpPro != EtherType.IPV4) {
            if (trace != null) {
                trace.step("arp_process", "protocol type 0x" + Integer.toHexString(f.arpPro) + " is not IPv4: dropped");
            }
            return Reason.MALFORMED_PTYPE;
        }
        int op = f.arpOp;
        if (!ArpOp.isKnown(op)) {
            if (trace != null) {
                trace.step("arp_process", "opcode " + op + " is neither request nor reply: dropped");
            }
            return Reason.UNKNOWN_OP;
        }
        int sip = f.spa;
        int tip = f.tpa;
        long sha = f.sha;
        if (Ipv4Address.isMulticast(tip)) {
            if (trace != null) {
                trace.step("arp_process", "target " + Ipv4Address.toString(tip) + " is multicast: dropped");
            }
            return Reason.TARGET_MULTICAST;
        }
        int localnet = dev.inDevConf(DevVar.ROUTE_LOCALNET);
        if (localnet == 0 && Ipv4Address.isLoopback(tip)) {
            if (trace != null) {
                trace.step("route_localnet", "target " + Ipv4Address.toString(tip) + " is 127/8 and route_localnet=0: dropped");
            }
            return Reason.TARGET_LOOPBACK;
        }
        if (sip == tip && dev.inDevConf(DevVar.DROP_GRATUITOUS_ARP) != 0) {
            if (trace != null) {
                trace.step("drop_gratuitous_arp", "sender equals target and drop_gratuitous_arp=1: dropped");
            }
            return Reason.GRATUITOUS_DROPPED;
        }

        if (sip == 0) {
            return dad(dev, op, tip, sha, fx, trace);
        }

        if (op == ArpOp.OP_REQUEST) {
            IpRoute.InputRoute rt = route.routeInputArp(tip, sip, dev);
            if (!rt.ok()) {
                if (trace != null) {
                    trace.step("ip_route_input", rt.why() + ": the request is not answered; cache update follows");
                }
            } else if (rt.type() == RouteType.LOCAL) {
                return requestForLocal(dev, sip, tip, sha, fx, trace);
            } else if (dev.inDevConf(DevVar.FORWARDING) != 0) {
                Reason r = requestToForward(dev, f, rt, sip, tip, sha, pktType, locallyEnqueued, fx, trace);
                if (r != null) {
                    return r;
                }
            } else if (trace != null) {
                trace.step("ip_route_input", "target " + Ipv4Address.toString(tip) + " is " + rt.type()
                        + " (not local) and forwarding=0 on " + dev.name() + ": no proxy");
            }
        }
        return updateTables(dev, f, op, sip, tip, sha, pktType, fx, trace);
    }

    /** The sip == 0 special case (RFC 2131 duplicate address detection). */
    private Reason dad(NetDevice dev, int op, int tip, long sha, ArpActions fx, ArpTrace trace) {
        if (op != ArpOp.OP_REQUEST) {
            if (trace != null) {
                trace.step("dad", "reply with sender 0.0.0.0: consumed");
            }
            return Reason.DAD_REPLY;
        }
        if (fib.addrType(tip) != RouteType.LOCAL) {
            if (trace != null) {
                trace.step("dad", "probe for " + Ipv4Address.toString(tip) + ", not a local address: consumed");
            }
            return Reason.DAD_NOT_LOCAL;
        }
        Reason refused = arpIgnore(dev, 0, tip, trace);
        if (refused != null) {
            return Reason.DAD_ARP_IGNORE;
        }
        if (trace != null) {
            trace.step("dad", "probe for local " + Ipv4Address.toString(tip) + ": reply to " + MacAddress.toString(sha)
                    + " (cache untouched)");
        }
        fx.reply(dev, TxKind.REPLY, tip, sha, 0);
        return Reason.DAD_REPLIED;
    }

    private Reason requestForLocal(NetDevice dev, int sip, int tip, long sha, ArpActions fx, ArpTrace trace) {
        if (trace != null) {
            trace.step("ip_route_input", "target " + Ipv4Address.toString(tip) + " is LOCAL");
        }
        Reason refused = arpIgnore(dev, sip, tip, trace);
        if (refused != null) {
            return refused;
        }
        if (dev.inDevConf(DevVar.ARP_FILTER) != 0) {
            Reason filtered = arpFilter(sip, dev, trace);
            if (filtered != null) {
                return filtered;
            }
        }
        if (!fx.eventNs(dev, sha, sip)) {
            return Reason.TABLE_FULL;
        }
        fx.reply(dev, TxKind.REPLY, tip, sha, sip);
        return Reason.REPLIED;
    }

    /** The forwarding branch: proxy ARP by rule (proxy_arp / medium_id), private VLAN, or proxy entry. */
    private Reason requestToForward(NetDevice dev, RxFrame f, IpRoute.InputRoute rt, int sip, int tip, long sha,
                                    int pktType, boolean locallyEnqueued, ArpActions fx, ArpTrace trace) {
        if (rt.type() != RouteType.UNICAST) {
            if (trace != null) {
                trace.step("proxy_arp", "route to " + Ipv4Address.toString(tip) + " is " + rt.type() + ": no proxy");
            }
            return null;
        }
        String why;
        if (fwdProxy(dev, rt.dev())) {
            why = "proxy_arp=1 and the route leaves through " + rt.dev().name() + " (medium_id "
                    + dev.conf().get(DevVar.MEDIUM_ID) + ")";
        } else if (fwdPvlan(dev, rt.dev(), sip, tip)) {
            why = "proxy_arp_pvlan=1 and the route leaves back through " + dev.name();
        } else if (rt.dev() != dev && tbl.pneighLookup(0, NeighbourTable.key4(tip), dev) != null) {
            why = "proxy entry for " + Ipv4Address.toString(tip);
        } else {
            if (trace != null) {
                trace.step("proxy_arp", "route to " + Ipv4Address.toString(tip) + " leaves through " + rt.dev().name()
                        + " but proxy_arp=" + dev.inDevConf(DevVar.PROXY_ARP) + ", proxy_arp_pvlan="
                        + dev.conf().get(DevVar.PROXY_ARP_PVLAN) + " and no proxy entry: no proxy");
            }
            return null;
        }
        if (trace != null) {
            trace.step("proxy_arp", why);
        }
        int delay = dev.arpParms().get(NeighVar.PROXY_DELAY);
        boolean now = locallyEnqueued || pktType == PACKET_HOST || delay == 0;
        // the kernel replies whether or not neigh_event_ns found room for the sender
        fx.eventNs(dev, sha, sip);
        if (now) {
            if (trace != null) {
                trace.step("pneigh_enqueue", "reply now (" + (locallyEnqueued ? "delay served"
                        : pktType == PACKET_HOST ? "unicast to us" : "proxy_delay=0") + ")");
            }
            fx.reply(dev, TxKind.PROXY_REPLY, tip, sha, sip);
            return Reason.PROXY_REPLIED;
        }
        if (trace != null) {
            trace.step("pneigh_enqueue", "reply after a random delay below proxy_delay="
                    + tbl.jiffies().toMillis(Integer.toUnsignedLong(delay)) + " ms"
                    + (delay < 0 ? " (the knob's int overflowed; Linux draws below its low 32 bits too)" : ""));
        }
        if (!fx.proxyEnqueue(dev, f, pktType == PACKET_HOST)) {
            return Reason.PROXY_QUEUE_FULL;
        }
        return Reason.PROXY_QUEUED;
    }

    /** The cache update for everything not answered above. */
    private Reason updateTables(NetDevice dev, RxFrame f, int op, int sip, int tip, long sha, int pktType,
                                ArpActions fx, ArpTrace trace) {
        Neighbour<NetDevice> n = fx.lookup(dev, sip);
        // arp_is_garp() looks up inet_addr_type(sip) only for a garp-shaped frame; the reply case reuses it
        RouteType addrType = null;
        boolean isGarp = false;
        boolean accept = arpAccept(dev, sip);
        if ((n != null || accept) && garpShaped(op, sip, tip, sha, f.tha)) {
            addrType = fib.addrType(sip);
            isGarp = addrType == RouteType.UNICAST;
        }
        Reason result = Reason.UPDATED;
        if (accept && n == null) {
            boolean create = isGarp || (op == ArpOp.OP_REPLY && (addrType == RouteType.UNICAST
                    || (addrType == null && fib.addrType(sip) == RouteType.UNICAST)));
            if (trace != null) {
                trace.step("arp_accept", "arp_accept=" + dev.inDevConf(DevVar.ARP_ACCEPT) + ", "
                        + (isGarp ? "gratuitous" : op == ArpOp.OP_REPLY ? "reply" : "request")
                        + (create ? ": create an entry" : ": no entry created"));
            }
            if (!create) {
                return Reason.NOT_FOR_US;
            }
            result = Reason.CREATED_BY_ARP_ACCEPT;
        } else if (n == null) {
            if (trace != null) {
                trace.step("arp_accept", "no entry for " + Ipv4Address.toString(sip) + " and arp_accept="
                        + dev.inDevConf(DevVar.ARP_ACCEPT) + " refuses it: nothing to update");
            }
            return Reason.NOT_FOR_US;
        }
        long locktime = dev.arpParms().get(NeighVar.LOCKTIME);
        // a new entry is stamped updated = now by neigh_alloc
        long updated = n != null ? n.updated() : tbl.now();
        boolean override = tbl.now() > updated + locktime || isGarp;
        int state = (op != ArpOp.OP_REPLY || pktType != PACKET_HOST) ? NudState.NUD_STALE : NudState.NUD_REACHABLE;
        if (trace != null) {
            trace.step("neigh_update", (n == null ? "new entry" : "entry " + n.nudState()) + " for "
                    + Ipv4Address.toString(sip) + " with " + MacAddress.toString(sha) + " towards "
                    + NudState.ofBit(state) + (override ? ", override" : ", no override: updated "
                    + tbl.jiffies().toMillis(tbl.now() - updated) + " ms ago, within locktime "
                    + tbl.jiffies().toMillis(locktime) + " ms"));
        }
        if (!fx.update(dev, n, sip, sha, state, override ? UpdateFlags.OVERRIDE : 0)) {
            return Reason.TABLE_FULL;
        }
        return result;
    }

    /** arp_is_garp() up to its address check: sip == tip, and a reply also needs tha == sha. */
    private static boolean garpShaped(int op, int sip, int tip, long sha, long tha) {
        return tip == sip && (op != ArpOp.OP_REPLY || tha == sha);
    }

    /** arp_ignore(): null to reply, or the reason not to. */
    Reason arpIgnore(NetDevice dev, int sip, int tip, ArpTrace trace) {
        int level = dev.inDevConf(DevVar.ARP_IGNORE);
        boolean refuse;
        switch (level) {
            case 1 -> refuse = devinet.confirmAddr(dev, 0, tip, Scope.HOST) == 0;
            case 2 -> refuse = devinet.confirmAddr(dev, sip, tip, Scope.HOST) == 0;
            case 3 -> refuse = devinet.confirmAddr(null, 0, tip, Scope.LINK) == 0;
            case 8 -> refuse = true;
            default -> refuse = false;
        }
        if (!refuse) {
            if (trace != null) {
                trace.step("arp_ignore", "arp_ignore=" + level + ": reply");
            }
            return null;
        }
        Reason r = Reason.ofArpIgnore(level);
        if (level == 2 && devinet.confirmAddr(dev, 0, tip, Scope.HOST) == 0) {
            r = Reason.ARP_IGNORE_NOT_ON_INGRESS;
        }
        if (trace != null) {
            trace.step("arp_ignore", "arp_ignore=" + level + ": " + r.description());
        }
        return r;
    }

    /** arp_filter(): the route from tip back to sip must leave through the receiving device. */
    private Reason arpFilter(int sip, NetDevice dev, ArpTrace trace) {
        Route r = route.routeOutput(sip);
        if (r == null) {
            if (trace != null) {
                trace.step("arp_filter", "arp_filter=1: no route back to " + Ipv4Address.toString(sip) + ": dropped");
            }
            return Reason.ARP_FILTER_NO_ROUTE;
        }
        String out = r.type() == RouteType.LOCAL ? "lo" : r.dev().name();
        if (r.type() == RouteType.LOCAL || r.dev() != dev) {
            if (trace != null) {
                trace.step("arp_filter", "arp_filter=1: route back to " + Ipv4Address.toString(sip) + " leaves through "
                        + out + ", not " + dev.name() + ": dropped");
            }
            return Reason.ARP_FILTER_ROUTE_MISMATCH;
        }
        if (trace != null) {
            trace.step("arp_filter", "arp_filter=1: route back to " + Ipv4Address.toString(sip) + " leaves through "
                    + out + ": reply");
        }
        return null;
    }

    /** arp_accept(): may unsolicited ARP from {@code sip} create an entry? */
    private boolean arpAccept(NetDevice dev, int sip) {
        return switch (dev.inDevConf(DevVar.ARP_ACCEPT)) {
            case 1 -> true;
            case 2 -> devinet.confirmAddr(dev, sip, 0, Scope.LINK) != 0;
            default -> false;
        };
    }

    /** arp_fwd_proxy(): proxy_arp with medium_id. */
    private boolean fwdProxy(NetDevice in, NetDevice out) {
        if (out == in || in.inDevConf(DevVar.PROXY_ARP) == 0) {
            return false;
        }
        int imi = in.conf().get(DevVar.MEDIUM_ID);
        if (imi == 0) {
            return true;
        }
        if (imi == -1) {
            return false;
        }
        int omi = out.conf().get(DevVar.MEDIUM_ID);
        return omi != imi && omi != -1;
    }

    /** arp_fwd_pvlan(): RFC 3069, back out of the same device, not for self-probes. */
    private static boolean fwdPvlan(NetDevice in, NetDevice out, int sip, int tip) {
        if (out != in || sip == tip) {
            return false;
        }
        return in.conf().get(DevVar.PROXY_ARP_PVLAN) != 0;
    }

    /** parp_redo(): a proxied request whose delay has passed. */
    public Reason redo(ProxySkb<NetDevice> skb, RxFrame f, ArpActions fx) {
        return process(skb.dev(), f, skb.packetHost() ? PACKET_HOST : PACKET_BROADCAST, true, fx, null);
    }

    static String pktTypeName(int t) {
        return switch (t) {
            case PACKET_HOST -> "host";
            case PACKET_BROADCAST -> "broadcast";
            case PACKET_MULTICAST -> "multicast";
            default -> "otherhost";
        };
    }
}
