package io.neighd.time;

/**
 * The kernel's unit of time. The engine counts time in jiffies of a configurable HZ (Debian
 * kernels: 250, so one jiffy is 4 ms) and converts knob values the way the sysctl handlers do,
 * so that {@code retrans_time_ms = 250} reads back as 252, as it does on Linux.
 *
 * <p>Mirrors include/linux/jiffies.h and kernel/time/time.c: msecs_to_jiffies rounds up,
 * jiffies_to_msecs is exact for HZ dividing 1000, clock_t (USER_HZ = 100) conversions truncate.
 */
public final class Jiffies {
    public static final int USER_HZ = 100;
    private final int hz;
    private final long nanosPerJiffy;

    public Jiffies(int hz) {
        if (hz <= 0 || 1000 % hz != 0) {
            throw new IllegalArgumentException("HZ " + hz + " is not supported (expected: 100, 250, 500 or 1000)");
        }
        this.hz = hz;
        this.nanosPerJiffy = 1_000_000_000L / hz;
    }

    public int hz() {
        return hz;
    }

    public long fromNanos(long nanos) {
        return Math.floorDiv(nanos, nanosPerJiffy);
    }

    public long toNanos(long jiffies) {
        return jiffies * nanosPerJiffy;
    }

    /** msecs_to_jiffies(): rounds up. */
    public long fromMillis(long ms) {
        long msPerJiffy = 1000L / hz;
        return (ms + msPerJiffy - 1) / msPerJiffy;
    }

    /** jiffies_to_msecs() */
    public long toMillis(long jiffies) {
        return jiffies * (1000L / hz);
    }

    /** Seconds knobs (proc_dointvec_jiffies): value * HZ. */
    public long fromSeconds(long s) {
        return s * hz;
    }

    /** Reading a seconds knob: jiffies / HZ, truncated. */
    public long toSeconds(long jiffies) {
        return jiffies / hz;
    }

    /** clock_t_to_jiffies(): USER_HZ ticks to jiffies, truncated. */
    public long fromClockT(long ticks) {
        return ticks * hz / USER_HZ;
    }

    /** jiffies_to_clock_t(): truncated. */
    public long toClockT(long jiffies) {
        return jiffies * USER_HZ / hz;
    }

    /** HZ/100: the floor the kernel puts under probe intervals and timer re-arms (10 ms, in jiffies). */
    public long hundredth() {
        return Math.max(1, hz / 100);
    }
}
