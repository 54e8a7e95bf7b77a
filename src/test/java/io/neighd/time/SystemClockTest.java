package io.neighd.time;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The production clock is the monotonic one: it moves forward across a sleep and never back. */
class SystemClockTest {
    @Test
    void movesForwardAcrossASleep() throws InterruptedException {
        Clock clock = new SystemClock();
        long before = clock.nanos();

        Thread.sleep(5);

        assertThat(clock.nanos() - before).isPositive();
    }
}
