package io.neighd.neighbour;

/**
 * struct neigh_statistics, the columns of /proc/net/stat/arp_cache (single writer: the engine
 * thread; readers elsewhere see monotonic values).
 */
public final class NeighStatistics {
    public long allocs;
    public long destroys;
    public long hashGrows;
    public long resFailed;
    public long lookups;
    public long hits;
    /** IPv6-only in Linux: arp.c never increments it. Kept for the column. */
    public long rcvProbesMcast;
    /** IPv6-only in Linux: arp.c never increments it. Kept for the column. */
    public long rcvProbesUcast;
    public long periodicGcRuns;
    public long forcedGcRuns;
    public long unresDiscards;
    public long tableFulls;
}
