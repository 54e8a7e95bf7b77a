package io.neighd.bench;

import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.profile.InternalProfiler;
import org.openjdk.jmh.results.AggregationPolicy;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.ScalarResult;

import java.lang.management.ManagementFactory;
import java.util.Collection;
import java.util.List;

/**
 * {@code -prof io.neighd.bench.CpuTimeProfiler}: CPU time the benchmark JVM spent per operation
 * (all its threads, so GC and JIT work counts too). On a machine shared with other work the
 * wall-clock score falls whenever the benchmark thread waits for a core; CPU time per operation
 * does not, so {@code 1e9 / cpu.time.per.op} estimates what one otherwise idle core would sustain.
 * Throughput and average-time modes only: in single-shot mode the iteration's CPU time would
 * include its {@code @Setup(Level.Iteration)}, which JMH leaves out of the score.
 */
public final class CpuTimeProfiler implements InternalProfiler {
    private final com.sun.management.OperatingSystemMXBean os =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    private long startNanos;

    @Override
    public String getDescription() {
        return "process CPU time per operation";
    }

    @Override
    public void beforeIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams) {
        startNanos = os.getProcessCpuTime();
    }

    @Override
    public Collection<? extends Result> afterIteration(BenchmarkParams benchmarkParams,
                                                       IterationParams iterationParams, IterationResult result) {
        long cpu = os.getProcessCpuTime() - startNanos;
        long ops = result.getMetadata().getAllOps();
        Mode mode = benchmarkParams.getMode();
        if (ops <= 0 || (mode != Mode.Throughput && mode != Mode.AverageTime)) {
            return List.of();
        }
        return List.of(new ScalarResult("cpu.time.per.op", (double) cpu / ops, "ns/op", AggregationPolicy.AVG));
    }
}
