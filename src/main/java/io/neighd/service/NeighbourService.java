package io.neighd.service;

import io.neighd.engine.ResolveOutcome;
import io.neighd.engine.Netlink;
import io.neighd.engine.NeighAdmin;
import io.neighd.errno.Errno;
import io.neighd.neighbour.NeighFlags;
import io.neighd.neighbour.NeighSnapshot;
import io.neighd.errno.Result;
import io.neighd.neighbour.NudState;
import io.neighd.service.ServiceException.Kind;
import io.neighd.wire.IpAddress;
import io.neighd.wire.MacAddress;
import org.springframework.stereotype.Service;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * {@code ip neigh}: show, add, change, replace, del, flush, and proxy entries, plus resolution
 * as outbound traffic starts it. Every administrative change is kept in the state file when the
 * resulting entry is PERMANENT or NOARP, and dropped from it otherwise.
 */
@Service
public class NeighbourService {

    /**
     * The attributes of an add, change or replace; null means "not given".
     *
     * @param state null: PERMANENT for add and replace (as {@code ip neigh} defaults), unchanged for change
     */
    public record Spec(MacAddress lladdr, NudState state, Boolean router, Boolean externLearn, Boolean managed) {
    }

    /** The entry after a write, and whether the write created it. */
    public record Written(NeighSnapshot entry, boolean created) {
    }

    /** An {@code ip neigh add proxy} entry; {@code dev} null means every interface; {@code router}: NTF_ROUTER. */
    public record Proxy(IpAddress dst, String dev, boolean router) {
    }

    /** One entry of {@link #addAll}: what {@link #add} takes. */
    public record Add(String dev, IpAddress dst, Spec spec) {
    }

    /** An entry of {@link #addAll} that was not added: its index in the batch, and why. */
    public record Refusal(int index, Add entry, ServiceException why) {
    }

    /** What {@link #addAll} did. */
    public record BatchResult(int added, List<Refusal> refused) {
    }

    /** Entries per engine task in {@link #addAll}: the engine answers frames and timers between them. */
    static final int BATCH_CHUNK = 2048;

    /** One entry's outcome, on the engine thread: the entry after the add, or the refusal. */
    private record Outcome(int index, Add add, NeighSnapshot entry, ServiceException refused) {
    }

    private final EngineAccess engine;

    public NeighbourService(EngineAccess engine) {
        this.engine = engine;
    }

    public int hz() {
        return engine.hz();
    }

    /** Interface name, then address as an unsigned number (as Ipv4Address orders them, without its boxing). */
    static final Comparator<NeighSnapshot> BY_DEV_THEN_DST = (a, b) -> {
        int c = a.dev().equals(b.dev()) ? 0 : a.dev().compareTo(b.dev());
        return c != 0 ? c : IpAddress.ORDER.compare(a.dst(), b.dst());
    };

    /** {@code ip -s neigh get}: the entry, or {@link Kind#NO_SUCH_ENTRY}. */
    public NeighSnapshot get(String dev, IpAddress dst) {
        return engine.call(nl -> {
            engine.requireDevice(nl, dev, "dev");
            NeighSnapshot s = nl.neighbour(dev, dst).value();
            if (s == null) {
                throw noEntry(dev, dst);
            }
            return s;
        });
    }

    /** {@code ip neigh add}: fails with {@link Kind#ENTRY_EXISTS} if there is one (EEXIST). */
    public Written add(String dev, IpAddress dst, Spec spec) {
        return write(dev, dst, spec, NeighAdmin.Mode.ADD);
    }

    /** {@code ip neigh replace}: creates or overwrites. */
    public Written replace(String dev, IpAddress dst, Spec spec) {
        return write(dev, dst, spec, NeighAdmin.Mode.REPLACE);
    }

    /**
     * {@code ip neigh change}: fails with {@link Kind#NO_SUCH_ENTRY} if there is no entry. What
     * the spec leaves out keeps its current value (where {@code ip neigh change} would reset the
     * state to PERMANENT and clear the flags).
     */
    public Written change(String dev, IpAddress dst, Spec spec) {
        return write(dev, dst, spec, NeighAdmin.Mode.CHANGE);
    }

