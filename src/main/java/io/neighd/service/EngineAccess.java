package io.neighd.service;

import io.neighd.engine.Netlink;
import io.neighd.engine.Views;
import io.neighd.errno.Result;
import io.neighd.neighbour.NeighSnapshot;
import io.neighd.neighbour.NudState;
import io.neighd.service.ServiceException.Kind;
import org.springframework.beans.factory.DisposableBean;
import io.neighd.wire.IpAddress;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * The one way the service layer reaches the engine: every call runs on the engine thread and is
 * awaited with a timeout. A call the engine has not started when the caller stops waiting is
 * cancelled: it never runs, and the caller is told nothing changed. An administrative write the
 * engine has started is applied and then saved in the state file by {@link StateSaver}, whether
 * or not anyone still waits for it; its caller is answered once it is saved, so a caller that got
 * an answer knows the change survives a restart, and the file sees writes in the engine's order.
 * What a write costs the engine thread for the state file is what changed: the entries it wrote
 * are in its own result, and entries that left the table otherwise are collected as they leave
 * ({@link AdminDepartures}).
 */
@Component
public final class EngineAccess implements DisposableBean {
    /** How long a request waits for the engine thread to take its call before answering 503. */
    public static final Duration ENGINE_TIMEOUT = Duration.ofSeconds(5);

    private final EngineRuntime service;
    private final StateSaver saver;
    private final AdminDepartures departures = new AdminDepartures();
    /**
     * Ends the waits that hold no thread (a call the engine has not taken, a resolve, a ping):
     * one daemon thread, whose tasks only complete futures.
     */
    private final ScheduledThreadPoolExecutor timers;

