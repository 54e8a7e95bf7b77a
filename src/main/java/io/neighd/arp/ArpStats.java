package io.neighd.arp;

import io.neighd.wire.ArpOp;

/**
 * Per-interface ARP counters: frames received by opcode, sent by kind, and one counter per
 * {@link Reason}. Written only by the engine thread; read by metrics and the REST layer.
 */
public final class ArpStats extends DeviceStats<ArpStats.Device> {
    /** Counters of one interface. */
    public static final class Device extends DeviceStats.Counters {
        private final long[] received = new long[3];
        private final long[] sent = new long[TxKind.values().length];

        /** @param op 1 request, 2 reply, anything else unknown */
        public void countReceived(int op) {
            received[op == ArpOp.OP_REQUEST ? 0 : op == ArpOp.OP_REPLY ? 1 : 2]++;
        }

        public void countSent(TxKind kind) {
            sent[kind.ordinal()]++;
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
    }

    @Override
    protected Device newCounters() {
        return new Device();
    }
}
