package io.neighd.time;

/** The monotonic system clock, for production. */
public final class SystemClock implements Clock {
    @Override
    public long nanos() {
        return System.nanoTime();
    }
}
