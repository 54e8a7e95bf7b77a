package io.neighd.engine;

import io.neighd.arp.ArpActions;
import io.neighd.arp.ArpTrace;
import io.neighd.arp.TxKind;
import io.neighd.ip.IcmpActions;
import io.neighd.ip.NetDevice;
import io.neighd.ipv6.Addrconf;
import io.neighd.ipv6.Inet6Ifaddr;
import io.neighd.ndisc.Icmpv6Actions;
import io.neighd.ndisc.NdiscActions;
import io.neighd.neighbour.NeighParms;
import io.neighd.neighbour.NeighVar;
import io.neighd.neighbour.Neighbour;
import io.neighd.neighbour.NeighbourTable;
import io.neighd.neighbour.NudState;
import io.neighd.wire.IcmpEcho;
import io.neighd.wire.Icmpv6;
import io.neighd.wire.Ipv4Address;
import io.neighd.wire.Ipv6Address;
import io.neighd.wire.NdMessage;
import io.neighd.wire.MacAddress;
import io.neighd.wire.RxFrame;

import java.util.ArrayList;
import java.util.List;

/**
 * The explain endpoint's side of the receive path: it records every check the decision makes and,
 * where the receive path would act, says what it would do instead, predicting from the table as it
 * is the outcomes the receive path would meet (no room for a new entry, a full proxy queue).
 * Nothing is learned, sent, queued, counted or drawn from the random source.
 */
final class Explainer implements ArpActions, IcmpActions, NdiscActions, Icmpv6Actions, ArpTrace {
    private final NeighbourTable<NetDevice> tbl;
    private final NeighbourTable<NetDevice> ndTbl;
    private final List<Explanation.Step> steps = new ArrayList<>();

    Explainer(NeighbourTable<NetDevice> tbl, NeighbourTable<NetDevice> ndTbl) {
        this.tbl = tbl;
        this.ndTbl = ndTbl;
    }

    List<Explanation.Step> steps() {
        return List.copyOf(steps);
    }

    @Override
    public void step(String check, String detail) {
        steps.add(new Explanation.Step(check, detail));
    }

    @Override
    public void received(NetDevice dev, int op) {
    }

    @Override
    public Neighbour<NetDevice> lookup(NetDevice dev, int sip) {
        return tbl.lookupNoref(dev, sip);
    }

    @Override
    public boolean eventNs(NetDevice dev, long sha, int sip) {
        Neighbour<NetDevice> n = tbl.lookupNoref(dev, sip);
        if (n == null && !tbl.canAllocate(dev)) {
            tableFull("neigh_event_ns", sip);
            return false;
        }
        step("neigh_event_ns", n == null
                ? "would create an entry for " + Ipv4Address.toString(sip) + " as STALE with " + MacAddress.toString(sha)
                : "would update " + n + " to STALE with " + MacAddress.toString(sha) + " (override)");
        return true;
    }

    @Override
    public boolean update(NetDevice dev, Neighbour<NetDevice> n, int sip, long sha, int state, int flags) {
        if (n == null && !tbl.canAllocate(dev)) {
            tableFull("neigh_update", sip);
            return false;
        }
        step("neigh_update", (n == null ? "would create " + Ipv4Address.toString(sip) + " " : "would update " + n + " to ")
                + NudState.ofBit(state) + " with " + MacAddress.toString(sha));
        return true;
    }

    private void tableFull(String check, int sip) {
        step(check, "no room for " + Ipv4Address.toString(sip) + ": " + tbl.gcEntries() + " entries reach gc_thresh3 "
                + tbl.gcThresh3() + " and forced GC would free none (all in use or updated within 5 s)");
    }

    @Override
    public void reply(NetDevice dev, TxKind kind, int tip, long sha, int sip) {
        step("arp_send", "would reply " + Ipv4Address.toString(tip) + " is-at " + MacAddress.toString(dev.hwAddr())
                + " to " + MacAddress.toString(sha) + (kind == TxKind.PROXY_REPLY ? " (proxy)" : ""));
    }

    /** Explaining is not receiving: nothing is reported (the decision itself does not depend on it). */
    @Override
    public void claimed(NetDevice dev, int sip, long sha) {
    }

    @Override
    public void scanReply(NetDevice dev, int sip, long sha, long ethSrc) {
        step("arp_scan", "a reply a running scan waits for: would be reported, " + Ipv4Address.toString(sip) + " at "
                + MacAddress.toString(sha));
    }

    @Override
    public boolean proxyEnqueue(NetDevice dev, RxFrame f, boolean packetHost) {
        NeighParms p = dev.arpParms();
        if (p.proxyQueueLength() > p.get(NeighVar.PROXY_QLEN)) {
            step("pneigh_enqueue", dev.name() + " already holds " + p.proxyQueueLength()
                    + " proxied requests, over proxy_qlen " + p.get(NeighVar.PROXY_QLEN) + ": dropped");
            return false;
        }
        step("pneigh_enqueue", "would hold the request (" + p.proxyQueueLength() + " queued on " + dev.name()
                + ", proxy_qlen " + p.get(NeighVar.PROXY_QLEN) + ")");
        return true;
    }

