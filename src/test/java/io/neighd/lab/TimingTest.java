package io.neighd.lab;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The timer-wheel arithmetic the time bounds are derived from, against kernel/time/timer.c at
 * HZ 250, and the distribution tests against samples whose answer is known.
 *
 * <pre>
 * | timer            | jiffies | level | LVL_GRAN | bound  |
 * |------------------|---------|-------|----------|--------|
 * | 50 ms            | 13      | 0     | 1        | 4 ms   |
 * | 248 ms           | 62      | 0     | 1        | 4 ms   |
 * | 252 ms           | 63      | 1     | 8        | 32 ms  |
 * | 1 s              | 250     | 1     | 8        | 32 ms  |
 * | 2012 ms          | 503     | 1     | 8        | 32 ms  |
 * | 2016 ms          | 504     | 2     | 64       | 256 ms |
 * | 3 s              | 750     | 2     | 64       | 256 ms |
 * | 16128 ms         | 4032    | 3     | 512      | 2048 ms|
 * </pre>
 */
class TimingTest {
    @ParameterizedTest(name = "{0} ms: level {2}")
    @CsvSource({"50, 13, 0, 4", "248, 62, 0, 4", "252, 63, 1, 32", "1000, 250, 1, 32", "2012, 503, 1, 32",
        "2016, 504, 2, 256", "3000, 750, 2, 256", "16128, 4032, 3, 2048"})
    void aTimersLevelAndBoundFollowLvlStartAndLvlGran(long ms, long jiffies, int level, long boundMs) {
        assertThat(Timing.jiffies(ms)).isEqualTo(jiffies);
        assertThat(Timing.level(jiffies)).isEqualTo(level);
        assertThat(Timing.wheelBoundMs(ms)).isEqualTo(boundMs);
    }

    @Test
    void lvlStartIsTheKernelsConstant() {
        // LVL_START(n) = (LVL_SIZE - 1) << ((n - 1) * LVL_CLK_SHIFT)
        assertThat(List.of(Timing.lvlStart(1), Timing.lvlStart(2), Timing.lvlStart(3))).containsExactly(63L, 504L, 4032L);
        assertThat(List.of(Timing.lvlGran(0), Timing.lvlGran(1), Timing.lvlGran(2))).containsExactly(1L, 8L, 64L);
    }

    @Test
    void theSlackIsTheBaselinePlusEachTimersBound() {
        assertThat(Timing.slackMs()).isEqualTo(Timing.REACTION_MS);
        assertThat(Timing.slackMs(200, 200)).isEqualTo(Timing.REACTION_MS + 8);
        assertThat(Timing.slackMs(3000)).isEqualTo(Timing.REACTION_MS + 256);
    }

    @Test
    void anEvenSpreadIsUniformAndAnImmediateAnswerIsNot() {
        List<Long> spread = new ArrayList<>();
        List<Long> immediate = new ArrayList<>();
        List<Long> fixed = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            spread.add(12L + 25 * i);
            immediate.add(2L);
            fixed.add(250L);
        }
        double crit = Distributions.critical(20);
        assertThat(Distributions.ksUniform(spread, 0, 500)).isLessThan(crit);
        assertThat(Distributions.ksUniform(immediate, 0, 500)).isGreaterThan(crit);
        assertThat(Distributions.ksUniform(fixed, 0, 500)).isGreaterThan(crit);
        assertThat(Distributions.ksTwoSample(spread, spread)).isZero();
        assertThat(Distributions.ksTwoSample(spread, immediate)).isGreaterThan(Distributions.critical(20, 20));
    }
}