    private Written write(String dev, IpAddress dst, Spec spec, NeighAdmin.Mode mode) {
        return engine.write(nl -> {
            engine.requireDevice(nl, dev, "dev");
            NeighSnapshot before = nl.neighbour(dev, dst).value();
            Spec s = mode == NeighAdmin.Mode.CHANGE && before != null ? merge(spec, before) : spec;
            Result<Void> r = apply(nl, dev, dst, s, mode);
            if (!r.ok()) {
                throw refused(r, dev, dst, spec);
            }
            return new Written(nl.neighbour(dev, dst).value(), before == null);
        }, (w, s) -> persist(s, w.entry(), dev, dst));
    }

    /** {@code ip neigh add|replace|change} of one entry, on the engine thread. */
    private static Result<Void> apply(Netlink nl, String dev, IpAddress dst, Spec s, NeighAdmin.Mode mode) {
        NudState state = s.state() != null ? s.state() : NudState.PERMANENT;
        int ntf = flag(s.router(), NeighFlags.ROUTER) | flag(s.externLearn(), NeighFlags.EXT_LEARNED)
                | flag(s.managed(), NeighFlags.MANAGED);
        long lladdr = s.lladdr() == null ? Netlink.NO_LLADDR : s.lladdr().bits();
        return nl.neighAdd(dev, dst, lladdr, state.bit(), ntf, false, mode);
    }

    /**
     * {@code ip -force -batch} of {@code ip neigh add} lines: every entry is tried, in order, and
     * those refused (an existing entry, a full table, flags the state does not allow) are answered
     * with the problem a single {@link #add} would have raised, while the others are added. An
     * unknown interface refuses the whole batch before anything is added. Runs as one engine task
     * per {@value #BATCH_CHUNK} entries, one per turn of the engine loop; each chunk's entries
     * reach the state file as it is applied, and the answer comes once the last one is saved.
     */
    public BatchResult addAll(List<Add> batch) {
        for (int i = 0; i < batch.size(); i++) {
            String dev = batch.get(i).dev();
            if (!engine.service().links().containsKey(dev)) {
                throw new ServiceException(Kind.UNKNOWN_INTERFACE, "[" + i + "].dev: no interface named '" + dev
                        + "' (known: " + String.join(", ", engine.service().links().keySet()) + "); nothing was added",
                        "[" + i + "].dev", dev);
            }
        }
        List<Function<Netlink, List<Outcome>>> chunks = new ArrayList<>();
        for (int from = 0; from < batch.size(); from += BATCH_CHUNK) {
            int start = from;
            int end = Math.min(batch.size(), from + BATCH_CHUNK);
            chunks.add(nl -> {
                // every interface first: a chunk is applied whole or not at all
                for (int i = start; i < end; i++) {
                    engine.requireDevice(nl, batch.get(i).dev(), "dev");
                }
                List<Outcome> out = new ArrayList<>(end - start);
                for (int i = start; i < end; i++) {
                    Add a = batch.get(i);
                    Result<Void> r = apply(nl, a.dev(), a.dst(), a.spec(), NeighAdmin.Mode.ADD);
                    out.add(r.ok() ? new Outcome(i, a, nl.neighbour(a.dev(), a.dst()).value(), null)
                            : new Outcome(i, a, null, refused(r, a.dev(), a.dst(), a.spec())));
                }
                return out;
            });
        }
        List<List<Outcome>> done = engine.writeChunked(chunks, NeighbourService::persistChunk);
        int added = 0;
        List<Refusal> refusals = new ArrayList<>();
        for (List<Outcome> chunk : done) {
            for (Outcome o : chunk) {
                if (o.refused() == null) {
                    added++;
                } else {
                    refusals.add(new Refusal(o.index(), o.add(), o.refused()));
                }
            }
        }
        return new BatchResult(added, refusals);
    }

    private static StateStore.State persistChunk(List<Outcome> chunk, StateStore.State s) {
        List<StateStore.NeighRecord> put = new ArrayList<>();
        List<StateStore.NeighRecord> remove = new ArrayList<>();
        for (Outcome o : chunk) {
            if (o.entry() == null) {
                continue;
            }
            StateStore.NeighRecord r = toRecord(o.entry(), o.add().dev(), o.add().dst());
            (isAdministrative(o.entry()) ? put : remove).add(r);
        }
        return s.withNeighbours(put, remove);
    }

