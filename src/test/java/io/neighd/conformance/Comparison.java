package io.neighd.conformance;

import io.neighd.lab.Distributions;
import io.neighd.lab.Lab;
import io.neighd.lab.Timing;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.Objects;

/**
 * The differences between Linux's outcome and neighd's: frames matched one to one (same segment,
 * same normalised content, within the scenario's time slack, in any order within that slack; a
 * scenario's set-up frames, before its mark, on content alone),
 * then tables entry by entry (state, lladdr, probes, router exactly; used/confirmed/updated within
 * one second, as ip prints whole seconds).
 */
final class Comparison {
    static final long AGE_SLACK_S = 1;
    /** Below this many delays per side a distribution test says nothing; only the range is checked. */
    static final int MIN_SAMPLES = 12;

    private Comparison() {
    }

    static List<Difference> diff(Scenario s, Outcome linux, Outcome neighd) {
        List<Difference> d = new ArrayList<>();
        if (!Objects.equals(linux.error(), neighd.error())) {
            d.add(Difference.of(Difference.Kind.ERROR, "Linux " + (linux.error() == null ? "ran it" : "could not: "
                    + linux.error()) + "; neighd " + (neighd.error() == null ? "ran it" : "could not: " + neighd.error())));
        }
        if (s.frames()) {
            if (s.randomDelayMs() > 0) {
                d.addAll(frames(linux.frames(), neighd.frames(), Long.MAX_VALUE / 4));
                d.addAll(delays(s.randomDelayMs(), linux.frames(), neighd.frames()));
            } else {
                d.addAll(frames(linux.frames(), neighd.frames(), s.slackMs()));
            }
        }
        if (s.table()) {
            d.addAll(tables(linux.table(), neighd.table()));
        }
        return d;
    }

    static List<Difference> frames(List<Outcome.WireFrame> linux, List<Outcome.WireFrame> neighd, long slackMs) {
        List<Difference> d = new ArrayList<>();
        List<Outcome.WireFrame> left = new ArrayList<>(neighd);
        for (Outcome.WireFrame l : linux) {
            Outcome.WireFrame best = null;
            for (Outcome.WireFrame n : left) {
                if (n.seg() == l.seg() && n.text().equals(l.text()) && closeEnough(l.atMs(), n.atMs(), slackMs)) {
                    best = n;
                    break;
                }
            }
            if (best != null) {
                left.remove(best);
                continue;
            }
            Outcome.WireFrame late = left.stream().filter(n -> n.seg() == l.seg() && n.text().equals(l.text()))
                    .findFirst().orElse(null);
            if (late != null) {
                d.add(Difference.frame(Difference.Kind.FRAME_TIMING, "timing: Linux sent " + l + ", neighd at "
                        + late.atMs() + " ms (slack " + slackMs + " ms)", l, late));
                left.remove(late);
            } else {
                d.add(Difference.frame(Difference.Kind.FRAME_ONLY_LINUX, "Linux sent " + l + "; neighd did not", l, null));
            }
        }
        for (Outcome.WireFrame n : left) {
            d.add(Difference.frame(Difference.Kind.FRAME_ONLY_NEIGHD, "neighd sent " + n + "; Linux did not", null, n));
        }
        return d;
    }

    /**
     * Random delays (proxy_delay): each side's frames after the start must fall within the draw's
     * range plus its timer's bound, and, with enough of them, each side must look like a uniform
     * draw over the range and the two sides like the same distribution (Kolmogorov-Smirnov at
     * {@link Distributions#ALPHA}). A side that answers at once, or after a fixed time, fails.
     */
    static List<Difference> delays(long rangeMs, List<Outcome.WireFrame> linux, List<Outcome.WireFrame> neighd) {
        List<Difference> d = new ArrayList<>();
        long latest = rangeMs + Timing.slackMs(rangeMs);
        List<Long> l = times(linux);
        List<Long> n = times(neighd);
        for (var side : List.of(Map.entry("Linux", l), Map.entry("neighd", n))) {
            List<Long> out = side.getValue().stream().filter(t -> t > latest).toList();
            if (!out.isEmpty()) {
                d.add(Difference.of(Difference.Kind.DELAYS, side.getKey() + " answered after " + out
                        + " ms, beyond the draw's range " + rangeMs + " ms + " + (latest - rangeMs) + " ms"));
            }
        }
        if (l.size() >= MIN_SAMPLES && n.size() >= MIN_SAMPLES) {
            // the wheel may put a reply up to its bound late: that much of the range may shift the CDF
            double shift = (double) Timing.wheelBoundMs(rangeMs) / rangeMs;
            for (var side : List.of(Map.entry("Linux", l), Map.entry("neighd", n))) {
                double ks = Distributions.ksUniform(side.getValue(), 0, rangeMs);
                double crit = Distributions.critical(side.getValue().size()) + shift;
                if (ks > crit) {
                    d.add(Difference.of(Difference.Kind.DELAYS, String.format(Locale.ROOT,
                            "%s's delays %s are not a uniform draw below %d ms (KS D=%.3f > %.3f)", side.getKey(),
                            side.getValue(), rangeMs, ks, crit)));
                }
            }
            double ks2 = Distributions.ksTwoSample(l, n);
            double crit2 = Distributions.critical(l.size(), n.size());
            if (ks2 > crit2) {
                d.add(Difference.of(Difference.Kind.DELAYS, String.format(Locale.ROOT,
                        "the delays differ in distribution: Linux %s, neighd %s (KS D=%.3f > %.3f)", l, n, ks2, crit2)));
            }
        }
        return d;
    }

