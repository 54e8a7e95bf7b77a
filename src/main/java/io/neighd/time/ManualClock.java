package io.neighd.time;

import java.time.Duration;

/** A clock that moves only when told to, for tests and for replaying captures on their own timestamps. */
public final class ManualClock implements Clock {
    private long nanos;

    public ManualClock() {
        this(0);
    }

    public ManualClock(long startNanos) {
        this.nanos = startNanos;
    }

    @Override
    public long nanos() {
        return nanos;
    }

    public void advance(Duration d) {
        if (d.isNegative()) {
            throw new IllegalArgumentException("a monotonic clock cannot go back: " + d);
        }
        nanos += d.toNanos();
    }

    public void advanceMillis(long ms) {
        advance(Duration.ofMillis(ms));
    }

    /** Moves to an absolute time; earlier times are ignored so the clock stays monotonic. */
    public void set(long newNanos) {
        if (newNanos > nanos) {
            nanos = newNanos;
        }
    }
}
