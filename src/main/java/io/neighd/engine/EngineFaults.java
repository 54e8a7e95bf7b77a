package io.neighd.engine;

import java.util.Locale;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.LongSupplier;

/**
 * The failures the engine survived: a frame, a timer, a command, a listener, a transmission or
 * the frame source threw an exception, which neighd caught at the edge of that one unit of work
 * so that nothing else was lost with it. Each is counted by where it happened ({@code
 * neighd_engine_failures_total{where}}, read from any thread) and logged: the first of each kind
 * with its stack trace, then at most one line a minute per kind with how many came since, so a
 * frame that makes neighd throw cannot flood the log.
 *
 * <p>Linux has no twin for this: its bugs oops. neighd counts them instead, and a failure
 * counted here is a defect to report.
 */
public final class EngineFaults {
    /** Where a failure was caught: one unit of work each. */
    public enum Where {
        /** A received frame (Engine.receive): the frame is dropped with {@code engine_failure}. */
        FRAME,
        /** The frame source (reading the captures), between frames. */
        FRAME_SOURCE,
        /** A timer handler (neigh_timer_handler, GC, proxy, managed work, a ping). */
        TIMER,
        /** A command submitted to the engine thread (its caller gets the exception). */
        COMMAND,
        /** An {@link EngineListener} (event subscribers, metrics). */
        LISTENER,
        /** Handing a frame to a link (dev_queue_xmit): the frame is lost, as a dropped transmit is. */
        TRANSMIT;

        /** The metric label. */
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Where failures are written; tests record them. */
    public interface Log {
        void failure(String message, Throwable first);
    }

    static final long LOG_INTERVAL_NANOS = 60_000_000_000L;

    private static final Log SYSTEM_LOG = (message, first) -> System.getLogger(EngineFaults.class.getName())
            .log(System.Logger.Level.ERROR, message, first);

    private final AtomicLongArray counts = new AtomicLongArray(Where.values().length);
    private final long[] loggedAt = new long[Where.values().length];
    private final long[] countAtLog = new long[Where.values().length];
    private final LongSupplier nanos;
    private volatile Log log = SYSTEM_LOG;

    /** @param nanos the time the log's rate limit runs on */
    EngineFaults(LongSupplier nanos) {
        this.nanos = nanos;
    }

    /** Sends the log lines to {@code log} instead of the system logger. */
    public void logTo(Log log) {
        this.log = log;
    }

    /** Failures caught at {@code where} so far (any thread). */
    public long count(Where where) {
        return counts.get(where.ordinal());
    }

    /** Failures caught anywhere so far. */
    public long total() {
        long n = 0;
        for (Where w : Where.values()) {
            n += count(w);
        }
        return n;
    }

    /** Counts a failure and logs it, rate-limited per {@code where}. */
    void failed(Where where, String what, Throwable e) {
        int i = where.ordinal();
        long n = counts.incrementAndGet(i);
        long now = nanos.getAsLong();
        synchronized (this) {
            if (n == 1) {
                loggedAt[i] = now;
                countAtLog[i] = n;
                log.failure("neighd survived a failure in " + where.label() + " (" + what + "): " + e
                        + "; counted in neighd_engine_failures_total{where=\"" + where.label()
                        + "\"}, further ones logged at most once a minute", e);
            } else if (now - loggedAt[i] >= LOG_INTERVAL_NANOS) {
                long since = n - countAtLog[i];
                loggedAt[i] = now;
                countAtLog[i] = n;
                log.failure("neighd survived " + since + " more failure(s) in " + where.label() + "; the latest ("
                        + what + "): " + e, null);
            }
        }
    }
}
