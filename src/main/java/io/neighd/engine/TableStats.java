package io.neighd.engine;

/**
 * A neighbour table's size, thresholds and statistics at one moment: the columns of
 * /proc/net/stat/arp_cache (struct neigh_statistics), as {@code ip -s ntable} also shows them.
 */
public record TableStats(String id, int entries, long allocs, long destroys, long hashGrows, long lookups, long hits,
                         long resFailed, long rcvProbesMcast, long rcvProbesUcast, long periodicGcRuns,
                         long forcedGcRuns, long unresolvedDiscards, long tableFulls, int gcThresh1, int gcThresh2,
                         int gcThresh3, int proxyQueueLength) {
}
