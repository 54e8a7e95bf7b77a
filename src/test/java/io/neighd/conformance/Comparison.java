package io.neighd.conformance;

import io.neighd.lab.Lab;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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

    private Comparison() {
    }

    static List<String> diff(Scenario s, Outcome linux, Outcome neighd) {
        List<String> d = new ArrayList<>();
        if (!Objects.equals(linux.error(), neighd.error())) {
            d.add("Linux " + (linux.error() == null ? "ran it" : "could not: " + linux.error()) + "; neighd "
                    + (neighd.error() == null ? "ran it" : "could not: " + neighd.error()));
        }
        if (s.frames()) {
            d.addAll(frames(linux.frames(), neighd.frames(), s.slackMs()));
        }
        if (s.table()) {
            d.addAll(tables(linux.table(), neighd.table()));
        }
        return d;
    }

    static List<String> frames(List<Outcome.WireFrame> linux, List<Outcome.WireFrame> neighd, long slackMs) {
        List<String> d = new ArrayList<>();
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
                d.add("timing: Linux sent " + l + ", neighd at " + late.atMs() + " ms (slack " + slackMs + " ms)");
                left.remove(late);
            } else {
                d.add("Linux sent " + l + "; neighd did not");
            }
        }
        for (Outcome.WireFrame n : left) {
            d.add("neighd sent " + n + "; Linux did not");
        }
        return d;
    }

    /**
     * Within the slack; frames of a set-up step (before the scenario's mark, negative times) match on
     * content alone: their timing is that of the tools and the API calls that caused them.
     */
    private static boolean closeEnough(long linuxMs, long neighdMs, long slackMs) {
        return (linuxMs < 0 && neighdMs < 0) || Math.abs(neighdMs - linuxMs) <= slackMs;
    }

    static List<String> tables(List<Lab.KernelNeighbour> linux, List<Lab.KernelNeighbour> neighd) {
        List<String> d = new ArrayList<>();
        Map<String, Lab.KernelNeighbour> l = index(linux);
        Map<String, Lab.KernelNeighbour> n = index(neighd);
        for (Map.Entry<String, Lab.KernelNeighbour> e : l.entrySet()) {
            Lab.KernelNeighbour a = e.getValue();
            Lab.KernelNeighbour b = n.remove(e.getKey());
            if (b == null) {
                d.add("table: Linux has " + describe(a) + "; neighd has no entry");
                continue;
            }
            List<String> f = new ArrayList<>();
            if (!a.state().equals(b.state())) {
                f.add("state " + a.state() + " vs " + b.state());
            }
            if (!Objects.equals(a.lladdr(), b.lladdr())) {
                f.add("lladdr " + a.lladdr() + " vs " + b.lladdr());
            }
            if (a.probes() != b.probes()) {
                f.add("probes " + a.probes() + " vs " + b.probes());
            }
            if (a.router() != b.router()) {
                f.add("router " + a.router() + " vs " + b.router());
            }
            age(f, "used", a.used(), b.used());
            age(f, "confirmed", a.confirmed(), b.confirmed());
            age(f, "updated", a.updated(), b.updated());
            if (!f.isEmpty()) {
                d.add("table: " + e.getKey() + ": " + String.join(", ", f) + " (Linux vs neighd)");
            }
        }
        for (Lab.KernelNeighbour b : n.values()) {
            d.add("table: neighd has " + describe(b) + "; Linux has no entry");
        }
        return d;
    }

    private static void age(List<String> f, String what, long linux, long neighd) {
        if (Math.abs(linux - neighd) > AGE_SLACK_S) {
            f.add(what + " " + linux + " s vs " + neighd + " s ago");
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
