package io.neighd.engine;

import io.neighd.ip.Transmitter;
import io.neighd.time.Clock;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.random.RandomGenerator;

/**
 * The one thread that owns the {@link Engine}. Live captures are read by this thread itself
 * through a {@link FrameSource} when one is attached (one wake-up per frame); other links' threads
 * hand it frames; the service hands it {@link Netlink} calls and waits on futures; between them it
 * sleeps until the next timer is due. Nothing else touches engine state — {@link Netlink} fails
 * on any other thread — so the engine needs no locks.
 *
 * <p>Readers that must not wait for the engine (metrics scrapes) read the {@link EngineSnapshot}
 * it publishes: at most one per jiffy while it works, and before it sleeps, so a published
 * snapshot is never more than a jiffy older than the engine's last change.
 */
public final class EngineLoop implements AutoCloseable {
    /** Frames waiting beyond this are dropped (and counted) rather than let memory grow. */
    public static final int MAX_PENDING_FRAMES = 65_536;
    private static final long IDLE_WAIT_NANOS = TimeUnit.MILLISECONDS.toNanos(500);
    /** Frames read per source before queued commands get their turn. */
    private static final int FRAME_BATCH = 256;

    private final Engine engine;
    private final boolean followsClock;
    private final LinkedBlockingQueue<Runnable> queue = new LinkedBlockingQueue<>();
    private final AtomicInteger pendingFrames = new AtomicInteger();
    private final AtomicLong framesDropped = new AtomicLong();
    private final Thread thread;
    private final long publishIntervalNanos;
    private volatile boolean running = true;
    private volatile FrameSource frames;
    /** True while the thread sleeps in {@link FrameSource#await}: a new task must wake it. */
    private volatile boolean awaiting;
    private volatile EngineSnapshot published;
    private long publishedAt;
    private boolean changedSincePublished;

    /**
     * @param followsClock true for live operation (sleep until timers are due on the clock); false
     *                     when the clock only moves with replayed frames
     */
    public EngineLoop(Engine engine, boolean followsClock) {
        this.engine = engine;
        this.followsClock = followsClock;
        this.publishIntervalNanos = TimeUnit.SECONDS.toNanos(1) / engine.jiffies().hz();
        this.thread = new Thread(this::loop, "neighd-engine");
        this.thread.setDaemon(true);
        this.published = engine.snapshot();
    }

    /** A new engine on {@code clock} with its loop, not yet started: the calling thread owns it until then. */
    public static EngineLoop create(Clock clock, RandomGenerator rnd, Transmitter transmitter, int hz,
                                    boolean followsClock) {
        return new EngineLoop(new Engine(clock, rnd, transmitter, hz), followsClock);
    }

    /**
     * The same with the IPv6 side's own random source and where its group memberships go.
     */
    public static EngineLoop create(Clock clock, RandomGenerator rnd, RandomGenerator rnd6, Transmitter transmitter,
                                    io.neighd.ipv6.McastFilter mcastFilter, int hz, boolean followsClock) {
        return new EngineLoop(new Engine(clock, rnd, rnd6, transmitter, hz, mcastFilter), followsClock);
    }

    /** Before {@link #start()}: frames this thread reads itself, and sleeps on. */
    public void attach(FrameSource source) {
        if (thread.isAlive()) {
            throw new IllegalStateException("attach a frame source before the engine thread starts");
        }
        this.frames = source;
    }

    /**
     * Before {@link #start()}: runs {@code f} on the calling thread, which owns the engine until the
     * loop starts (building the interfaces, applying configuration and the state file).
     */
    public <T> T beforeStart(Function<Netlink, T> f) {
        if (thread.isAlive() || !running) {
            throw new IllegalStateException("the engine thread has started: submit the call instead");
        }
        engine.handOver(Thread.currentThread());
        return f.apply(engine.netlink());
    }

    public void start() {
        engine.handOver(thread);
        thread.start();
    }

