package io.neighd.arp;

import io.neighd.wire.ArpOp;

import java.util.Arrays;

/**
 * Per-interface ARP counters: frames received by opcode, sent by kind, and one counter per
 * {@link Reason}. Written only by the engine thread; read by metrics and the REST layer.
 */
public final class ArpStats {
    /** Counters of one interface. */
    public static final class Device {
        private final long[] received = new long[3];
        private final long[] sent = new long[TxKind.values().length];
        private final long[] reasons = new long[Reason.values().length];

        /** @param op 1 request, 2 reply, anything else unknown */
        public void countReceived(int op) {
            received[op == ArpOp.OP_REQUEST ? 0 : op == ArpOp.OP_REPLY ? 1 : 2]++;
        }

        public void countSent(TxKind kind) {
            sent[kind.ordinal()]++;
        }

        public void countReason(Reason r) {
            reasons[r.ordinal()]++;
        }

        public long receivedRequests() {
            return received[0];
        }

        public long receivedReplies() {
            return received[1];
        }

        public long receivedUnknown() {
            return received[2];
        }

        public long sent(TxKind kind) {
            return sent[kind.ordinal()];
        }

        public long count(Reason r) {
            return reasons[r.ordinal()];
        }
    }

    private Device[] byIfindex = new Device[16];

    /** The counters of {@code ifindex}, or null if it never counted anything (for readers off the engine thread). */
    public Device peek(int ifindex) {
        Device[] a = byIfindex;
        return ifindex < a.length ? a[ifindex] : null;
    }

    /** The counters of {@code ifindex}, created on first use (engine thread only). */
    public Device of(int ifindex) {
        if (ifindex >= byIfindex.length) {
            byIfindex = Arrays.copyOf(byIfindex, Math.max(ifindex + 1, byIfindex.length * 2));
        }
        Device d = byIfindex[ifindex];
        if (d == null) {
            d = new Device();
            byIfindex[ifindex] = d;
        }
        return d;
    }
}
