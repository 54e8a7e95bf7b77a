package io.neighd.cluster;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.BiConsumer;

/**
 * An in-memory ownership store with the semantics the real ones have (a write names the version
 * it replaces; every change is reported to every watcher), for driving several {@link Cluster}s
 * on one manual clock. A node can be cut off: its requests then stay unanswered until
 * {@link Node#reconnect} (answered as failures) and it hears no reports.
 */
final class FakeLeases {
    private final Map<String, LeaseRecord> records = new HashMap<>();
    private final List<Node> nodes = new ArrayList<>();
    private final long durationMillis;
    private long version;
    int writes;

    FakeLeases(long durationMillis) {
        this.durationMillis = durationMillis;
    }

    Node node(String id) {
        Node n = new Node(id);
        nodes.add(n);
        return n;
    }

    LeaseRecord record(String key) {
        return records.getOrDefault(key, LeaseRecord.ABSENT);
    }

    private void write(String key, LeaseRecord r) {
        writes++;
        records.put(key, r);
        for (Node n : nodes) {
            n.report(key, r);
        }
    }

    private LeaseRecord next(String holder, LeaseRecord old) {
        long t = old.transitions() + (old.holder().equals(holder) || holder.isEmpty() ? 0 : 1);
        return new LeaseRecord(holder, Long.toString(++version), durationMillis, t);
    }

    /** One node's view: its identity, its callback queue (the cluster thread), its connection. */
    final class Node implements OwnershipStore, Executor {
        final String id;
        final ArrayDeque<Runnable> queue = new ArrayDeque<>();
        final Map<String, BiConsumer<String, LeaseRecord>> watchers = new HashMap<>();
        final List<CompletableFuture<?>> stalled = new ArrayList<>();
        boolean cutOff;
        /** The watch is not established: requests work, reports do not arrive. */
        boolean watchDown;
        int reads;
        /** Answers held back until {@link #answerHeld()}: a slow store. */
        boolean holdAnswers;
        final List<Runnable> held = new ArrayList<>();

        Node(String id) {
            this.id = id;
        }

        @Override
        public void execute(Runnable r) {
            queue.add(r);
        }

        void report(String key, LeaseRecord r) {
            BiConsumer<String, LeaseRecord> w = watchers.get(key);
            if (w != null && !cutOff && !watchDown) {
                w.accept(key, r);
            }
        }

        void cutOff() {
            cutOff = true;
        }

        void reconnect() {
            cutOff = false;
            stalled.forEach(f -> f.completeExceptionally(new java.util.concurrent.TimeoutException("request timed out")));
            stalled.clear();
            watchers.forEach((k, w) -> w.accept(k, record(k)));
        }

        /** Answers the oldest held request only. */
        void answerFirstHeld() {
            held.remove(0).run();
        }

        void answerHeld() {
            List<Runnable> h = List.copyOf(held);
            held.clear();
            h.forEach(Runnable::run);
        }

        private <T> CompletableFuture<T> request(java.util.function.Supplier<T> op) {
            CompletableFuture<T> f = new CompletableFuture<>();
            if (cutOff) {
                stalled.add(f);
                return f;
            }
            T v = op.get();
            if (holdAnswers) {
                held.add(() -> f.complete(v));
            } else {
                f.complete(v);
            }
            return f;
        }

        @Override
        public String backend() {
            return "fake";
        }

        @Override
        public String identity() {
            return id;
        }

        @Override
        public CompletableFuture<Claim> acquire(String key, LeaseRecord seen) {
            return request(() -> {
                LeaseRecord cur = record(key);
                if (!cur.version().equals(seen.version())) {
                    return new Claim(false, cur);
                }
                LeaseRecord r = next(id, cur);
                write(key, r);
                return new Claim(true, r);
            });
        }

        @Override
        public CompletableFuture<Claim> renew(String key, LeaseRecord held) {
            return request(() -> {
                LeaseRecord cur = record(key);
                if (!cur.version().equals(held.version())) {
                    return new Claim(false, cur);
                }
                LeaseRecord r = next(id, cur);
                write(key, r);
                return new Claim(true, r);
            });
        }

        @Override
        public CompletableFuture<Void> release(String key, LeaseRecord held) {
            return request(() -> {
                LeaseRecord cur = record(key);
                if (cur.holder().equals(id)) {
                    write(key, next("", cur));
                }
                return null;
            });
        }

        @Override
        public void watch(String key, BiConsumer<String, LeaseRecord> observer) {
            watchers.put(key, observer);
            if (!cutOff) {
                observer.accept(key, record(key));
            }
        }

        @Override
        public void unwatch(String key) {
            watchers.remove(key);
        }

        @Override
        public boolean watching() {
            return !cutOff && !watchDown;
        }

        @Override
        public CompletableFuture<LeaseRecord> read(String key) {
            reads++;
            return request(() -> record(key));
        }

        @Override
        public void close() {
        }
    }
}