    private static Spec merge(Spec spec, NeighSnapshot before) {
        return new Spec(spec.lladdr(),
                spec.state() != null ? spec.state() : before.state(),
                spec.router() != null ? spec.router() : before.router(),
                spec.externLearn() != null ? spec.externLearn() : before.externLearn(),
                spec.managed() != null ? spec.managed() : before.managed());
    }

    private static int flag(Boolean on, int bit) {
        return Boolean.TRUE.equals(on) ? bit : 0;
    }

    private static StateStore.State persist(StateStore.State s, NeighSnapshot entry, String dev, IpAddress dst) {
        if (!isAdministrative(entry)) {
            return s.withoutNeighbour(dev, dst.toString());
        }
        return s.withNeighbour(toRecord(entry, dev, dst));
    }

    private static boolean isAdministrative(NeighSnapshot entry) {
        return EngineAccess.isAdministrative(entry);
    }

    private static StateStore.NeighRecord toRecord(NeighSnapshot entry, String dev, IpAddress dst) {
        return new StateStore.NeighRecord(dev, dst.toString(),
                entry.lladdr() == null ? MacAddress.ZERO.toString() : entry.lladdr().toString(), entry.state().name(),
                entry.router(), entry.externLearn());
    }

    /** Maps NeighAdmin's errno to what went wrong, naming the field at fault. */
    private static ServiceException refused(Result<Void> r, String dev, IpAddress dst, Spec spec) {
        String why = r.message() != null ? r.message() : Errno.name(r.errno());
        return switch (r.errno()) {
            case Errno.EEXIST -> new ServiceException(Kind.ENTRY_EXISTS, "an entry for " + dst + " dev " + dev
                    + " exists (replace it with PUT, or change it with PATCH)", "dst", dst.toString());
            case Errno.ENOENT -> noEntry(dev, dst);
            case Errno.ENOBUFS -> new ServiceException(Kind.TABLE_FULL, "the neighbour table is full (gc_thresh3 "
                    + "reached and garbage collection freed nothing)");
            case Errno.EINVAL -> "lladdr".equals(r.subject())
                    ? new ServiceException(Kind.INVALID_ARGUMENT, "lladdr is required for state "
                    + (spec.state() == null ? NudState.PERMANENT : spec.state()) + " (" + why + ")", "lladdr", null)
                    : new ServiceException(Kind.INVALID_ARGUMENT, why, "state", spec.state());
            default -> new ServiceException(Kind.INVALID_ARGUMENT, "refused: " + why + " (" + Errno.name(r.errno())
                    + ")");
        };
    }

    private static ServiceException noEntry(String dev, IpAddress dst) {
        return new ServiceException(Kind.NO_SUCH_ENTRY, "no neighbour entry for " + dst + " dev " + dev, "dst",
                dst.toString());
    }

    /** {@code ip neigh del}. */
    public void delete(String dev, IpAddress dst) {
        engine.write(nl -> {
            engine.requireDevice(nl, dev, "dev");
            Result<Void> r = nl.neighDelete(dev, dst);
            if (!r.ok()) {
                throw noEntry(dev, dst);
            }
            return null;
        }, (v, s) -> s.withoutNeighbour(dev, dst.toString()));
    }

    /**
     * {@code ip neigh flush [dev DEV] [nud STATE...]}: PERMANENT and NOARP entries stay unless named
     * in {@code stateMask}; every other state goes, FAILED included, as iproute2 flushes them; 0
     * selects that default set.
     *
     * @return how many entries were flushed
     */
    public int flush(String dev, int stateMask) {
        return flush(dev, stateMask, 0);
    }

    /** {@code ip -4|-6 neigh flush ...}: {@code family} 0 flushes both tables. */
    public int flush(String dev, int stateMask, int family) {
        return engine.write(nl -> {
            if (dev != null) {
                engine.requireDevice(nl, dev, "dev");
            }
            return nl.neighFlush(dev, stateMask, family).value();
        }, (n, s) -> s);
    }

