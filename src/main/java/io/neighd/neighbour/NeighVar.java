package io.neighd.neighbour;

/**
 * The per-parms variables of a neighbour table (NEIGH_VAR_* in include/net/neighbour.h). Times are
 * held in jiffies, as the kernel does; each table's defaults are in its {@link NeighTableSpec}.
 */
public enum NeighVar {
    MCAST_PROBES(Unit.COUNT),
    UCAST_PROBES(Unit.COUNT),
    APP_PROBES(Unit.COUNT),
    MCAST_REPROBES(Unit.COUNT),
    RETRANS_TIME(Unit.JIFFIES),
    BASE_REACHABLE_TIME(Unit.JIFFIES),
    DELAY_PROBE_TIME(Unit.JIFFIES),
    INTERVAL_PROBE_TIME_MS(Unit.JIFFIES),
    GC_STALETIME(Unit.JIFFIES),
    QUEUE_LEN_BYTES(Unit.BYTES),
    PROXY_QLEN(Unit.COUNT),
    ANYCAST_DELAY(Unit.JIFFIES),
    PROXY_DELAY(Unit.JIFFIES),
    LOCKTIME(Unit.JIFFIES);

    public enum Unit { COUNT, BYTES, JIFFIES }

    private final Unit unit;

    NeighVar(Unit unit) {
        this.unit = unit;
    }

    public Unit unit() {
        return unit;
    }
}