    private static List<Long> times(List<Outcome.WireFrame> frames) {
        return frames.stream().map(Outcome.WireFrame::atMs).filter(t -> t >= 0).sorted().toList();
    }

    /**
     * Within the slack; frames of a set-up step (before the scenario's mark, negative times) match on
     * content alone: their timing is that of the tools and the API calls that caused them.
     */
    private static boolean closeEnough(long linuxMs, long neighdMs, long slackMs) {
        return (linuxMs < 0 && neighdMs < 0) || Math.abs(neighdMs - linuxMs) <= slackMs;
    }

    static List<Difference> tables(List<Lab.KernelNeighbour> linux, List<Lab.KernelNeighbour> neighd) {
        List<Difference> d = new ArrayList<>();
        Map<String, Lab.KernelNeighbour> l = index(linux);
        Map<String, Lab.KernelNeighbour> n = index(neighd);
        for (Map.Entry<String, Lab.KernelNeighbour> e : l.entrySet()) {
            Lab.KernelNeighbour a = e.getValue();
            Lab.KernelNeighbour b = n.remove(e.getKey());
            if (b == null) {
                d.add(Difference.entry(Difference.Kind.ENTRY_ONLY_LINUX, "table: Linux has " + describe(a)
                        + "; neighd has no entry", a, null, null));
                continue;
            }
            List<String> f = new ArrayList<>();
            List<String> fields = new ArrayList<>();
            if (!a.state().equals(b.state())) {
                f.add("state " + a.state() + " vs " + b.state());
                fields.add("state");
            }
            if (!Objects.equals(a.lladdr(), b.lladdr())) {
                f.add("lladdr " + a.lladdr() + " vs " + b.lladdr());
                fields.add("lladdr");
            }
            if (a.probes() != b.probes()) {
                f.add("probes " + a.probes() + " vs " + b.probes());
                fields.add("probes");
            }
            if (a.router() != b.router()) {
                f.add("router " + a.router() + " vs " + b.router());
                fields.add("router");
            }
            age(f, fields, "used", a.used(), b.used());
            age(f, fields, "confirmed", a.confirmed(), b.confirmed());
            age(f, fields, "updated", a.updated(), b.updated());
            if (!f.isEmpty()) {
                d.add(Difference.entry(Difference.Kind.ENTRY_FIELDS, "table: " + e.getKey() + ": "
                        + String.join(", ", f) + " (Linux vs neighd)", a, b, String.join(",", fields)));
            }
        }
        for (Lab.KernelNeighbour b : n.values()) {
            d.add(Difference.entry(Difference.Kind.ENTRY_ONLY_NEIGHD, "table: neighd has " + describe(b)
                    + "; Linux has no entry", null, b, null));
        }
        return d;
    }

    /**
     * The columns {@link ArpCacheStats#compared} of {@code table} (arp_cache, or ndisc_cache for the
     * IPv6 scenarios): the kernel DUT's own change is the
     * machine's change while the reference side ran, less the machine's change while neighd's side
     * ran (the kernel peers, identical on both sides, and nothing else, since neighd's namespace
     * runs no kernel ARP or ND), less what the harness's own iproute2 calls counted; neighd's is its
     * /api/v1/stats.
     */
    static List<Difference> statistics(String table, Outcome linux, Outcome neighd) {
        List<Difference> d = new ArrayList<>();
        Map<String, Long> kernel = kernelCounters(linux, neighd);
        for (String c : ArpCacheStats.compared(table)) {
            long k = kernel.getOrDefault(c, 0L);
            long n = neighd.counters().getOrDefault(c, 0L);
            if (k != n) {
                d.add(new Difference(Difference.Kind.STATISTICS, table + " " + c + ": Linux " + signed(k) + ", neighd "
                        + signed(n), k, n, c));
            }
        }
        return d;
    }

    private static String signed(long v) {
        return v < 0 ? String.valueOf(v) : "+" + v;
    }

    /** The reference kernel's own change: see {@link #statistics}. */
    static Map<String, Long> kernelCounters(Outcome linux, Outcome neighd) {
        Map<String, Long> harness = ArpCacheStats.minus(linux.machine(), linux.counters());
        return ArpCacheStats.minus(ArpCacheStats.minus(linux.machine(), neighd.machine()), harness);
    }

    private static void age(List<String> f, List<String> fields, String what, long linux, long neighd) {
        if (Math.abs(linux - neighd) > AGE_SLACK_S) {
            f.add(what + " " + linux + " s vs " + neighd + " s ago");
            fields.add(what);
        }
    }

    private static Map<String, Lab.KernelNeighbour> index(List<Lab.KernelNeighbour> t) {
        Map<String, Lab.KernelNeighbour> m = new LinkedHashMap<>();
        for (Lab.KernelNeighbour n : t) {
            m.put(n.dst() + " dev " + n.dev(), n);
        }
        return m;
    }

    static String describe(Lab.KernelNeighbour n) {
        return n.dst() + " dev " + n.dev() + " " + n.state() + (n.lladdr() == null ? "" : " " + n.lladdr())
                + " probes " + n.probes() + " used/confirmed/updated " + n.used() + "/" + n.confirmed() + "/"
                + n.updated();
    }
}