    /**
     * Starts resolution as an outbound packet would; the future ends with it, holding no thread
     * meanwhile: the entry once it is valid; {@link Kind#UNRESOLVED} if it FAILED or was removed
     * meanwhile; {@link Kind#TABLE_FULL}; {@link Kind#RESOLVE_TIMEOUT} if it is still unresolved
     * after {@code timeout}. It completes on the engine thread or neighd's timer thread.
     */
    public CompletableFuture<NeighSnapshot> resolve(String dev, IpAddress dst, Duration timeout) {
        CompletableFuture<ResolveOutcome> outcome = new CompletableFuture<>();
        return engine.callAsync(nl -> {
            engine.requireDevice(nl, dev, "dev");
            return nl.resolve(dev, dst, outcome::complete);
        }).thenCompose(started -> engine.within(outcome, timeout)).thenCompose(o -> {
            if (o.isEmpty()) {
                return engine.callAsync(nl -> nl.neighbour(dev, dst).value()).thenApply(now -> {
                    throw new ServiceException(Kind.RESOLVE_TIMEOUT, dst + " dev " + dev + " is still unresolved "
                            + "after " + timeout.toMillis() + " ms" + (now == null ? "" : " (state " + now.state()
                            + ", " + now.probes() + " probes sent)"), "timeout_ms", timeout.toMillis());
                });
            }
            return switch (o.get()) {
                case VALID -> engine.callAsync(nl -> nl.neighbour(dev, dst).value()).thenApply(s -> {
                    if (s == null) {
                        throw new ServiceException(Kind.UNRESOLVED, dst + " dev " + dev
                                + " resolved but was removed before it could be read", "dst", dst.toString());
                    }
                    return s;
                });
                case FAILED -> CompletableFuture.failedFuture(new ServiceException(Kind.UNRESOLVED, dst + " dev " + dev
                        + " did not answer: the entry is FAILED", "dst", dst.toString()));
                case GONE -> CompletableFuture.failedFuture(new ServiceException(Kind.UNRESOLVED, "the entry for "
                        + dst + " dev " + dev + " was removed while resolving", "dst", dst.toString()));
                case TABLE_FULL -> CompletableFuture.failedFuture(new ServiceException(Kind.TABLE_FULL, "the "
                        + "neighbour table is full (gc_thresh3 reached and garbage collection freed nothing)"));
            };
        });
    }

    // ------------------------------------------------------------------ proxy entries

    /** {@code ip neigh show proxy}. */
    public List<Proxy> proxies() {
        return engine.call(nl -> nl.proxies().stream()
                .map(p -> new Proxy(p.dst(), p.dev(), p.router()))
                .sorted(Comparator.comparing(Proxy::dst, IpAddress.ORDER)
                        .thenComparing(p -> p.dev() == null ? "" : p.dev()))
                .toList());
    }

    /**
     * {@code ip neigh add proxy DST [dev DEV] [router]}; adding an existing one is not an error, as
     * in Linux (it takes the new router flag). An IPv6 entry needs an interface
     * (pndisc_constructor): {@link Kind#INVALID_ARGUMENT} naming {@code dev} without one.
     *
     * @return true if it was created
     */
    public boolean addProxy(IpAddress dst, String dev) {
        return addProxy(dst, dev, false);
    }

    public boolean addProxy(IpAddress dst, String dev, boolean router) {
        return engine.write(nl -> {
            if (dev != null) {
                engine.requireDevice(nl, dev, "dev");
            }
            Result<Boolean> r = nl.proxyAdd(dst, dev, router);
            if (!r.ok()) {
                throw new ServiceException(Kind.INVALID_ARGUMENT, "an IPv6 proxy entry needs an interface (dev), as "
                        + "Linux's pndisc_constructor refuses one for every interface", "dev", null);
            }
            return r.value();
        }, (created, s) -> s.withProxy(new StateStore.ProxyRecord(dst.toString(), dev, router ? Boolean.TRUE : null),
                true));
    }

    /** {@code ip neigh del proxy DST [dev DEV]}: the device must match exactly, as in Linux. */
    public void deleteProxy(IpAddress dst, String dev) {
        engine.write(nl -> {
            if (dev != null) {
                engine.requireDevice(nl, dev, "dev");
            }
            if (!nl.proxyDelete(dst, dev).ok()) {
                throw new ServiceException(Kind.NO_SUCH_ENTRY, "no proxy entry for " + dst
                        + (dev == null ? " on every interface" : " dev " + dev), "dst", dst.toString());
            }
            return null;
        }, (v, s) -> s.withProxy(new StateStore.ProxyRecord(dst.toString(), dev, null), false));
    }
}
