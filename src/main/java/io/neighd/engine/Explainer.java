package io.neighd.engine;

import io.neighd.arp.ArpActions;
import io.neighd.arp.ArpTrace;
import io.neighd.arp.TxKind;
import io.neighd.ip.IcmpActions;
import io.neighd.ip.NetDevice;
import io.neighd.neighbour.NeighParms;
import io.neighd.neighbour.NeighVar;
import io.neighd.neighbour.Neighbour;
import io.neighd.neighbour.NeighbourTable;
import io.neighd.neighbour.NudState;
import io.neighd.wire.IcmpEcho;
import io.neighd.wire.Ipv4Address;
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
final class Explainer implements ArpActions, IcmpActions, ArpTrace {
    private final NeighbourTable<NetDevice> tbl;
    private final List<Explanation.Step> steps = new ArrayList<>();

    Explainer(NeighbourTable<NetDevice> tbl) {
        this.tbl = tbl;
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
}
