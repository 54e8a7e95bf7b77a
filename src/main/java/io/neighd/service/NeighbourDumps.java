package io.neighd.service;

import io.neighd.engine.Engine;
import io.neighd.engine.Netlink;
import io.neighd.neighbour.NeighSnapshot;
import io.neighd.neighbour.NudState;
import io.neighd.wire.IpAddress;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The table as {@code GET /api/v1/neighbours} serves it: dumps shared by the readers. The engine
 * copies the table a slice at a time ({@value #SLICE} entries per turn of its loop, frames and
 * timers served between slices), as Linux's neigh_dump_table() fills one netlink message at a time
 * and goes on from its cursor. At most one dump is under way at a time; every reader that comes
 * before it has begun shares it, and readers that come once it has begun share the next, which
 * begins when it ends. So N readers at once cost the engine one dump, no dump holds the engine
 * thread for more than one slice, and every reader gets a dump begun after its request came (it
 * sees its own writes). Sorting and serialising happen on the readers' threads. Like a netlink
 * dump, a dump is not atomic: an entry that changes while it is taken is seen as it was when its
 * slice was copied.
 */
@Component
public class NeighbourDumps {
    /** Entries the engine copies per turn (whole hash buckets: a few more at most). */
    static final int SLICE = 1024;
    /**
     * How long a reader waits for its dump: a table of a million entries is a thousand turns of
     * the engine loop, and a reader may wait for the dump under way before its own begins.
     */
    static final Duration DUMP_WAIT = Duration.ofSeconds(30);

    /** A finished dump: every entry of every state, by interface then address. */
    record Dump(List<NeighSnapshot> sorted) {
    }

    /** One page of a listing, and the cursor to go on from (null after the last). */
    public record Page(List<NeighSnapshot> entries, String next) {
    }

    private final EngineAccess engine;
    private Walk inFlight;
    private Walk queued;

    public NeighbourDumps(EngineAccess engine) {
        this.engine = engine;
    }

    /**
     * {@code ip -s neigh show [dev DEV] [nud STATE...]}, ordered by interface then address, from
     * after {@code cursor} (null: the start), at most {@code limit} entries (0: all).
     */
    public Page list(String dev, int stateMask, Cursor cursor, int limit) {
        return list(dev, stateMask, 0, cursor, limit);
    }

    /** {@code ip -4|-6 -s neigh show ...}: as {@link #list(String, int, Cursor, int)}, {@code family} 0 for both. */
    public Page list(String dev, int stateMask, int family, Cursor cursor, int limit) {
        if (dev != null && !engine.service().links().containsKey(dev)) {
            throw engine.unknownDevice(dev, "dev");
        }
        List<NeighSnapshot> all = EngineAccess.await(dump(), DUMP_WAIT);
        int from = cursor == null ? 0 : after(all, cursor);
        List<NeighSnapshot> out = new ArrayList<>(limit > 0 ? Math.min(limit, 1024) : 1024);
        int i = from;
        for (; i < all.size() && (limit == 0 || out.size() < limit); i++) {
            NeighSnapshot s = all.get(i);
            if ((dev == null || dev.equals(s.dev())) && (family == 0 || s.dst().family() == family)
                    && shown(s, stateMask)) {
                out.add(s);
            }
        }
        String next = null;
        if (limit > 0 && out.size() == limit && i < all.size()) {
            NeighSnapshot l = out.get(out.size() - 1);
            next = new Cursor(l.dev(), l.dst()).toString();
        }
        return new Page(out, next);
    }

    /** As NeighAdmin.matches (iproute2's filter) for a copied entry: its state in the mask (0x100 for NONE), or extern_learn. */
    private static boolean shown(NeighSnapshot s, int stateMask) {
        int st = s.state().bit();
        return (st & stateMask) != 0 || (st == 0 && (stateMask & NudState.MASK_NONE) != 0) || s.externLearn();
    }

    /** Where to go on from: the interface and address of the last entry of the page before. */
    public record Cursor(String dev, IpAddress dst) {
        @Override
        public String toString() {
            return dev + "/" + dst;
        }

        /** {@code dev/address} (either family), as {@link #toString} makes it; null if {@code s} is not one. */
        public static Cursor parse(String s) {
            int slash = s.lastIndexOf('/');
            if (slash <= 0 || slash == s.length() - 1) {
                return null;
            }
            try {
                return new Cursor(s.substring(0, slash), IpAddress.parse(s.substring(slash + 1)));
            } catch (IllegalArgumentException e) {
                return null;
            }
        }
    }

    private static int after(List<NeighSnapshot> sorted, Cursor c) {
        int lo = 0;
        int hi = sorted.size();
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            NeighSnapshot s = sorted.get(mid);
            int cmp = s.dev().compareTo(c.dev());
            if (cmp == 0) {
                cmp = IpAddress.ORDER.compare(s.dst(), c.dst());
            }
            if (cmp <= 0) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** The dump under way if it has not begun yet, or a new one, or the next (after the one under way). */
    synchronized CompletableFuture<List<NeighSnapshot>> dump() {
        if (inFlight == null) {
            return begin(new Walk()).sorted();
        }
        if (!inFlight.begun) {
            return inFlight.sorted();
        }
        if (queued == null) {
            queued = new Walk();
        }
        return queued.sorted();
    }

    /** Under the lock: {@code w} becomes the dump under way (told when it ends before it can end). */
    private Walk begin(Walk w) {
        inFlight = w;
        w.result.whenComplete((d, t) -> ended(w));
        w.start();
        return w;
    }

    private synchronized void ended(Walk w) {
        if (inFlight != w) {
            return;
        }
        inFlight = null;
        if (queued != null) {
            Walk q = queued;
            queued = null;
            begin(q);
        }
    }

    /** One dump, a slice per turn of the engine loop. */
    private final class Walk {
        /** The slices as copied: never one list grown on the engine thread (its growth copies it all). */
        private final CompletableFuture<List<List<NeighSnapshot>>> copied = new CompletableFuture<>();
        private final CompletableFuture<Dump> result;
        private List<List<NeighSnapshot>> slices = new ArrayList<>();
        private long resizes = -1;
        private int next;
        /** Set on the engine thread before the first slice is copied: later readers need the next dump. */
        private volatile boolean begun;

        Walk() {
            Map<String, ?> links = engine.service().links();
            // sorted on a pool thread, never the engine's
            result = copied.thenApplyAsync(all -> {
                List<NeighSnapshot> shown = new ArrayList<>(all.stream().mapToInt(List::size).sum());
                for (List<NeighSnapshot> slice : all) {
                    for (NeighSnapshot s : slice) {
                        if (links.containsKey(s.dev())) {
                            shown.add(s);
                        }
                    }
                }
                shown.sort(NeighbourService.BY_DEV_THEN_DST);
                return new Dump(Collections.unmodifiableList(shown));
            });
        }

        void start() {
            engine.callAsync(this::step).whenComplete((v, t) -> {
                if (t != null) {
                    copied.completeExceptionally(t);
                }
            });
        }

        CompletableFuture<List<NeighSnapshot>> sorted() {
            return result.thenApply(Dump::sorted);
        }

        /** Engine thread: one slice, then the next turn's. */
        private Void step(Netlink nl) {
            begun = true;
            Engine.DumpSlice s = nl.neighboursFrom(next, SLICE);
            if (resizes != -1 && s.resizes() != resizes) {
                // the table grew between slices: its buckets moved; start again
                slices = new ArrayList<>();
                next = 0;
                resizes = s.resizes();
                again();
                return null;
            }
            resizes = s.resizes();
            slices.add(s.entries());
            next = s.next();
            if (next < 0) {
                copied.complete(slices);
            } else {
                again();
            }
            return null;
        }

        private void again() {
            engine.service().loop().submit(this::step).whenComplete((v, t) -> {
                if (t != null) {
                    copied.completeExceptionally(t);
                }
            });
        }
    }
}
