package io.neighd.time;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** HZ must divide 1000 so that a jiffy is a whole number of milliseconds: 100, 250, 500 or 1000. */
class JiffiesTest {
    @ParameterizedTest(name = "HZ {0} is refused")
    @ValueSource(ints = {0, -250, 300, 2000})
    void anHzThatDoesNotDivideOneThousandIsRefused(int hz) {
        assertThatThrownBy(() -> new Jiffies(hz)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("HZ " + hz + " is not supported (expected: 100, 250, 500 or 1000)");
    }

    @Test
    void supportedRates() {
        assertThat(new Jiffies(100).hundredth()).isEqualTo(1);
        assertThat(new Jiffies(250).toMillis(1)).isEqualTo(4);
        assertThat(new Jiffies(1000).fromMillis(7)).isEqualTo(7);
    }

    /** clock_t knobs (USER_HZ = 100) as the sysctl handlers convert them, truncating. */
    @Test
    void clockTicksTruncate() {
        assertThat(new Jiffies(250).fromClockT(301)).isEqualTo(752);
        assertThat(new Jiffies(250).toClockT(753)).isEqualTo(301);
        assertThat(new Jiffies(1000).fromClockT(3)).isEqualTo(30);
        assertThat(new Jiffies(1000).toClockT(39)).isEqualTo(3);
    }

    /**
     * clock_t_to_jiffies() of kernel/time/time.c on an unsigned long: for HZ a multiple of USER_HZ
     * it saturates at ~0UL from ~0UL / (HZ / USER_HZ) on, otherwise from ~0UL / HZ * USER_HZ on,
     * and below that {@code (u64) x * HZ} wraps before the division, as in the kernel.
     */
    @Test
    void clockTToJiffiesSaturatesWhereTheKernelDoes() {
        Jiffies hz1000 = new Jiffies(1000);
        assertThat(hz1000.clockTToJiffies(301)).isEqualTo(3010);
        assertThat(hz1000.clockTToJiffies(Long.divideUnsigned(-1L, 10))).isEqualTo(-1L);
        // below the limit, though above ~0UL / HZ * USER_HZ (the other branch's limit)
        assertThat(hz1000.clockTToJiffies(1844674407370955100L)).isEqualTo(-616L);
        Jiffies hz250 = new Jiffies(250);
        assertThat(hz250.clockTToJiffies(301)).isEqualTo(752);
        assertThat(hz250.clockTToJiffies(7378697629483820600L)).isEqualTo(-1L);
        assertThat(hz250.clockTToJiffies(7378697629483820599L)).isEqualTo(184467440737095397L);
        assertThat(hz250.clockTToJiffies(-5L)).isEqualTo(-1L);
    }

    /**
     * jiffies_to_clock_t(): {@code x / (HZ / USER_HZ)} when TICK_NSEC is a multiple of
     * NSEC_PER_SEC / USER_HZ (HZ 100), else {@code (u64) x * TICK_NSEC / (NSEC_PER_SEC / USER_HZ)},
     * which wraps for large x.
     */
    @Test
    void jiffiesToClockTAsTheKernelComputesIt() {
        assertThat(new Jiffies(100).jiffiesToClockT(12345)).isEqualTo(12345);
        assertThat(new Jiffies(100).jiffiesToClockT(-1L)).isEqualTo(-1L);
        assertThat(new Jiffies(250).jiffiesToClockT(753)).isEqualTo(301);
        assertThat(new Jiffies(250).jiffiesToClockT(-1L)).isEqualTo(1844674407370L);
        assertThat(new Jiffies(1000).jiffiesToClockT(39)).isEqualTo(3);
    }
}