    @Override
    public void echoReply(byte[] b, int l4, int l4Length, int src, int dst) {
        step("icmp_echo", "echo request id " + IcmpEcho.identifier(b, l4) + " seq " + IcmpEcho.sequence(b, l4)
                + " for local " + Ipv4Address.toString(dst) + ": would reply to " + Ipv4Address.toString(src)
                + " through the output path");
    }

    @Override
    public void dropped(String check, String why) {
        step(check, why);
    }

    @Override
    public void pingReply(int src, int id, int seq) {
        step("ping_rcv", "echo reply id " + id + " seq " + seq + " from " + Ipv4Address.toString(src)
                + ": handed to neighd's pinger");
    }

    // ------------------------------------------------------------------ ndisc

    @Override
    public void ndiscReceived(NetDevice dev, int icmpType) {
    }

    @Override
    public void rcvProbe(boolean multicast) {
    }

    @Override
    public Neighbour<NetDevice> lookup(NetDevice dev, long hi, long lo) {
        return ndTbl.lookupNoref(dev, hi, lo);
    }

    @Override
    public boolean learn(NetDevice dev, long hi, long lo, boolean creat, long lladdr, int state, int flags) {
        Neighbour<NetDevice> n = ndTbl.lookupNoref(dev, hi, lo);
        if (n == null && !creat) {
            return false;
        }
        return update(dev, n, hi, lo, lladdr, state, flags);
    }

    @Override
    public boolean update(NetDevice dev, Neighbour<NetDevice> n, long hi, long lo, long lladdr, int state,
                          int flags) {
        String who = Ipv6Address.toString(hi, lo);
        if (n == null && !ndTbl.canAllocate(dev)) {
            step("neigh_create", "no room for " + who + ": " + ndTbl.gcEntries() + " entries reach gc_thresh3 "
                    + ndTbl.gcThresh3() + " and forced GC would free none (all in use or updated within 5 s)");
            return false;
        }
        step("neigh_update", (n == null ? "would create " + who + " " : "would update " + n + " to ")
                + NudState.ofBit(state) + (lladdr != NdMessage.NO_LLADDR ? " with " + MacAddress.toString(lladdr) : ""));
        return true;
    }

    @Override
    public boolean updateRouter(NetDevice dev, long hi, long lo, boolean markRouter, long lladdr, int state,
                                int flags) {
        return update(dev, ndTbl.lookupNoref(dev, hi, lo), hi, lo, lladdr, state, flags);
    }

    @Override
    public void defaultRouter(NetDevice dev, Ipv6Address gw, int lifetimeSeconds) {
        step("rt6_add_dflt_router", lifetimeSeconds == 0 ? "would remove the default route via " + gw
                : "would keep a default route via " + gw + " for " + lifetimeSeconds + " s");
    }

    @Override
    public void linkParams(NetDevice dev, int hopLimit, long retransJiffies, long reachableJiffies) {
        step("ndisc_router_discovery", "would set the link parameters of " + dev.name());
    }

    @Override
    public void sendNa(NetDevice dev, long dstHi, long dstLo, long targetHi, long targetLo, boolean router,
                       boolean solicited, boolean override, boolean incOpt) {
        step("ndisc_send_na", "would advertise " + Ipv6Address.toString(targetHi, targetLo) + " is-at "
                + MacAddress.toString(dev.hwAddr()) + " to " + Ipv6Address.toString(dstHi, dstLo) + " (R="
                + (router ? 1 : 0) + " S=" + (solicited ? 1 : 0) + " O=" + (override ? 1 : 0) + ")");
    }

    @Override
    public boolean pneighEnqueue(NetDevice dev, RxFrame f, boolean packetHost) {
        NeighParms p = Addrconf.idev(dev).ndParms();
        if (p.proxyQueueLength() > p.get(NeighVar.PROXY_QLEN)) {
            step("pneigh_enqueue", dev.name() + " already holds " + p.proxyQueueLength()
                    + " proxied solicitations, over proxy_qlen " + p.get(NeighVar.PROXY_QLEN) + ": dropped");
            return false;
        }
        step("pneigh_enqueue", "would hold the solicitation (" + p.proxyQueueLength() + " queued on " + dev.name()
                + ", proxy_qlen " + p.get(NeighVar.PROXY_QLEN) + ")");
        return true;
    }

    @Override
    public void dadFailure(Inet6Ifaddr ifa, long fromMac) {
        step("addrconf_dad_failure", "would mark " + ifa.address() + " dadfailed");
    }

    /** Explaining is not receiving: nothing is reported (the decision itself does not depend on it). */
    @Override
    public void advertisedOurs(NetDevice dev, Inet6Ifaddr ifa, long fromMac) {
    }

    // ------------------------------------------------------------------ ICMPv6 echo

    @Override
    public void echoReply(NetDevice dev, RxFrame f) {
        step("icmpv6_echo_reply", "would reply to " + Ipv6Address.toString(f.ip6SrcHi, f.ip6SrcLo)
                + " through the output path (id " + Icmpv6.identifier(f.data, f.l4) + ")");
    }

    @Override
    public void pingReply(RxFrame f) {
    }
}
