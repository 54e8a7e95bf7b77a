package io.neighd.conformance;

import io.neighd.lab.Frame;
import io.neighd.lab.Lab;
import io.neighd.lab.LabEnvironment;
import io.neighd.lab.LabExtension;
import io.neighd.lab.LabSession;
import io.neighd.lab.PcapCapture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Differential conformance: every scenario of {@link Scenarios} runs twice, first against the
 * reference kernel (side ref), then against neighd (side nd), on identical segments with
 * identical knobs; the two are compared frame by frame, entry by entry and counter by counter
 * ({@link Comparison}). A difference fails the test unless its scenario's {@link
 * KnownDifferences.Excuse} explains exactly that difference; an excuse that explains nothing fails
 * too, until it is removed.
 *
 * <p>The sides run one after the other, not at once: each then has both cores, which is what
 * lets the time slack be the derived one ({@link io.neighd.lab.Timing}), and the machine's
 * /proc/net/stat/arp_cache, which every namespace counts in, can be read around each side. Each
 * run proves its stimulus arrived: the tools ran and say what they sent, the DUT's switch port
 * carried it, and the DUT's receive counter moved by exactly what its port delivered (the
 * kernel's {@code ip -s link} rx packets; neighd's frames taken in, from /api/v1/stats). A
 * scenario that differs is run again, up to {@link #ATTEMPTS} times in all: a stall of the loaded
 * machine differs once, a real difference every time.
 *
 * <p>{@code -Dneighd.conformance.write=true} writes the outcome to docs/conformance.md;
 * {@code -Dneighd.conformance.only=REGEX} runs the scenarios whose names match.
 */
@ExtendWith(LabExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LinuxDifferentialIT {
    static final int ATTEMPTS = 3;
    private static final List<Result> RESULTS = Collections.synchronizedList(new ArrayList<>());
    private static volatile List<String> aligned = List.of();
    /** Runs whose counters differ while the machine's moved by themselves, before the counters are given up. */
    static final int MAX_NOISY = 4;
    /**
     * Such reruns in the whole run: past them the machine is taken as busy, and counters that
     * differ while it is noisy are reported as not compared at once (a shared machine under a
     * flood would otherwise rerun every scenario {@link #MAX_NOISY} times).
     */
    static final int NOISY_BUDGET = 12;
    private static int noisyRuns;

    /**
     * One scenario's outcome on both sides; {@code linux} is null for a neighd-only scenario.
     *
     * @param diffs      every difference found in the last attempt
     * @param excused    the part of {@code diffs} the scenario's excuse explains
     * @param statistics the counter differences (in {@code diffs} when the counters were compared)
     * @param statsNote  why the counters were not compared, or null
     * @param attempts   how many runs it took
     */
    record Result(Scenario scenario, Outcome linux, Outcome neighd, List<Difference> diffs, List<Difference> excused,
                  List<Difference> statistics, String statsNote, int attempts) {
        List<Difference> unexplained() {
            return diffs.stream().filter(d -> !excused.contains(d)).toList();
        }

        boolean matched() {
            return diffs.isEmpty();
        }

        KnownDifferences.Excuse excuse() {
            return KnownDifferences.excuse(scenario.name());
        }

        /**
         * An excuse that explained nothing: the scenario matches, the excuse must go. Not when the
         * counters were left out because the machine's moved by themselves (outside CI only): the
         * counters an excuse explains were then not measured, so it cannot be judged either way.
         */
        boolean excuseUnused() {
            return excuse() != null && !excuse().racy() && excused.isEmpty() && (linux == null || statsNote == null);
        }

        boolean passed() {
            return unexplained().isEmpty() && !excuseUnused();
        }

        /** The same with the counters left out of the comparison, saying why. */
        Result statisticsNotCompared(String why) {
            List<Difference> kept = diffs.stream().filter(d -> d.kind() != Difference.Kind.STATISTICS).toList();
            return new Result(scenario, linux, neighd, kept, excused, statistics, why, attempts);
        }
    }

    static Stream<Scenario> scenarios() {
        String only = System.getProperty("neighd.conformance.only");
        Stream<Scenario> all = Scenarios.all().stream();
        return only == null || only.isBlank() ? all : all.filter(s -> Pattern.compile(only).matcher(s.name()).find());
    }

    @Order(1)
    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void behavesAsLinux(Scenario s, LabSession session) {
        aligned = session.ref.aligned();
        Result result = null;
        int real = 0;
        int noisy = 0;
        List<String> seen = new ArrayList<>();
        while (true) {
            if (real + noisy > 0) {
                session.reset();
            }
            result = attempt(s, session, real + noisy + 1);
            if (result.unexplained().isEmpty()) {
                break;
            }
            String noise = result.unexplained().stream().allMatch(d -> d.kind() == Difference.Kind.STATISTICS)
                    ? movingByThemselves(ArpCacheStats.table(s), result.unexplained()) : null;
            if (noise != null) {
                // not evidence either way: the machine's counters moved without us
                System.out.println("[conformance] " + s.name() + ": counters differ (" + result.unexplained()
                        + ") but " + noise + "; not counted");
                noisyRuns++;
                if (++noisy >= MAX_NOISY || noisyRuns > NOISY_BUDGET) {
                    result = result.statisticsNotCompared("not compared: " + noise + " in " + noisy + " runs");
                    break;
                }
                continue;
            }
            System.out.println("[conformance] " + s.name() + " attempt " + (real + 1) + " differs: "
                    + result.unexplained());
            seen.add(result.unexplained().stream().allMatch(d -> d.kind() == Difference.Kind.STATISTICS)
                    ? result.unexplained().stream().map(Difference::text).toList().toString() : null);
            if (++real >= ATTEMPTS) {
                // outside CI: counters that differed, and differed differently in every run, are
                // the machine's noise (a real difference is the same each time); in CI they fail
                if (!LabEnvironment.inCi() && !seen.contains(null) && new java.util.HashSet<>(seen).size() > 1) {
                    result = result.statisticsNotCompared("not compared: the counters differed differently in each "
                            + "of " + real + " runs (the machine's own traffic, not a difference of neighd's)");
                }
                break;
            }
        }
        RESULTS.add(result);
        if (result.linux() != null) {
            System.out.println("[conformance] " + s.name() + ": " + ArpCacheStats.table(s) + " Linux " + ArpCacheStats.moved(
                    Comparison.kernelCounters(result.linux(), result.neighd())) + " / neighd "
                    + ArpCacheStats.moved(result.neighd().counters()) + " (machine while Linux ran: "
                    + ArpCacheStats.moved(result.linux().machine()) + "; while neighd ran: "
                    + ArpCacheStats.moved(result.neighd().machine()) + ")" + (result.statsNote() == null ? ""
                    : " (" + result.statsNote() + ")"));
        }
        if (!result.unexplained().isEmpty()) {
            fail("neighd differs from Linux in " + s.name() + " (" + s.title() + "; " + s.knobsText() + "), "
                    + ATTEMPTS + " runs out of " + ATTEMPTS + ":\n  "
                    + String.join("\n  ", result.unexplained().stream().map(Difference::text).toList())
                    + "\nLinux:  " + (result.linux() == null ? s.linuxByCode() : result.linux().summary())
                    + "\nneighd: " + result.neighd().summary());
        }
        if (result.excuseUnused()) {
            fail(s.name() + " matches Linux: remove its excuse from KnownDifferences (" + result.excuse().why() + ")");
        }
    }

    private static Result attempt(Scenario s, LabSession session, int attempt) {
        Lab lab = session.lab;
        Dut nd = new NeighdDut(lab, session.neighd);
        if (s.noReference() != null) {
            Outcome o = Sides.run(s, nd, session);
            o = o.withExtra("forced_gc_runs +" + o.counters().getOrDefault("forced_gc_runs", 0L)
                    + ", table_fulls +" + o.counters().getOrDefault("table_fulls", 0L));
            String wrong = s.expected().apply(o);
            List<Difference> d = new ArrayList<>(o.proof());
            if (wrong != null) {
                d.add(Difference.of(Difference.Kind.ERROR, wrong));
            }
            return new Result(s, null, o, d, List.of(), List.of(), "neighd alone", attempt);
        }
        Outcome l = Sides.run(s, new KernelDut(lab, session.ref), session);
        // the reference side's timers stop here, so that nothing of it counts while neighd's side runs
        lab.flushNeigh(session.ref.ns());
        lab.flushPeers(Lab.Side.REF);
        Outcome n = Sides.run(s, nd, session);
        List<Difference> d = new ArrayList<>(l.proof());
        d.addAll(n.proof());
        d.addAll(Comparison.diff(s, l, n));
        KnownDifferences.Excuse excuse = KnownDifferences.excuse(s.name());
        List<Difference> stats = Comparison.statistics(ArpCacheStats.table(s), l, n);
        String note = null;
        if (excuse != null && d.stream().anyMatch(x -> excuse.covers(x, l, n))) {
            note = "not compared: the excused frames move the counters too";
        } else {
            d.addAll(stats);
        }
        List<Difference> excused = excuse == null ? List.of()
                : d.stream().filter(x -> excuse.covers(x, l, n)).toList();
        return new Result(s, l, n, d, excused, stats, note, attempt);
    }

    /**
     * Null if the columns of {@code diffs} stand still for a second while the lab idles, else what
     * moved: other network namespaces at work (a shared development machine), so the run's counters
     * are no evidence either way. Always null in CI: CI's machine is the run's own, and counters
     * that move there are a difference like any other.
     */
    private static String movingByThemselves(String table, List<Difference> diffs) {
        if (LabEnvironment.inCi()) {
            return null;
        }
        Map<String, Long> a = ArpCacheStats.kernel(table);
        Lab.sleep(1000);
        Map<String, Long> moved = ArpCacheStats.minus(ArpCacheStats.kernel(table), a);
        List<String> columns = diffs.stream().map(Difference::field).toList();
        if (columns.stream().allMatch(c -> moved.getOrDefault(c, 0L) == 0)) {
            return null;
        }
        return "the machine's " + table + " moved by itself (" + ArpCacheStats.moved(moved) + " in 1 s while the lab "
                + "idled: other network namespaces at work)";
    }

    /**
     * The counters were compared for every scenario the reference ran, unless the machine was
     * noisy outside CI: then this test is skipped, saying why, rather than counted as passed.
     */
    @Order(2)
    @Test
    void statisticsWereComparedWithLinux() {
        List<Result> withReference = RESULTS.stream().filter(r -> r.linux() != null).toList();
        org.junit.jupiter.api.Assumptions.assumeFalse(withReference.isEmpty(), "no scenario with a reference ran");
        List<String> noisy = withReference.stream().filter(r -> r.excused().isEmpty() && r.statsNote() != null)
                .map(r -> r.scenario().name() + ": " + r.statsNote()).toList();
        org.junit.jupiter.api.Assumptions.assumeTrue(noisy.isEmpty(),
                () -> "arp_cache/ndisc_cache counters not compared with Linux in " + noisy.size() + " scenarios: " + noisy);
        assertThat(withReference).as("scenarios whose arp_cache (ndisc_cache) counters were compared with Linux's (all but "
                        + "those whose excused frames move them)")
                .allSatisfy(r -> assertThat(r.statsNote() == null || !r.excused().isEmpty()).as(r.scenario().name())
                        .isTrue())
                .filteredOn(r -> r.statsNote() == null).isNotEmpty();
    }

    /** One side of a scenario, with its proof that the stimulus arrived. */
    static final class Sides {
        private static final long SETTLE_MS = 150;

        private Sides() {
        }

        static Outcome run(Scenario s, Dut dut, LabSession session) {
            Lab lab = session.lab;
            Lab.Side side = dut.side();
            Run r = new Run(side, dut, lab);
            List<PcapCapture> caps = new ArrayList<>();
            String error = null;
            List<Lab.KernelNeighbour> table = List.of();
            List<Outcome.WireFrame> frames = new ArrayList<>();
            List<Difference> proof = new ArrayList<>();
            long[] rx = new long[lab.segments];
            Map<String, Long> machine;
            Map<String, Long> own;
            // IPv6 scenarios are held to nd_tbl's counters, the others to arp_tbl's
            String statsTable = ArpCacheStats.table(s);
            boolean ipv6 = NdiscScenarios.isIpv6(s);
            try {
                dut.knobs(s.knobs());
                for (int k = 0; k < lab.segments; k++) {
                    rx[k] = received(session, side, k);
                }
                machine = settled(statsTable);
                own = side == Lab.Side.ND ? ArpCacheStats.of(session.neighd.stats(), statsTable) : machine;
                for (int k = 0; k < lab.segments; k++) {
                    // everything, not only ARP and ICMP: the receive counter counts everything
                    caps.add(lab.capture(lab.sw(), Lab.dutPort(side, k), null));
                }
                r.mark();
                try {
                    s.script().accept(r);
                } catch (UnsupportedOperationException e) {
                    error = e.getMessage();
                }
                dut.settle();
                Lab.sleep(s.settleMs());
                table = dut.table();
            } finally {
                List<List<Frame>> captured = new ArrayList<>();
                for (PcapCapture c : caps) {
                    captured.add(c.stop());
                }
                long t0 = start(captured, r.t0(), ipv6);
                for (int k = 0; k < captured.size(); k++) {
                    String mac = Lab.portMac(k);
                    for (Frame f : captured.get(k)) {
                        // ICMPv6 only in IPv6 scenarios (elsewhere the reference's own DAD after a link
                        // bounce would count), and never router solicitations: neighd sends none
                        if (f.isFrom(mac) && (f.isArp() || f.isIcmp() || ipv6 && NdiscScenarios.compared(f))) {
                            frames.add(Outcome.normalise(f, k, t0));
                        }
                    }
                }
                r.restore();
            }
            Map<String, Long> machineAfter = ArpCacheStats.kernel(statsTable);
            Map<String, Long> ownAfter = side == Lab.Side.ND ? ArpCacheStats.of(session.neighd.stats(), statsTable)
                    : machineAfter;
            proof.addAll(stimulusArrived(session, side, r, caps, rx));
            frames.sort((a, b) -> Long.compare(a.atMs(), b.atMs()));
            Map<String, Long> counters = ArpCacheStats.minus(ArpCacheStats.minus(ownAfter, own), dut.harness());
            return new Outcome(frames, table, error, null, counters, ArpCacheStats.minus(machineAfter, machine), proof);
        }

        /**
         * The machine's counters once the compared columns stood still for {@value #SETTLE_MS} ms
         * (a second at most): entries flushed by the reset, or by the reference side before
         * neighd's, are destroyed when their last reference goes (a route's cached dst, a queued
         * skb), which may be a moment later, and that must not count in the next window.
         */
        private static Map<String, Long> settled(String table) {
            Map<String, Long> last = ArpCacheStats.kernel(table);
            long stillSince = System.nanoTime();
            long end = stillSince + 1_000_000_000L;
            while (System.nanoTime() < end) {
                Lab.sleep(25);
                Map<String, Long> now = ArpCacheStats.kernel(table);
                Map<String, Long> before = last;
                boolean moved = ArpCacheStats.compared(table).stream().anyMatch(c -> !now.get(c).equals(before.get(c)));
                if (moved) {
                    stillSince = System.nanoTime();
                } else if (System.nanoTime() - stillSince >= SETTLE_MS * 1_000_000L) {
                    return now;
                }
                last = now;
            }
            return last;
        }

        /**
         * The time frames are measured from: the first frame of the compared kinds (ARP, ICMP, and
         * ICMPv6 in IPv6 scenarios) on any of the DUT's ports at or after the mark (the stimulus, or
         * the DUT's own first frame), so that neither a tool's start-up nor a REST call's latency
         * counts as the DUT's timing, nor a kernel's MLD report for a group an added address joins;
         * the mark itself if the wire stayed silent.
         */
        private static long start(List<List<Frame>> captured, long mark, boolean ipv6) {
            long t0 = Long.MAX_VALUE;
            for (List<Frame> c : captured) {
                for (Frame f : c) {
                    boolean compared = f.isArp() || f.isIcmp() || ipv6 && NdiscScenarios.compared(f);
                    if (compared && f.nanos() >= mark && f.nanos() < t0) {
                        t0 = f.nanos();
                    }
                }
            }
            return t0 == Long.MAX_VALUE ? mark : t0;
        }

        /** The DUT's receive counter on segment {@code k}. */
        private static long received(LabSession session, Lab.Side side, int k) {
            return side == Lab.Side.REF ? session.lab.rxPackets(session.ref.ns(), Lab.dev(k))
                    : session.neighd.received(Lab.dev(k));
        }

        /**
         * Each peer's frames as its tool reported them crossed the DUT's switch port, and the DUT's
         * receive counter moved by exactly what its port delivered: every frame for the kernel,
         * what neighd's capture filter lets in (ARP, ICMP and ICMPv6, tagged or not) for neighd.
         */
        private static List<Difference> stimulusArrived(LabSession session, Lab.Side side, Run r,
                                                        List<PcapCapture> caps, long[] before) {
            List<Difference> d = new ArrayList<>();
            for (Map.Entry<String, Integer> e : r.stimulus().entrySet()) {
                int seg = Integer.parseInt(e.getKey().substring(0, e.getKey().indexOf('/')));
                String mac = e.getKey().substring(e.getKey().indexOf('/') + 1);
                long seen = caps.get(seg).frames(f -> f.isFrom(mac)).size();
                if (seen < e.getValue()) {
                    d.add(Difference.of(Difference.Kind.STIMULUS, side.tag + ": " + mac + " reported " + e.getValue()
                            + " frames sent (" + r.tools() + ") but the DUT's port carried " + seen));
                }
            }
            for (int k = 0; k < caps.size(); k++) {
                String dut = Lab.portMac(k);
                long delivered = caps.get(k).frames(f -> !f.isFrom(dut) && (side == Lab.Side.REF || neighdTakes(f)))
                        .size();
                long moved = awaitReceived(session, side, k, before[k] + delivered) - before[k];
                if (moved != delivered) {
                    d.add(Difference.of(Difference.Kind.STIMULUS, side.tag + ": " + Lab.dev(k) + "'s port delivered "
                            + delivered + " frames, its receive counter moved by " + moved));
                }
            }
            return d;
        }

        /** neighd's engine takes a moment to count what its capture read: wait up to a second. */
        private static long awaitReceived(LabSession session, Lab.Side side, int k, long expected) {
            long end = System.nanoTime() + 1_000_000_000L;
            long now = received(session, side, k);
            while (side == Lab.Side.ND && now < expected && System.nanoTime() < end) {
                Lab.sleep(20);
                now = received(session, side, k);
            }
            return now;
        }

        /**
         * What neighd's capture filter ({@code link.CaptureFilter}) lets in: ARP, ICMP, or ICMPv6 right
         * after the IPv6 header (libpcap's {@code icmp6} does not follow extension headers), untagged
         * or 802.1Q.
         */
        private static boolean neighdTakes(Frame f) {
            byte[] b = f.data();
            int type = (b[12] & 0xff) << 8 | (b[13] & 0xff);
            int l3 = 14;
            if (type == 0x8100 && b.length >= 18) {
                type = (b[16] & 0xff) << 8 | (b[17] & 0xff);
                l3 = 18;
            }
            return type == 0x0806 || (type == 0x0800 && b.length > l3 + 9 && b[l3 + 9] == 1)
                    || (type == 0x86dd && b.length > l3 + 6 && b[l3 + 6] == 58);
        }
    }

    @AfterAll
    static void report() throws Exception {
        if (Boolean.getBoolean("neighd.conformance.write") || "true".equals(System.getenv("NEIGHD_CONFORMANCE_WRITE"))) {
            ConformanceReport.write(List.copyOf(RESULTS), aligned);
        }
    }
}
