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

    // ------------------------------------------------------------------ the kernel's unsigned conversions

    /**
     * clock_t_to_jiffies() (kernel/time/time.c) on an unsigned long {@code x}: saturates at ~0UL
     * near the top of the range (which is where a negative value written to a USER_HZ knob lands),
     * and below that multiplies in 64 bits, wrapping as the kernel's u64 arithmetic does.
     *
     * @return the result's 64 bits (an unsigned long)
     */
    public long clockTToJiffies(long x) {
        if (hz % USER_HZ == 0) {
            long f = hz / USER_HZ;
            if (Long.compareUnsigned(x, Long.divideUnsigned(-1L, f)) >= 0) {
                return -1L;
            }
            return x * f;
        }
        if (Long.compareUnsigned(x, Long.divideUnsigned(-1L, hz) * USER_HZ) >= 0) {
            return -1L;
        }
        return Long.divideUnsigned(x * hz, USER_HZ);
    }

    /**
     * jiffies_to_clock_t() on an unsigned long: {@code x * TICK_NSEC / (NSEC_PER_SEC / USER_HZ)} in
     * 64 bits, which for HZ dividing 1000 is {@code x * USER_HZ / HZ} unless the product wraps.
     */
    public long jiffiesToClockT(long x) {
        long tickNsec = 1_000_000_000L / hz;
        long nsecPerClockT = 1_000_000_000L / USER_HZ;
        if (tickNsec % nsecPerClockT == 0) {
            return Long.divideUnsigned(x, hz / USER_HZ);
        }
        return Long.divideUnsigned(x * tickNsec, nsecPerClockT);
    }

    /**
     * msecs_to_jiffies() on an unsigned int {@code m}: a value with the top bit set ("negative")
     * means "infinite", MAX_JIFFY_OFFSET (which no int knob can hold); otherwise rounds up.
     */
    public long msecsToJiffies(int m) {
        if (m < 0) {
            return MAX_JIFFY_OFFSET;
        }
        long msPerJiffy = 1000L / hz;
        return (m + msPerJiffy - 1) / msPerJiffy;
    }

    /** jiffies_to_msecs(): an unsigned int, so the product wraps at 2^32. */
    public long jiffiesToMsecs(long j) {
        return (j * (1000L / hz)) & 0xFFFF_FFFFL;
    }

    /** ((LONG_MAX >> 1) - 1) in include/linux/jiffies.h. */
    public static final long MAX_JIFFY_OFFSET = (Long.MAX_VALUE >> 1) - 1;

    /** HZ/100: the floor the kernel puts under probe intervals and timer re-arms (10 ms, in jiffies). */
    public long hundredth() {
        return Math.max(1, hz / 100);
    }
}
