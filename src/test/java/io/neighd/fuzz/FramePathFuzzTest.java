package io.neighd.fuzz;

import io.neighd.testkit.FrameFuzzer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The frame path under a seeded, structure-aware generator ({@link FrameFuzzer}): frames of every
 * shape and source through Engine.receive with the manual clock moving and knobs, links,
 * addresses and neighbours changing between them; after every batch of {@link #BATCH} frames the
 * table's invariants must hold, the engine must have survived no failure, and every explained
 * frame must have been received as explained.
 *
 * <p>{@code ./mvnw verify} runs {@link #FRAMES} frames over four seeds in a few seconds. The long
 * run (docs/reliability.md, "Frame path"):
 *
 * <pre>./mvnw -o test -Dtest=FramePathFuzzTest -Dneighd.fuzz.frames=100000000 [-Dneighd.fuzz.seeds=4]</pre>
 *
 * A failure names its seed and batch; {@code -Dneighd.fuzz.seed=S} replays that seed alone, and a
 * seed that found a defect joins {@link #CRASHERS}.
 */
class FramePathFuzzTest {
    static final long FRAMES = Long.getLong("neighd.fuzz.frames", 400_000);
    static final int BATCH = 1_000;
    /** Seeds that once found a defect, replayed on every run (see docs/reliability.md). */
    static final List<Long> CRASHERS = List.of();

    static LongStream seeds() {
        Long one = Long.getLong("neighd.fuzz.seed");
        if (one != null) {
            return LongStream.of(one);
        }
        long n = Long.getLong("neighd.fuzz.seeds", 4);
        return LongStream.concat(LongStream.rangeClosed(1, n), CRASHERS.stream().mapToLong(Long::longValue));
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void theTableStaysSoundWhateverComesIn(long seed) {
        long perSeed = Math.max(BATCH, FRAMES / Long.getLong("neighd.fuzz.seeds", 4));
        FrameFuzzer f = new FrameFuzzer(FrameFuzzer.seeded(seed), seed);
        long t0 = System.nanoTime();
        for (long batch = 0; f.frames() < perSeed; batch++) {
            f.run(BATCH);
            List<String> wrong = f.violations();
            assertThat(wrong).as("seed %d, batch %d (%d frames, %d operations): replay with "
                    + "-Dneighd.fuzz.seed=%d", seed, batch, f.frames(), f.operations(), seed).isEmpty();
        }
        double secs = (System.nanoTime() - t0) / 1e9;
        System.out.printf("frame path fuzz seed %d: %d frames, %d operations, %d frames sent, %d entries, %.1f s "
                        + "(%.0f frames/s); reasons %s%n", seed, f.frames(), f.operations(), f.sent(),
                f.engine().table().entries(), secs, f.frames() / secs, f.reasons());
    }
}
