package io.neighd.arp;

import java.util.Arrays;

/**
 * One family's counters per interface, kept by ifindex, each interface's with a counter per
 * {@link Reason} (what became of every frame it received). {@link ArpStats} and the ICMPv6
 * counters of /proc/net/dev_snmp6 ({@code NdiscStats}) add what their protocol counts. Written only
 * by the engine thread; readers off it {@link #peek}.
 *
 * @param <D> one interface's counters
 */
public abstract class DeviceStats<D extends DeviceStats.Counters> {
    /** The counters every interface keeps, whatever its protocol: one per {@link Reason}. */
    public static class Counters {
        private final long[] reasons = new long[Reason.values().length];

        public void countReason(Reason r) {
            reasons[r.ordinal()]++;
        }

        public long count(Reason r) {
            return reasons[r.ordinal()];
        }
    }

    private Object[] byIfindex = new Object[16];

    /** A new interface's counters, all zero. */
    protected abstract D newCounters();

    /** The counters of {@code ifindex}, or null if it never counted anything (for readers off the engine thread). */
    @SuppressWarnings("unchecked")
    public D peek(int ifindex) {
        Object[] a = byIfindex;
        return ifindex < a.length ? (D) a[ifindex] : null;
    }

    /** The counters of {@code ifindex}, created on first use (engine thread only). */
    @SuppressWarnings("unchecked")
    public D of(int ifindex) {
        if (ifindex >= byIfindex.length) {
            byIfindex = Arrays.copyOf(byIfindex, Math.max(ifindex + 1, byIfindex.length * 2));
        }
        D d = (D) byIfindex[ifindex];
        if (d == null) {
            d = newCounters();
            byIfindex[ifindex] = d;
        }
        return d;
    }
}
