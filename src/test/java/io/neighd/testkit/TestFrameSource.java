package io.neighd.testkit;

import io.neighd.engine.Engine;
import io.neighd.engine.FrameSource;
import io.neighd.ip.NetDevice;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * A frame source for the engine loop's tests: frames queued by the test are handed to the engine
 * on {@code dev} when polled; {@link #await} sleeps until woken (or {@code maxWait} at the most,
 * whatever the loop asks), and {@link #throwNext} makes the next poll fail as a broken capture
 * would.
 */
public final class TestFrameSource implements FrameSource {
    public final Queue<byte[]> frames = new ConcurrentLinkedQueue<>();
    private final Semaphore wakes = new Semaphore(0);
    private final Engine engine;
    private final NetDevice dev;
    private final long maxWaitMillis;
    /** The thread that polled last: the engine's. */
    public volatile Thread poller;
    /** Thrown by the next poll, then cleared. */
    public volatile Throwable throwNext;

    /**
     * @param maxWaitMillis the longest an await sleeps; 0: as long as the loop asks
     */
    public TestFrameSource(Engine engine, NetDevice dev, long maxWaitMillis) {
        this.engine = engine;
        this.dev = dev;
        this.maxWaitMillis = maxWaitMillis;
    }

    @Override
    public void await(long nanos) {
        if (!frames.isEmpty()) {
            return;
        }
        long ms = maxWaitMillis > 0 ? maxWaitMillis : Math.max(1, TimeUnit.NANOSECONDS.toMillis(nanos));
        try {
            wakes.tryAcquire(ms, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        wakes.drainPermits();
    }

    @Override
    public void wake() {
        wakes.release();
    }

    @Override
    public int poll(int max) {
        poller = Thread.currentThread();
        Throwable t = throwNext;
        if (t != null) {
            throwNext = null;
            if (t instanceof Error e) {
                throw e;
            }
            throw (RuntimeException) t;
        }
        int n = 0;
        byte[] f;
        while (n < max && (f = frames.poll()) != null) {
            engine.receive(dev, f, f.length);
            n++;
        }
        return n;
    }
}
