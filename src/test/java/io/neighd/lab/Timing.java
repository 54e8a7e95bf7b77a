package io.neighd.lab;

/**
 * The time bounds the live and differential tests allow, derived instead of guessed: the
 * kernel's timer arithmetic at HZ 250 plus a measured reaction baseline (docs/conformance.md,
 * "Timing", has the derivation and the measurement).
 *
 * <p>kernel/time/timer.c files a timer whose expiry is {@code delta} jiffies away in level
 * {@code n} of the wheel, the first whose {@code LVL_START(n + 1)} exceeds delta, where
 * {@code LVL_START(n) = (LVL_SIZE - 1) << ((n - 1) * LVL_CLK_SHIFT)} with LVL_SIZE 64 and
 * LVL_CLK_SHIFT 3: level 0 below 63 jiffies, level 1 below 504, level 2 below 4032, level 3 below
 * 32256. calc_index() rounds the expiry up to the next multiple of {@code LVL_GRAN(n) = 1 << (n
 * * LVL_CLK_SHIFT)}: 1, 8, 64, 512 jiffies. So Linux fires a timer between 1 and LVL_GRAN(n)
 * jiffies after its expiry; neighd fires every timer 1 jiffy after it (level 0's rounding). Each
 * side also reads its own jiffies, whose ticks are not in phase with the other's: one jiffy more
 * either way per timer. A frame that follows a chain of timers may therefore be
 * {@code sum of LVL_GRAN(level(d_i))} jiffies apart on the two sides, on top of the reaction
 * baseline.
 */
public final class Timing {
    public static final int HZ = 250;
    public static final long JIFFY_MS = 1000 / HZ;
    private static final int LVL_CLK_SHIFT = 3;
    private static final int LVL_SIZE = 64;
    private static final int LVL_DEPTH = 9;

    /**
     * How much later than the stimulus (or the timer) a side may put the same frame on the wire
     * when no timer of the wheel's upper levels is involved: neighd's path from libpcap to the
     * engine thread and back out, and the kernel's softirq, both on a loaded 2-core machine. The
     * figure is the measured maximum difference between the sides over every frame that follows
     * no timer (docs/conformance.md, "Timing"), with room to spare for a JIT or GC pause.
     */
    public static final long REACTION_MS = 40;

    private Timing() {
    }

    /** msecs_to_jiffies() at HZ 250: rounded up. */
    public static long jiffies(long ms) {
        return (ms + JIFFY_MS - 1) / JIFFY_MS;
    }

    /** LVL_START(n): the smallest delta that level n holds (n >= 1). */
    static long lvlStart(int n) {
        return (long) (LVL_SIZE - 1) << ((n - 1) * LVL_CLK_SHIFT);
    }

    /** LVL_GRAN(n) in jiffies. */
    static long lvlGran(int n) {
        return 1L << (n * LVL_CLK_SHIFT);
    }

    /** The wheel level a timer {@code delta} jiffies away goes to (calc_wheel_index()). */
    public static int level(long deltaJiffies) {
        for (int n = 1; n < LVL_DEPTH; n++) {
            if (deltaJiffies < lvlStart(n)) {
                return n - 1;
            }
        }
        return LVL_DEPTH - 1;
    }

    /**
     * How far apart the two sides may fire a timer of {@code ms}: Linux up to LVL_GRAN jiffies
     * after expiry, neighd 1 jiffy after, and a jiffy of phase between the two clocks.
     */
    public static long wheelBoundMs(long ms) {
        return lvlGran(level(jiffies(ms))) * JIFFY_MS;
    }

    /** The slack for a frame that follows the timers {@code chainMs}: the reaction baseline plus each timer's bound. */
    public static long slackMs(long... chainMs) {
        long s = REACTION_MS;
        for (long t : chainMs) {
            s += wheelBoundMs(t);
        }
        return s;
    }

    /**
     * neighd alone (a live test): a timer of {@code ms} fires 1 jiffy after it expires, read on a
     * clock that may be a jiffy off the capture's, so the frame it sends is seen between {@code
     * ms} and {@code ms} + 2 jiffies + the reaction baseline after the frame that armed it.
     */
    public static long neighdLatestMs(long ms) {
        return jiffies(ms) * JIFFY_MS + 2 * JIFFY_MS + REACTION_MS;
    }
}
