package io.neighd.cluster;

import io.neighd.time.Clock;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The thread that owns a {@link Cluster}: runs store answers and API commands it is handed, and
 * otherwise sleeps until the cluster next has something to do.
 */
public final class ClusterThread implements Executor, AutoCloseable {
    private final LinkedBlockingQueue<Runnable> queue = new LinkedBlockingQueue<>();
    private final Clock clock;
    private final Thread thread;
    private volatile Cluster cluster;
    private volatile boolean running = true;

    public ClusterThread(Clock clock) {
        this.clock = clock;
        this.thread = new Thread(this::loop, "neighd-cluster");
        this.thread.setDaemon(true);
    }

    public void start(Cluster c) {
        this.cluster = c;
        thread.start();
    }

    @Override
    public void execute(Runnable r) {
        queue.offer(r);
    }

    /** Runs {@code f} on the cluster thread and waits for it. */
    public <T> T call(Function<Cluster, T> f, Duration timeout) {
        if (!running) {
            throw new IllegalStateException("the cluster thread has stopped");
        }
        CompletableFuture<T> result = new CompletableFuture<>();
        execute(() -> {
            try {
                result.complete(f.apply(cluster));
            } catch (Throwable t) {
                result.completeExceptionally(t);
            }
        });
        try {
            return result.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException(e.getCause());
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("the cluster thread did not answer within " + timeout.toMillis() + " ms");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the cluster thread");
        }
    }

    private void loop() {
        long next = clock.nanos();
        while (running) {
            try {
                Runnable r = queue.poll(Math.max(0, next - clock.nanos()), TimeUnit.NANOSECONDS);
                while (r != null) {
                    r.run();
                    r = queue.poll();
                }
                next = cluster.tick();
            } catch (InterruptedException e) {
                if (!running) {
                    return;
                }
            } catch (RuntimeException e) {
                System.getLogger(ClusterThread.class.getName()).log(System.Logger.Level.ERROR, "cluster task failed", e);
                next = clock.nanos() + TimeUnit.MILLISECONDS.toNanos(50);
            }
        }
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
        try {
            thread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
