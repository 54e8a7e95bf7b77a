package io.neighd.engine;

import io.neighd.arp.ArpStats;
import io.neighd.arp.Reason;
import io.neighd.arp.TxKind;
import io.neighd.ip.DeviceId;
import io.neighd.neighbour.NeighParms;
import io.neighd.neighbour.NudState;

/**
 * One interface's counters at one moment: ARP received by opcode, sent by kind, every frame by
 * what became of it ({@link Reason}), and how many of its neighbour entries are in each NUD state.
 * A copy: nothing here changes after it is made.
 */
public final class InterfaceStats {
    private final DeviceId dev;
    private final long receivedRequests;
    private final long receivedReplies;
    private final long receivedUnknown;
    private final long[] sent = new long[TxKind.values().length];
    private final long[] reasons = new long[Reason.values().length];
    private final long[] entries = new long[NudState.values().length];

    InterfaceStats(DeviceId dev, ArpStats.Device c, NeighParms parms) {
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
        if (parms != null) {
            for (int i = 0; i < entries.length; i++) {
                entries[i] = parms.stateCount(i);
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

    public long count(Reason r) {
        return reasons[r.ordinal()];
    }

    /** Entries of this interface in {@code state}. */
    public long entries(NudState state) {
        return entries[NudState.index(state.bit())];
    }
}
