package io.neighd.neighbour;

/**
 * The per-parms variables of the ARP table (NEIGH_VAR_* in include/net/neighbour.h), with the
 * defaults of {@code arp_tbl} in net/ipv4/arp.c. Times are held in jiffies, as the kernel does.
 */
public enum NeighVar {
    MCAST_PROBES(Unit.COUNT, 3),
    UCAST_PROBES(Unit.COUNT, 3),
    APP_PROBES(Unit.COUNT, 0),
    MCAST_REPROBES(Unit.COUNT, 0),
    RETRANS_TIME(Unit.JIFFIES, 1000),
    BASE_REACHABLE_TIME(Unit.JIFFIES, 30_000),
    DELAY_PROBE_TIME(Unit.JIFFIES, 5_000),
    INTERVAL_PROBE_TIME_MS(Unit.JIFFIES, 5_000),
    GC_STALETIME(Unit.JIFFIES, 60_000),
    /** SK_WMEM_DEFAULT */
    QUEUE_LEN_BYTES(Unit.BYTES, 212_992),
    PROXY_QLEN(Unit.COUNT, 64),
    ANYCAST_DELAY(Unit.JIFFIES, 1_000),
    PROXY_DELAY(Unit.JIFFIES, 800),
    LOCKTIME(Unit.JIFFIES, 1_000);

    public enum Unit { COUNT, BYTES, JIFFIES }

    private final Unit unit;
    /** Default; for {@link Unit#JIFFIES} in milliseconds, converted at the table's HZ. */
    private final int defaultValue;

    NeighVar(Unit unit, int defaultValue) {
        this.unit = unit;
        this.defaultValue = defaultValue;
    }

    public Unit unit() {
        return unit;
    }

    public int defaultValue() {
        return defaultValue;
    }
}
