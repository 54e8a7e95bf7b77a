package io.neighd.engine;

import io.neighd.ip.NetDevice;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The one thread that owns the {@link Engine}. Live captures are read by this thread itself
 * through a {@link FrameSource} when one is attached (one wake-up per frame); other links' threads
 * hand it frames; the REST layer hands it commands and waits on futures; between them it sleeps
 * until the next timer is due — or, busy-polling, does not sleep at all but spins on the source,
 * so that no wake-up stands between a frame's arrival and its answer. Each turn ends by flushing
 * the source, which sends the turn's frames together. Nothing else ever touches engine state, so
 * the engine needs no locks.
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
    private volatile boolean running = true;
    private volatile FrameSource frames;
    private volatile boolean busyPoll;
    /** True while the thread sleeps in {@link FrameSource#await}: a new task must wake it. */
    private volatile boolean awaiting;

    /**
     * @param followsClock true for live operation (sleep until timers are due on the clock); false
     *                     when the clock only moves with replayed frames
     */
    public EngineLoop(Engine engine, boolean followsClock) {
        this.engine = engine;
        this.followsClock = followsClock;
        this.thread = new Thread(this::loop, "neighd-engine");
        this.thread.setDaemon(true);
    }

    /** Before {@link #start()}: frames this thread reads itself, and sleeps on. */
    public void attach(FrameSource source) {
        attach(source, false);
    }

    /**
     * Before {@link #start()}: frames this thread reads itself.
     *
     * @param busyPoll spin on {@code source} instead of sleeping on it: a frame is read as soon as
     *                 it arrives, and the thread keeps a core busy all the time
     */
    public void attach(FrameSource source, boolean busyPoll) {
        if (thread.isAlive()) {
            throw new IllegalStateException("attach a frame source before the engine thread starts");
        }
        this.frames = source;
        this.busyPoll = busyPoll;
    }

    public void start() {
        thread.start();
    }

    public Engine engineForSameThreadUse() {
        if (Thread.currentThread() != thread) {
            throw new IllegalStateException("engine state is owned by the neighd-engine thread");
        }
        return engine;
    }

    public boolean isEngineThread() {
        return Thread.currentThread() == thread;
    }

    /** Runs {@code f} on the engine thread, after the timers due by now have run. */
    public <T> CompletableFuture<T> submit(Function<Engine, T> f) {
        CompletableFuture<T> result = new CompletableFuture<>();
        if (!enqueue(() -> {
            try {
                result.complete(f.apply(engine));
            } catch (Throwable t) {
                result.completeExceptionally(t);
            }
        })) {
            result.completeExceptionally(new IllegalStateException("engine queue refused the command"));
        }
        return result;
    }

    public CompletableFuture<Void> execute(Consumer<Engine> c) {
        return submit(e -> {
            c.accept(e);
            return null;
        });
    }

    /** From a capture thread: a live frame. Dropped (and counted) if the engine is too far behind. */
    public boolean offerFrame(NetDevice dev, byte[] data, int length) {
        if (pendingFrames.incrementAndGet() > MAX_PENDING_FRAMES) {
            pendingFrames.decrementAndGet();
            framesDropped.incrementAndGet();
            return false;
        }
        enqueue(() -> {
            pendingFrames.decrementAndGet();
            engine.receive(dev, data, length);
        });
        return true;
    }

    /** From a replay: a frame with the capture's timestamp; blocks rather than drop. */
    public void putReplayFrame(Runnable setClock, NetDevice dev, byte[] data, int length) {
        enqueue(() -> {
            setClock.run();
            engine.sync();
            engine.receive(dev, data, length);
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

    private void loop() {
        while (running) {
            try {
                FrameSource source = frames;
                boolean spin = busyPoll && source != null;
                Runnable r = source == null ? queue.poll(waitNanos(), TimeUnit.NANOSECONDS)
                        : spin ? queue.poll() : awaitWork(source);
                if (followsClock) {
                    engine.sync();
                }
                int read = source != null ? source.poll(FRAME_BATCH) : 0;
                boolean idle = read == 0 && r == null;
                int batch = 0;
                while (r != null) {
                    r.run();
                    r = queue.poll();
                    // under a flood, keep the clock (and the timers it drives) moving
                    if (followsClock && ++batch % 256 == 0) {
                        engine.sync();
                    }
                }
                if (source != null) {
                    source.flush();
                }
                if (spin && idle) {
                    Thread.onSpinWait();
                }
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

    private long waitNanos() {
        if (!followsClock) {
            return IDLE_WAIT_NANOS;
        }
        long next = engine.nextTimerNanos(engine.jiffies().hz());
        if (next < 0) {
            return IDLE_WAIT_NANOS;
        }
        return Math.max(0, next - engine.clock().nanos());
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
