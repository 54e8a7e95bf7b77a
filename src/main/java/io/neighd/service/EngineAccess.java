package io.neighd.service;

import io.neighd.engine.Netlink;
import io.neighd.engine.Views;
import io.neighd.errno.Result;
import io.neighd.neighbour.NeighSnapshot;
import io.neighd.neighbour.NudState;
import io.neighd.service.ServiceException.Kind;
import io.neighd.wire.IpAddress;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * The one way the service layer reaches the engine: every call runs on the engine thread and is
 * awaited with a timeout. Administrative writes are serialised and, once the engine has applied
 * one, recorded in the state file before the caller is answered, so the file sees writes in the
 * engine's order and a caller that got an answer knows the change survives a restart.
 */
@Component
public final class EngineAccess {
    /** How long a request waits for the engine thread before answering 503. */
    public static final Duration ENGINE_TIMEOUT = Duration.ofSeconds(5);

    private final EngineRuntime service;
    private final ReentrantLock writes = new ReentrantLock();

    public EngineAccess(EngineRuntime service) {
        this.service = service;
    }

    public EngineRuntime service() {
        return service;
    }

    /** The jiffy rate snapshots count ages in: seconds = ago / hz, as {@code ip -s neigh} prints them. */
    public int hz() {
        return service.properties().hz();
    }

    /** Runs {@code f} on the engine thread and returns its result. */
    public <T> T call(Function<Netlink, T> f) {
        return await(service.loop().submit(f), ENGINE_TIMEOUT);
    }

    /**
     * An administrative write: {@code op} runs on the engine thread; then {@code persist} turns
     * its result into the state file's next content, which is written before this returns. Entries
     * and proxies the file holds are reconciled with the table as it is after {@code op} (an
     * interface losing its last address takes its PERMANENT entries with it, as in Linux).
     */
    public <T> T write(Function<Netlink, T> op, BiFunction<T, StateStore.State, StateStore.State> persist) {
        StateStore store = service.state();
        writes.lock();
        try {
            Applied<T> applied = call(e -> {
                T result = op.apply(e);
                return new Applied<>(result, liveView(e, store.current()));
            });
            save(store, persist.apply(applied.result(), store.current()), applied.live());
            return applied.result();
        } finally {
            writes.unlock();
        }
    }

    /**
     * A write too large for one engine task (a batch): each of {@code chunks} runs as its own
     * task, in order, so the engine serves frames, timers and readers between them; then
     * {@code persist} turns all their results into the state file's next content, written once.
     * If a chunk fails, what the chunks before it applied is still saved before the failure is
     * thrown. Other writes wait for the whole batch.
     */
    public <T> List<T> writeChunked(List<Function<Netlink, T>> chunks,
                                    BiFunction<List<T>, StateStore.State, StateStore.State> persist) {
        StateStore store = service.state();
        writes.lock();
        try {
            List<T> results = new ArrayList<>(chunks.size());
            RuntimeException failed = null;
            for (Function<Netlink, T> op : chunks) {
                try {
                    results.add(call(op));
                } catch (RuntimeException e) {
                    failed = e;
                    break;
                }
            }
            if (!results.isEmpty()) {
                try {
                    LiveView live = call(e -> liveView(e, store.current()));
                    save(store, persist.apply(results, store.current()), live);
                } catch (RuntimeException e) {
                    if (failed == null) {
                        throw e;
                    }
                    failed.addSuppressed(e);
                }
            }
            if (failed != null) {
                throw failed;
            }
            return results;
        } finally {
            writes.unlock();
        }
    }

    private static void save(StateStore store, StateStore.State persisted, LiveView live) {
        StateStore.State current = store.current();
        StateStore.State next = reconcile(persisted, live);
        // a file left behind by a failed write is caught up by the next write, whatever it changes
        if (!next.equals(current) || store.dirty()) {
            try {
                store.update(s -> next);
            } catch (IllegalStateException e) {
                throw new ServiceException(Kind.STATE_NOT_SAVED, "the change was applied but not saved: "
                        + e.getMessage() + "; it is lost at a restart unless a later write is saved (each saves "
                        + "everything applied so far)");
            }
        }
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
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException(e.getCause());
        }
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

    private record Applied<T>(T result, LiveView live) {
    }

    /** What the table holds, after a write, for the entries and proxies the state file names. */
    private record LiveView(Map<String, NeighSnapshot> neighbours, Set<String> proxies) {
    }

    private static LiveView liveView(Netlink nl, StateStore.State s) {
        Map<String, NeighSnapshot> n = new HashMap<>();
        for (StateStore.NeighRecord r : s.neighbours()) {
            n.put(key(r.dev(), r.dst()), nl.neighbour(r.dev(), IpAddress.parse(r.dst())).value());
        }
        Set<String> p = new HashSet<>();
        for (Views.Proxy pn : nl.proxies()) {
            p.add(key(pn.dev(), pn.dst().toString()));
        }
        return new LiveView(n, p);
    }

    private static StateStore.State reconcile(StateStore.State s, LiveView live) {
        List<StateStore.NeighRecord> gone = new ArrayList<>();
        for (StateStore.NeighRecord r : s.neighbours()) {
            String k = key(r.dev(), r.dst());
            if (live.neighbours().containsKey(k) && !isAdministrative(live.neighbours().get(k))) {
                gone.add(r);
            }
        }
        StateStore.State out = s.withNeighbours(List.of(), gone);
        List<StateStore.ProxyRecord> goneProxies = new ArrayList<>();
        for (StateStore.ProxyRecord p : s.proxies()) {
            if (!live.proxies().contains(key(p.dev(), p.dst()))) {
                goneProxies.add(p);
            }
        }
        for (StateStore.ProxyRecord p : goneProxies) {
            out = out.withProxy(p, false);
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
