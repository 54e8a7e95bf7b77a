package io.neighd.engine;

import io.neighd.arp.ArpStats;
import io.neighd.arp.Reason;
import io.neighd.arp.TxKind;
import io.neighd.ip.DeviceId;
import io.neighd.ipv6.Inet6Ifaddr;
import io.neighd.ndisc.NdiscStats;
import io.neighd.neighbour.NeighParms;
import io.neighd.neighbour.NudState;
import io.neighd.wire.IpAddress;

import java.util.List;

/**
 * One interface's counters at one moment: ARP received by opcode and sent by kind, ICMPv6
 * neighbour discovery received and sent by type, every frame of each family by what became of it
 * ({@link Reason}), how many of its entries in each table are in each NUD state, and its IPv6
 * addresses by DAD state. A copy: nothing here changes after it is made.
 */
public final class InterfaceStats {
    private final DeviceId dev;
    private final long receivedRequests;
    private final long receivedReplies;
    private final long receivedUnknown;
    private final long[] sent = new long[TxKind.values().length];
    private final long[] reasons = new long[Reason.values().length];
    private final long[] reasons6 = new long[Reason.values().length];
    private final long[] entries = new long[NudState.values().length];
    private final long[] entries6 = new long[NudState.values().length];
    private final long[] ndReceived = new long[NdiscStats.Type.values().length];
    private final long[] ndSent = new long[NdiscStats.Type.values().length];
    private final int tentative6;
    private final int dadFailed6;
    private final int valid6;

    InterfaceStats(DeviceId dev, ArpStats.Device c, NeighParms parms, NdiscStats.Device c6, NeighParms parms6,
                   List<Inet6Ifaddr> addrs6) {
        this.dev = dev;
        this.receivedRequests = c == null ? 0 : c.receivedRequests();
        this.receivedReplies = c == null ? 0 : c.receivedReplies();
        this.receivedUnknown = c == null ? 0 : c.receivedUnknown();
        if (c != null) {
            for (TxKind k : TxKind.values()) {
                sent[k.ordinal()] = c.sent(k);
            }
            for (Reason r : Reason.values()) {
                reasons[r.ordinal()] = c.count(r);
            }
        }
        if (c6 != null) {
            for (NdiscStats.Type t : NdiscStats.Type.values()) {
                ndReceived[t.ordinal()] = c6.received(t);
                ndSent[t.ordinal()] = c6.sent(t);
            }
            for (Reason r : Reason.values()) {
                reasons6[r.ordinal()] = c6.count(r);
            }
        }
        copyStates(parms, entries);
        copyStates(parms6, entries6);
        int t = 0;
        int f = 0;
        int v = 0;
        for (Inet6Ifaddr a : addrs6) {
            if (a.isDadFailed()) {
                f++;
            } else if (a.isTentative()) {
                t++;
            } else {
                v++;
            }
        }
        this.tentative6 = t;
        this.dadFailed6 = f;
        this.valid6 = v;
    }

    private static void copyStates(NeighParms p, long[] into) {
        if (p != null) {
            for (int i = 0; i < into.length; i++) {
                into[i] = p.stateCount(i);
            }
        }
    }

    public DeviceId dev() {
        return dev;
    }

    public long receivedRequests() {
        return receivedRequests;
    }

    public long receivedReplies() {
        return receivedReplies;
    }

    public long receivedUnknown() {
        return receivedUnknown;
    }

    public long sent(TxKind kind) {
        return sent[kind.ordinal()];
    }

    /** ARP, IPv4 and other non-IPv6 frames that ended with {@code r}. */
    public long count(Reason r) {
        return reasons[r.ordinal()];
    }

    /** Frames of {@code family} that ended with {@code r}. */
    public long count(int family, Reason r) {
        return family == IpAddress.AF_INET6 ? reasons6[r.ordinal()] : reasons[r.ordinal()];
    }

    /** arp_tbl entries of this interface in {@code state}. */
    public long entries(NudState state) {
        return entries[NudState.index(state.bit())];
    }

    /** Entries of {@code family}'s table of this interface in {@code state}. */
    public long entries(int family, NudState state) {
        return (family == IpAddress.AF_INET6 ? entries6 : entries)[NudState.index(state.bit())];
    }

    public long ndiscReceived(NdiscStats.Type t) {
        return ndReceived[t.ordinal()];
    }

    public long ndiscSent(NdiscStats.Type t) {
        return ndSent[t.ordinal()];
    }

    /** IPv6 addresses still tentative (DAD running or waiting for the link), failed DAD, and valid. */
    public int ipv6Tentative() {
        return tentative6;
    }

    public int ipv6DadFailed() {
        return dadFailed6;
    }

    public int ipv6Valid() {
        return valid6;
    }
}
