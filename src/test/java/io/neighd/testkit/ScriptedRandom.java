package io.neighd.testkit;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.random.RandomGenerator;

/**
 * A random source for tests: bounded draws return the midpoint of their range unless a value was
 * queued with {@link #next}, so reachable_time is exactly base_reachable_time and a proxy delay is
 * whatever the test says.
 */
public final class ScriptedRandom implements RandomGenerator {
    private final Deque<Long> queued = new ArrayDeque<>();
    private long lastBound = -1;

    /** Queues the result of the next bounded draw (it must be below that draw's bound). */
    public ScriptedRandom next(long value) {
        queued.addLast(value);
        return this;
    }

    @Override
    public long nextLong() {
        return 0x5DEECE66DL;
    }

    /** The bound of the last bounded draw (-1 before any): what the engine drew below. */
    public long lastBound() {
        return lastBound;
    }

    @Override
    public long nextLong(long bound) {
        lastBound = bound;
        Long q = queued.pollFirst();
        long v = q != null ? q : bound / 2;
        if (v < 0 || v >= bound) {
            throw new IllegalStateException("scripted value " + v + " is outside [0, " + bound + ")");
        }
        return v;
    }

    @Override
    public int nextInt(int bound) {
        return (int) nextLong(bound);
    }
}
