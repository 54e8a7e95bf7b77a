package io.neighd.conformance;

import io.neighd.lab.Frame;
import io.neighd.lab.Lab;
import io.neighd.lab.LabExtension;
import io.neighd.lab.LabSession;
import io.neighd.lab.PcapCapture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.fail;

/**
 * Differential conformance: every scenario of {@link Scenarios} runs twice at the same time, once
 * against neighd (side nd) and once against the reference kernel (side ref), on identical
 * segments with identical knobs, and the two are compared frame by frame and entry by entry
 * ({@link Comparison}). A difference fails the test unless {@link KnownDifferences} explains it.
 *
 * <p>{@code -Dneighd.conformance.write=true} writes the outcome to docs/conformance.md;
 * {@code -Dneighd.conformance.only=REGEX} runs the scenarios whose names match.
 */
@ExtendWith(LabExtension.class)
class LinuxDifferentialIT {
    private static final List<Result> RESULTS = Collections.synchronizedList(new ArrayList<>());
    private static volatile List<String> aligned = List.of();
    private static final ExecutorService SIDES = Executors.newFixedThreadPool(2, r -> {
        Thread t = new Thread(r, "conformance-side");
        t.setDaemon(true);
        return t;
    });

    /** One scenario's outcome on both sides; {@code linux} is null for a neighd-only scenario. */
    record Result(Scenario scenario, Outcome linux, Outcome neighd, List<String> diffs, String explanation) {
        boolean matched() {
            return diffs.isEmpty();
        }
    }

    static Stream<Scenario> scenarios() {
        String only = System.getProperty("neighd.conformance.only");
        Stream<Scenario> all = Scenarios.all().stream();
        return only == null || only.isBlank() ? all : all.filter(s -> Pattern.compile(only).matcher(s.name()).find());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void behavesAsLinux(Scenario s, LabSession session) throws Exception {
        Lab lab = session.lab;
        aligned = session.ref.aligned();
        Dut nd = new NeighdDut(lab, session.neighd);
        Result result;
        if (s.noReference() != null) {
            long gcRuns = session.neighd.arpCache("forced_gc_runs");
            long fulls = session.neighd.arpCache("table_fulls");
            Outcome o = run(s, nd, lab);
            o = o.withExtra("forced_gc_runs +" + (session.neighd.arpCache("forced_gc_runs") - gcRuns)
                    + ", table_fulls +" + (session.neighd.arpCache("table_fulls") - fulls));
            String wrong = s.expected().apply(o);
            result = new Result(s, null, o, wrong == null ? List.of() : List.of(wrong), KnownDifferences.reason(s.name()));
        } else {
            Dut ref = new KernelDut(lab, session.ref);
            Future<Outcome> linux = SIDES.submit(() -> run(s, ref, lab));
            Future<Outcome> neighd = SIDES.submit(() -> run(s, nd, lab));
            Outcome l = linux.get(120, TimeUnit.SECONDS);
            Outcome n = neighd.get(120, TimeUnit.SECONDS);
            result = new Result(s, l, n, Comparison.diff(s, l, n), KnownDifferences.reason(s.name()));
        }
        RESULTS.add(result);
        if (!result.matched() && result.explanation() == null) {
            fail("neighd differs from Linux in " + s.name() + " (" + s.title() + "; " + s.knobsText() + "):\n  "
                    + String.join("\n  ", result.diffs()) + "\nLinux:  "
                    + (result.linux() == null ? s.linuxByCode() : result.linux().summary())
                    + "\nneighd: " + result.neighd().summary());
        }
    }

    /** One side: knobs, captures on the DUT's ports, the script, the settle time, the table. */
    private static Outcome run(Scenario s, Dut dut, Lab lab) {
        Lab.Side side = dut.side();
        Run r = new Run(side, dut, lab);
        List<PcapCapture> caps = new ArrayList<>();
        String error = null;
        List<Lab.KernelNeighbour> table = List.of();
        List<Outcome.WireFrame> frames = new ArrayList<>();
        try {
            dut.knobs(s.knobs());
            for (int k = 0; k < lab.segments; k++) {
                // IPv6 scenarios see ICMPv6 too; the others do not, so the reference kernel's own IPv6
                // (router solicitations and DAD after a link bounce) stays out of the ARP comparisons
                caps.add(NdiscScenarios.isIpv6(s) ? lab.captureDut(side, k, NdiscScenarios.CAPTURE)
                        : lab.captureDut(side, k));
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
            for (int k = 0; k < caps.size(); k++) {
                String mac = Lab.portMac(k);
                for (Frame f : caps.get(k).stop()) {
                    if (f.isFrom(mac)) {
                        frames.add(Outcome.normalise(f, k, r.t0()));
                    }
                }
            }
            r.restore();
        }
        frames.sort((a, b) -> Long.compare(a.atMs(), b.atMs()));
        return new Outcome(frames, table, error, null);
    }

    @AfterAll
    static void report() throws Exception {
        if (Boolean.getBoolean("neighd.conformance.write") || "true".equals(System.getenv("NEIGHD_CONFORMANCE_WRITE"))) {
            ConformanceReport.write(List.copyOf(RESULTS), aligned);
        }
        SIDES.shutdownNow();
    }
}