    public EngineAccess(EngineRuntime service) {
        this.service = service;
        this.saver = new StateSaver(service.state());
        this.timers = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "neighd-waits");
            t.setDaemon(true);
            return t;
        });
        this.timers.setRemoveOnCancelPolicy(true);
        // queued until the engine thread starts, before any write can be
        service.loop().execute(departures::attach);
    }

    public EngineRuntime service() {
        return service;
    }

    /** The jiffy rate snapshots count ages in: seconds = ago / hz, as {@code ip -s neigh} prints them. */
    public int hz() {
        return service.properties().hz();
    }

    /** Runs {@code f} on the engine thread and returns its result; not run at all if the engine does not take it in time. */
    public <T> T call(Function<Netlink, T> f) {
        CompletableFuture<T> r = service.loop().submit(f);
        try {
            return await(r, ENGINE_TIMEOUT);
        } catch (ServiceException e) {
            r.cancel(false);
            throw e;
        }
    }

    /**
     * As {@link #call}, holding no thread while it waits: the future completes with what {@code f}
     * returns or throws, or, if the engine does not take the call within {@link #ENGINE_TIMEOUT},
     * fails with {@link Kind#ENGINE_UNAVAILABLE} and {@code f} never runs. What depends on it may
     * run on the engine thread: keep it short and never block in it.
     */
    public <T> CompletableFuture<T> callAsync(Function<Netlink, T> f) {
        CompletableFuture<T> r = service.loop().submit(f);
        CompletableFuture<T> out = new CompletableFuture<>();
        ScheduledFuture<?> timeout = timers.schedule(() -> r.cancel(false), ENGINE_TIMEOUT.toMillis(),
                TimeUnit.MILLISECONDS);
        r.whenComplete((v, t) -> {
            timeout.cancel(false);
            if (t == null) {
                out.complete(v);
            } else if (t instanceof CancellationException) {
                out.completeExceptionally(new ServiceException(Kind.ENGINE_UNAVAILABLE, "the engine did not answer "
                        + "within " + ENGINE_TIMEOUT.toMillis() + " ms"));
            } else {
                out.completeExceptionally(t instanceof CompletionException && t.getCause() != null ? t.getCause() : t);
            }
        });
        return out;
    }

    /**
     * {@code f}'s value, or empty once {@code timeout} has passed without one; holds no thread.
     * {@code f} itself is left as it is (whoever completes it later finds nobody waiting).
     */
    public <T> CompletableFuture<Optional<T>> within(CompletableFuture<T> f, Duration timeout) {
        CompletableFuture<Optional<T>> out = new CompletableFuture<>();
        ScheduledFuture<?> timer = timers.schedule(() -> out.complete(Optional.empty()), timeout.toMillis(),
                TimeUnit.MILLISECONDS);
        f.whenComplete((v, t) -> {
            timer.cancel(false);
            if (t == null) {
                out.complete(Optional.ofNullable(v));
            } else {
                out.completeExceptionally(t);
            }
        });
        return out;
    }

    /**
     * An administrative write: {@code op} runs on the engine thread; then {@code persist} turns
     * its result into the state file's next content, which is written before this returns. Entries
     * and proxies the file holds that left the table meanwhile are dropped from it (an interface
     * losing its last address takes its PERMANENT entries with it, as in Linux).
     *
     * @throws ServiceException {@link Kind#ENGINE_UNAVAILABLE} if the engine did not take the write
     *                          within {@link #ENGINE_TIMEOUT}: it never will, nothing changed
     */
    public <T> T write(Function<Netlink, T> op, BiFunction<T, StateStore.State, StateStore.State> persist) {
        CompletableFuture<Void> saved = new CompletableFuture<>();
        CompletableFuture<T> applied = service.loop().submit(nl -> {
            T result = op.apply(nl);
            handOver(nl, result, persist, saved);
            return result;
        });
        T result = awaitApplied(applied);
        awaitSaved(saved);
        return result;
    }

    /**
     * A write too large for one engine task (a batch): each of {@code chunks} runs as its own
     * task, in order, one per turn of the engine loop, so the engine serves frames and timers
     * between them; each chunk's result goes to the state file as it is applied ({@code persist}),
     * in the engine's order among other writes. If a chunk fails, the chunks after it do not run,
     * and what the chunks before it applied is saved before the failure is thrown. Only the
     * first chunk can be cancelled (the engine did not take it in time): once it ran, the batch
     * goes on to its end whoever waits.
     */
    public <T> List<T> writeChunked(List<Function<Netlink, T>> chunks,
                                    BiFunction<T, StateStore.State, StateStore.State> persist) {
        if (chunks.isEmpty()) {
            return List.of();
        }
        Chunked<T> batch = new Chunked<>(chunks, persist);
        CompletableFuture<Void> first = service.loop().submit(batch::step);
        awaitApplied(first);
        List<T> results;
        try {
            results = batch.done.join();
        } catch (CompletionException e) {
            if (batch.lastSaved != null) {
                try {
                    awaitSaved(batch.lastSaved);
                } catch (RuntimeException notSaved) {
                    e.getCause().addSuppressed(notSaved);
                }
            }
            throw unwrap(e.getCause());
        }
        awaitSaved(batch.lastSaved);
        return results;
    }

    /** The chunks of one batch, each handing over the next on the engine thread. */
    private final class Chunked<T> {
        private final List<Function<Netlink, T>> chunks;
        private final BiFunction<T, StateStore.State, StateStore.State> persist;
        private final List<T> results = new ArrayList<>();
        private final CompletableFuture<List<T>> done = new CompletableFuture<>();
        /** Written on the engine thread before {@link #done} completes, read after. */
        private CompletableFuture<Void> lastSaved;

        Chunked(List<Function<Netlink, T>> chunks, BiFunction<T, StateStore.State, StateStore.State> persist) {
            this.chunks = chunks;
            this.persist = persist;
        }

        Void step(Netlink nl) {
            T result;
            try {
                result = chunks.get(results.size()).apply(nl);
            } catch (RuntimeException e) {
                done.completeExceptionally(e);
                return null;
            }
            CompletableFuture<Void> saved = new CompletableFuture<>();
            handOver(nl, result, persist, saved);
            lastSaved = saved;
            results.add(result);
            if (results.size() < chunks.size()) {
                // from the engine thread: the next chunk runs in the next turn, after its frames
                service.loop().submit(this::step).whenComplete((v, t) -> {
                    if (t != null) {
                        done.completeExceptionally(t); // the engine thread went before the chunk ran
                    }
                });
            } else {
                done.complete(results);
            }
            return null;
        }
    }

    /** Engine thread, right after a write was applied: what it changed goes to the saver, with what left meanwhile. */
    private <T> void handOver(Netlink nl, T result, BiFunction<T, StateStore.State, StateStore.State> persist,
                              CompletableFuture<Void> saved) {
        Set<String> gone = departures.drain();
        Set<String> proxies = new HashSet<>();
        for (Views.Proxy p : nl.proxies()) {
            proxies.add(key(p.dev(), p.dst().toString()));
        }
        saver.applied(s -> reconcile(persist.apply(result, s), gone, proxies), saved);
    }

    /** Waits for a write to be applied; cancels it if the engine did not take it in time. */
    private static <T> T awaitApplied(CompletableFuture<T> applied) {
        try {
            return applied.get(ENGINE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            if (applied.cancel(false)) {
                throw new ServiceException(Kind.ENGINE_UNAVAILABLE, "the engine did not take the write within "
                        + ENGINE_TIMEOUT.toMillis() + " ms: it was cancelled and nothing was changed; retry later");
            }
            // started: it runs to its end and is saved; its caller is answered then
            return join(applied);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            if (applied.cancel(false)) {
                throw new ServiceException(Kind.ENGINE_UNAVAILABLE, "interrupted before the engine took the write: "
                        + "nothing was changed");
            }
            throw underWay();
        } catch (ExecutionException e) {
            throw unwrap(e.getCause());
        }
    }

    private static <T> T join(CompletableFuture<T> f) {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw underWay();
        } catch (ExecutionException e) {
            throw unwrap(e.getCause());
        }
    }

    private static void awaitSaved(CompletableFuture<Void> saved) {
        join(saved);
    }

    private static ServiceException underWay() {
        return new ServiceException(Kind.ENGINE_UNAVAILABLE, "interrupted while the write was under way: it is "
                + "applied and saved all the same; read it back to see it");
    }

    private static RuntimeException unwrap(Throwable t) {
        return t instanceof RuntimeException re ? re : new IllegalStateException(t);
    }

    /** Waits for an engine future; unwraps what the engine threw. */
    static <T> T await(CompletableFuture<T> f, Duration timeout) {
        try {
            return f.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new ServiceException(Kind.ENGINE_UNAVAILABLE, "the engine did not answer within "
                    + timeout.toMillis() + " ms");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ServiceException(Kind.ENGINE_UNAVAILABLE, "interrupted while waiting for the engine");
        } catch (ExecutionException e) {
            throw unwrap(e.getCause());
        }
    }

    /** The saves still to be made are made before the context goes (the engine thread has stopped by then). */
    @Override
    public void destroy() {
        timers.shutdownNow();
        saver.close();
    }

    /**
     * Fails with {@link Kind#UNKNOWN_INTERFACE}, listing the known ones, unless {@code name} is one
     * of the configured interfaces (engine thread only).
     */
    public void requireDevice(Netlink nl, String name, String field) {
        if (!service.links().containsKey(name) || !nl.hasDevice(name)) {
            throw unknownDevice(name, field);
        }
    }

    /** The problem of an interface neighd is not attached to. */
    public ServiceException unknownDevice(String name, String field) {
        return new ServiceException(Kind.UNKNOWN_INTERFACE, "no interface named '" + name + "' (known: "
                + String.join(", ", service.links().keySet()) + ")", field, name);
    }

    /** The value of an engine result whose only possible failure is an unknown device. */
    public <T> T valueOf(Result<T> r, String dev, String field) {
        if (!r.ok()) {
            throw unknownDevice(dev, field);
        }
        return r.value();
    }

    // ------------------------------------------------------------------ state file reconciliation

    /** Drops the entries that left the table and the proxies that are gone from it. */
    private static StateStore.State reconcile(StateStore.State s, Set<String> gone, Set<String> liveProxies) {
        StateStore.State out = s;
        if (!gone.isEmpty()) {
            List<StateStore.NeighRecord> left = new ArrayList<>();
            for (StateStore.NeighRecord r : s.neighbours()) {
                if (gone.contains(key(r.dev(), r.dst()))) {
                    left.add(r);
                }
            }
            out = out.withNeighbours(List.of(), left);
        }
        for (StateStore.ProxyRecord p : s.proxies()) {
            if (!liveProxies.contains(key(p.dev(), p.dst()))) {
                out = out.withProxy(p, false);
            }
        }
        return out;
    }

    /** The entries the state file keeps: PERMANENT and NOARP ones (learned entries are not kept, as in Linux). */
    static boolean isAdministrative(NeighSnapshot s) {
        return s != null && (s.state() == NudState.PERMANENT || s.state() == NudState.NOARP);
    }

    static String key(String dev, String dst) {
        return dev + "|" + dst;
    }
}