    /** Runs {@code f} on the engine thread, after the timers due by now have run. */
    public <T> CompletableFuture<T> submit(Function<Netlink, T> f) {
        CompletableFuture<T> result = new CompletableFuture<>();
        if (!enqueue(() -> {
            try {
                result.complete(f.apply(engine.netlink()));
            } catch (Throwable t) {
                result.completeExceptionally(t);
            }
        })) {
            result.completeExceptionally(new IllegalStateException("engine queue refused the command"));
        }
        return result;
    }

    public CompletableFuture<Void> execute(Consumer<Netlink> c) {
        return submit(nl -> {
            c.accept(nl);
            return null;
        });
    }

    /** From a capture thread: a live frame. Dropped (and counted) if the engine is too far behind. */
    public boolean offerFrame(RxPort port, byte[] data, int length) {
        if (pendingFrames.incrementAndGet() > MAX_PENDING_FRAMES) {
            pendingFrames.decrementAndGet();
            framesDropped.incrementAndGet();
            return false;
        }
        enqueue(() -> {
            pendingFrames.decrementAndGet();
            port.receive(data, length);
        });
        return true;
    }

    /** From a replay: a frame with the capture's timestamp; blocks rather than drop. */
    public void putReplayFrame(Runnable setClock, RxPort port, byte[] data, int length) {
        enqueue(() -> {
            setClock.run();
            engine.sync();
            port.receive(data, length);
        });
    }

    /** Queues a task and, if the thread sleeps on its frame source, wakes it. */
    private boolean enqueue(Runnable task) {
        boolean queued = queue.offer(task);
        // after the offer: the thread sets `awaiting` before it looks at the queue a last time
        if (awaiting) {
            frames.wake();
        }
        return queued;
    }

    public long framesDropped() {
        return framesDropped.get();
    }

    public int pendingFrames() {
        return pendingFrames.get();
    }

    /** The engine's counters as last published (any thread; never waits for the engine). */
    public EngineSnapshot published() {
        return published;
    }

    private void loop() {
        while (running) {
            try {
                FrameSource source = frames;
                Runnable r = source == null ? queue.poll(waitNanos(), TimeUnit.NANOSECONDS) : awaitWork(source);
                if (followsClock) {
                    engine.sync();
                }
                if (source != null) {
                    source.poll(FRAME_BATCH);
                }
                int batch = 0;
                while (r != null) {
                    r.run();
                    r = queue.poll();
                    // under a flood, keep the clock (and the timers it drives) moving
                    if (followsClock && ++batch % 256 == 0) {
                        engine.sync();
                    }
                }
                changedSincePublished = true;
                publishIfDue();
            } catch (InterruptedException e) {
                if (!running) {
                    return;
                }
            } catch (RuntimeException e) {
                // a bug in one command must not stop the engine; the command's future carries it
                System.getLogger(EngineLoop.class.getName()).log(System.Logger.Level.ERROR, "engine task failed", e);
            }
        }
    }

    private void publishIfDue() {
        long now = System.nanoTime();
        if (changedSincePublished && now - publishedAt >= publishIntervalNanos) {
            published = engine.snapshot();
            publishedAt = now;
            changedSincePublished = false;
        }
    }

    /**
     * The next queued task, if any, after sleeping on the frame source until frames or a task
     * arrive or the next timer is due. The source is level-triggered: frames left unread from the
     * last batch end the sleep at once.
     */
    private Runnable awaitWork(FrameSource source) {
        Runnable r = queue.poll();
        if (r != null) {
            return r;
        }
        awaiting = true;
        try {
            if (queue.isEmpty()) {
                source.await(waitNanos());
            }
        } finally {
            awaiting = false;
        }
        return queue.poll();
    }

    /** Until the next timer, or, with changes not yet published, no later than the next publication. */
    private long waitNanos() {
        long wait = IDLE_WAIT_NANOS;
        if (followsClock) {
            long next = engine.nextTimerNanos(engine.jiffies().hz());
            if (next >= 0) {
                wait = Math.max(0, next - engine.clock().nanos());
            }
        }
        if (changedSincePublished) {
            wait = Math.min(wait, Math.max(0, publishedAt + publishIntervalNanos - System.nanoTime()));
        }
        return wait;
    }

    @Override
    public void close() {
        running = false;
        FrameSource source = frames;
        if (source != null) {
            source.wake();
        }
        thread.interrupt();
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
