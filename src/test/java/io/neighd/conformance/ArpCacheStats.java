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
 * The columns of /proc/net/stat/arp_cache: the kernel's, read from the file (one row per CPU,
 * in hex, summed; {@code entries} is the table's size and the same on every row), and neighd's,
 * from {@code /api/v1/stats}. Linux's arp_tbl is one table for the whole machine: every network
 * namespace counts in it, so the file says what the machine did, never what one namespace did.
 */
final class ArpCacheStats {
    static final Path FILE = Path.of("/proc/net/stat/arp_cache");

    /** The columns compared with Linux per scenario; docs/conformance.md says why the others are not. */
    static final List<String> COMPARED = List.of("allocs", "destroys", "lookups", "hits", "res_failed",
            "unresolved_discards");

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
            "rcv_probes_mcast", "IPv6 only (ndisc): ARP never counts it, and neither does neighd",
            "rcv_probes_ucast", "IPv6 only (ndisc): ARP never counts it, and neither does neighd");

    private ArpCacheStats() {
    }

    /** The machine's counters now. */
    static Map<String, Long> kernel() {
        List<String> lines;
        try {
            lines = Files.readAllLines(FILE, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + FILE, e);
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
        Map<String, Long> m = new LinkedHashMap<>();
        stats.path("arp_cache").properties().forEach(e -> m.put(e.getKey(), e.getValue().asLong()));
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
        for (String c : COMPARED) {
            long v = delta.getOrDefault(c, 0L);
            if (v != 0) {
                b.append(b.isEmpty() ? "" : ", ").append(c).append(v > 0 ? " +" : " ").append(v);
            }
        }
        return b.isEmpty() ? "counters unchanged" : b.toString();
    }
}
