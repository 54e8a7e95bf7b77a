package io.neighd.conformance;

import tools.jackson.databind.JsonNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The columns of /proc/net/stat/arp_cache (or, for the IPv6 scenarios, ndisc_cache): the kernel's, read from the file (one row per CPU,
 * in hex, summed; {@code entries} is the table's size and the same on every row), and neighd's,
 * from {@code /api/v1/stats}. Linux's arp_tbl is one table for the whole machine: every network
 * namespace counts in it, so the file says what the machine did, never what one namespace did.
 * nd_tbl is the same: one table, one ndisc_cache file, for the whole machine.
 */
final class ArpCacheStats {
    static final String ARP = "arp_cache";
    static final String NDISC = "ndisc_cache";

    /** The columns compared with Linux per scenario; docs/conformance.md says why the others are not. */
    static final List<String> COMPARED = List.of("allocs", "destroys", "lookups", "hits", "res_failed",
            "unresolved_discards");

    /**
     * The columns compared for the IPv6 scenarios: the same, and the probes received, which
     * ndisc_recv_ns counts (a multicast or unicast solicitation for an address of ours).
     */
    static final List<String> COMPARED_NDISC = List.of("allocs", "destroys", "lookups", "hits", "res_failed",
            "unresolved_discards", "rcv_probes_mcast", "rcv_probes_ucast");

    /** The table a scenario's counters are compared in: nd_tbl's for IPv6 scenarios, arp_tbl's for the rest. */
    static String table(Scenario s) {
        return NdiscScenarios.isIpv6(s) ? NDISC : ARP;
    }

    static List<String> compared(String table) {
        return table.equals(NDISC) ? COMPARED_NDISC : COMPARED;
    }

    /** The columns never compared, each with the reason (for the report). */
    static final Map<String, String> NOT_COMPARED = Map.of(
            "entries", "a gauge of the whole machine's table, not a counter: the host's and every namespace's "
                    + "entries are in it",
            "hash_grows", "depends on the size of the machine's table, which the host and other namespaces fill",
            "periodic_gc_runs", "neigh_periodic_work runs on a timer of its own (every base_reachable_time/2), for "
                    + "the whole machine, whether or not a scenario runs",
            "forced_gc_runs", "forced GC needs gc_thresh2/3, which are global in Linux; the GC scenarios run on "
                    + "neighd alone and check these against Linux's code (rows 109-110)",
            "table_fulls", "as forced_gc_runs",
            "rcv_probes_mcast", "IPv6 only: ARP never counts it, and neither does neighd (compared in ndisc_cache "
                    + "for the IPv6 scenarios)",
            "rcv_probes_ucast", "IPv6 only: ARP never counts it, and neither does neighd (compared in ndisc_cache "
                    + "for the IPv6 scenarios)");

    private ArpCacheStats() {
    }

    /** The machine's arp_cache counters now. */
    static Map<String, Long> kernel() {
        return kernel(ARP);
    }

    /** The machine's counters of {@code table} (arp_cache or ndisc_cache) now. */
    static Map<String, Long> kernel(String table) {
        Path file = Path.of("/proc/net/stat", table);
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        String[] head = lines.get(0).trim().split("\\s+");
        Map<String, Long> m = new LinkedHashMap<>();
        for (String h : head) {
            m.put(h, 0L);
        }
        for (String row : lines.subList(1, lines.size())) {
            String[] v = row.trim().split("\\s+");
            for (int i = 0; i < head.length && i < v.length; i++) {
                long x = Long.parseUnsignedLong(v[i], 16);
                m.put(head[i], head[i].equals("entries") ? x : m.get(head[i]) + x);
            }
        }
        return m;
    }

    /** neighd's counters now, from its {@code /api/v1/stats}. */
    static Map<String, Long> of(JsonNode stats) {
        return of(stats, ARP);
    }

    /** neighd's counters of {@code table} now, from its {@code /api/v1/stats}. */
    static Map<String, Long> of(JsonNode stats, String table) {
        Map<String, Long> m = new LinkedHashMap<>();
        stats.path(table).properties().forEach(e -> m.put(e.getKey(), e.getValue().asLong()));
        return m;
    }

    /** a - b, column by column. */
    static Map<String, Long> minus(Map<String, Long> a, Map<String, Long> b) {
        Map<String, Long> m = new LinkedHashMap<>();
        a.forEach((k, v) -> m.put(k, v - b.getOrDefault(k, 0L)));
        return m;
    }

    /** The compared columns that moved, as "allocs +2, lookups +3". */
    static String moved(Map<String, Long> delta) {
        StringBuilder b = new StringBuilder();
        for (String c : COMPARED_NDISC) {
            long v = delta.getOrDefault(c, 0L);
            if (v != 0) {
                b.append(b.isEmpty() ? "" : ", ").append(c).append(v > 0 ? " +" : " ").append(v);
            }
        }
        return b.isEmpty() ? "counters unchanged" : b.toString();
    }
}
