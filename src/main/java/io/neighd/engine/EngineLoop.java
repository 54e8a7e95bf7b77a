package io.neighd.engine;

import io.neighd.ip.Transmitter;
import io.neighd.time.Clock;

import java.util.ArrayDeque;
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
 * sleeps until the next timer is due — or, busy-polling, does not sleep at all but spins on the
 * source, so that no wake-up stands between a frame's arrival and its answer. Each turn ends by
 * flushing the source, which sends the turn's frames together. Nothing else touches engine state
 * — {@link Netlink} fails on any other thread — so the engine needs no locks.
 *
 * <p>Readers that must not wait for the engine (metrics scrapes) read the {@link EngineSnapshot}
 * it publishes: at most one per jiffy while it works, and before it sleeps, so a published
 * snapshot is never more than a jiffy older than the engine's last change.
 *
 * <p>Faults are contained to the unit of work they happen in: a frame, a timer, a queued task or
 * the frame source that throws is counted in {@link EngineFaults} and the loop goes on with the
 * rest, so no command or timer is lost to another's failure. An {@link Error} ends the thread
 * (the JVM's state can no longer be trusted): the commands still queued are answered with it at
 * once, and {@link #liveness()} reports the thread dead, as it reports a loop that stopped
 * beating, so that the pod's liveness probe fails and the kubelet restarts neighd.
 */
public final class EngineLoop implements AutoCloseable {
    /** Frames waiting beyond this are dropped (and counted) rather than let memory grow. */
    public static final int MAX_PENDING_FRAMES = 65_536;
    private static final long IDLE_WAIT_NANOS = TimeUnit.MILLISECONDS.toNanos(500);
    /** Frames read per source before queued commands get their turn. */
    private static final int FRAME_BATCH = 256;

    private final Engine engine;
    private final boolean followsClock;
    private final LinkedBlockingQueue<Work> queue = new LinkedBlockingQueue<>();
    /**
     * Work the engine thread queued itself (a long job's next part): it runs in the next turn,
     * after that turn's frames, so that a job cut into parts never holds the responder for more
     * than one part. Engine thread only.
     */
    private final ArrayDeque<Work> nextTurn = new ArrayDeque<>();
    private final AtomicInteger pendingFrames = new AtomicInteger();
    private final AtomicLong framesDropped = new AtomicLong();
    private final Thread thread;
    private final long publishIntervalNanos;
    private volatile boolean running = true;
    private volatile FrameSource frames;
    private volatile boolean busyPoll;
    /** True while the thread sleeps in {@link FrameSource#await}: a new task must wake it. */
    private volatile boolean awaiting;
    private volatile EngineSnapshot published;
    private long publishedAt;
    private boolean changedSincePublished;
    /** System.nanoTime() when the loop last went round (or finished a slice of a long drain). */
    private volatile long heartbeat;
    /** What ended the thread other than {@link #close()}, or null. */
    private volatile Throwable death;

    /** A unit of queued work: run on the engine thread, or told why it never will be. */
    private interface Work {
        void run();

        /** The engine thread is gone (closed or dead): the work will not run. */
        default void abandon(Throwable why) {
        }
    }

    /** How the loop is, for the liveness probe. */
    public enum State { NOT_STARTED, RUNNING, STOPPED, DEAD }

    /**
     * The loop's state now, and how long ago it last went round ({@code sinceHeartbeatNanos}):
     * a loop alive but not beating for seconds is stuck in one unit of work.
     */
    public record Liveness(State state, long sinceHeartbeatNanos, Throwable death) {
    }

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

    /**
     * Runs {@code f} on the engine thread, after the timers due by now have run. The future
     * completes with what {@code f} returns or throws, or, if the engine thread is gone or goes
     * before {@code f} ran, at once with why. {@link CompletableFuture#cancel Cancelling} it
     * succeeds only while {@code f} has not started, and then {@code f} never runs; a call the
     * engine has started always runs to its end, so that whoever gave up waiting can be told
     * truthfully whether anything changed.
     */
    public <T> CompletableFuture<T> submit(Function<Netlink, T> f) {
        Call<T> call = new Call<>(f);
        enqueue(call);
        return call;
    }

    /** A queued {@link Netlink} call: taken by the engine thread, or cancelled, exactly once. */
    private final class Call<T> extends CompletableFuture<T> implements Work {
        private static final int QUEUED = 0;
        private static final int STARTED = 1;
        private static final int CANCELLED = 2;
        private final Function<Netlink, T> f;
        private final AtomicInteger state = new AtomicInteger(QUEUED);

        Call(Function<Netlink, T> f) {
            this.f = f;
        }

        @Override
        public void run() {
            if (!state.compareAndSet(QUEUED, STARTED)) {
                return;
            }
            T value;
            try {
                value = f.apply(engine.netlink());
            } catch (Throwable t) {
                completeExceptionally(t);
                if (t instanceof Error e) {
                    throw e;
                }
                return;
            }
            complete(value);
        }

        @Override
        public boolean cancel(boolean mayInterruptIfRunning) {
            return state.compareAndSet(QUEUED, CANCELLED) && super.cancel(false);
        }

        @Override
        public void abandon(Throwable why) {
            if (state.compareAndSet(QUEUED, CANCELLED)) {
                completeExceptionally(why);
            }
        }
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
        enqueue(new Work() {
            @Override
            public void run() {
                pendingFrames.decrementAndGet();
                port.receive(data, length);
            }

            @Override
            public void abandon(Throwable why) {
                pendingFrames.decrementAndGet();
            }
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

    /**
     * Queues work and, if the thread sleeps on its frame source, wakes it; work that comes after
     * the thread is gone is abandoned at once rather than left to wait for nobody.
     */
    private void enqueue(Work w) {
        if (Thread.currentThread() == thread) {
            nextTurn.add(w);
            return;
        }
        queue.offer(w);
        // after the offer: the thread sets `awaiting` before it looks at the queue a last time
        if (awaiting) {
            frames.wake();
        }
        Throwable gone = gone();
        if (gone != null) {
            abandonQueued(gone);
        }
    }

    /** Why no queued work will run any more, or null while the thread runs (or is yet to start). */
    private Throwable gone() {
        if (death != null) {
            return new IllegalStateException("the engine thread died: " + death, death);
        }
        if (!running) {
            return new IllegalStateException("the engine is stopped");
        }
        return null;
    }

    private void abandonQueued(Throwable why) {
        Work w;
        while ((w = queue.poll()) != null) {
            w.abandon(why);
        }
    }

    public long framesDropped() {
        return framesDropped.get();
    }

    public int pendingFrames() {
        return pendingFrames.get();
    }

    /** The failures the engine survived, by where (any thread). */
    public EngineFaults faults() {
        return engine.faults();
    }

    /** The loop's state and heartbeat (any thread), for the liveness probe. */
    public Liveness liveness() {
        State state;
        if (death != null) {
            state = State.DEAD;
        } else if (!running) {
            state = State.STOPPED;
        } else if (!thread.isAlive()) {
            state = heartbeat == 0 ? State.NOT_STARTED : State.DEAD;
        } else {
            state = State.RUNNING;
        }
        long beat = heartbeat;
        return new Liveness(state, beat == 0 ? 0 : System.nanoTime() - beat, death);
    }

    /** The engine's counters as last published (any thread; never waits for the engine). */
    public EngineSnapshot published() {
        return published;
    }

    private void loop() {
        try {
            while (running) {
                heartbeat = System.nanoTime();
                FrameSource source = frames;
                boolean spin = busyPoll && source != null;
                Work w;
                try {
                    w = source == null ? queue.poll(waitNanos(), TimeUnit.NANOSECONDS)
                            : spin ? queue.poll() : awaitWork(source);
                } catch (InterruptedException e) {
                    continue;
                }
                if (followsClock) {
                    sync();
                }
                boolean idle = pollFrames() == 0 && w == null && nextTurn.isEmpty();
                runCarried();
                int batch = 0;
                while (w != null) {
                    runWork(w);
                    w = queue.poll();
                    // under a flood, keep the clock (and the timers it drives) and the heartbeat moving
                    if (++batch % 256 == 0) {
                        heartbeat = System.nanoTime();
                        if (followsClock) {
                            sync();
                        }
                    }
                }
                flushFrames();
                changedSincePublished = true;
                publishIfDue();
                if (spin && idle) {
                    Thread.onSpinWait();
                }
            }
        } catch (Throwable t) {
            death = t;
            System.getLogger(EngineLoop.class.getName()).log(System.Logger.Level.ERROR,
                    "the engine thread died; liveness is DOWN until neighd restarts", t);
        } finally {
            Throwable gone = gone();
            Throwable why = gone != null ? gone : new IllegalStateException("the engine is stopped");
            Work w;
            while ((w = nextTurn.poll()) != null) {
                w.abandon(why);
            }
            abandonQueued(why);
        }
    }

    /** Engine.sync(): timer handlers are isolated in the wheel; this catches what is left (none is expected). */
    private void sync() {
        try {
            engine.sync();
        } catch (RuntimeException e) {
            engine.faults().failed(EngineFaults.Where.TIMER, "running the timers due", e);
        }
    }

    /** One batch from the frame source; its failure costs that batch, not the work in hand. */
    private int pollFrames() {
        FrameSource source = frames;
        if (source == null) {
            return 0;
        }
        try {
            return source.poll(FRAME_BATCH);
        } catch (RuntimeException e) {
            engine.faults().failed(EngineFaults.Where.FRAME_SOURCE, "reading the captures", e);
            return 0;
        }
    }

    /** The turn's sends leave together; a failure costs them, not the loop. */
    private void flushFrames() {
        FrameSource source = frames;
        if (source == null) {
            return;
        }
        try {
            source.flush();
        } catch (RuntimeException e) {
            engine.faults().failed(EngineFaults.Where.FRAME_SOURCE, "sending the turn's frames", e);
        }
    }

    /** What the engine thread queued for itself during the last turn (not what it queues now). */
    private void runCarried() {
        for (int n = nextTurn.size(); n > 0; n--) {
            runWork(nextTurn.poll());
        }
    }

    /** Commands answer their own exceptions; anything else a queued task throws is counted here. */
    private void runWork(Work w) {
        try {
            w.run();
        } catch (RuntimeException e) {
            engine.faults().failed(EngineFaults.Where.COMMAND, "a queued task", e);
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
    private Work awaitWork(FrameSource source) {
        Work r = queue.poll();
        if (r != null || !nextTurn.isEmpty()) {
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
        if (!nextTurn.isEmpty()) {
            return 0;
        }
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
