package io.neighd.cluster;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

/**
 * Ownership through a {@code coordination.k8s.io/v1} Lease per address, written directly on the
 * Lease API: a create for a lease that does not exist, otherwise an update that carries the
 * {@code resourceVersion} this node last saw, so the API server refuses (409) every write based
 * on a stale view — two nodes can never both take one lease.
 *
 * <p>Why not fabric8's {@code LeaderElector}: it runs one election per instance and cannot be
 * started again once it lost leadership, so per-address elections that come and go would need a
 * new elector (and thread) per address per loss; it reports leadership through callbacks
 * without the send time of the renewal that proved it, which the timing argument of
 * {@link ElectionTiming} needs; and its release and watch cannot be shared across addresses.
 * The loop it runs is small; {@link Cluster} is that loop for every address at once.
 *
 * <p>Standbys learn of every change through one watch on the namespace's neighd leases
 * (label {@value #MANAGED_BY}), so a release reaches them within one event, not one poll. The
 * Lease's {@code leaseDurationSeconds} is whole seconds; the exact duration in milliseconds goes
 * in the annotation {@value #DURATION_ANNOTATION}, which neighd nodes read first.
 */
public final class KubernetesLeaseStore implements OwnershipStore {
    private static final Logger log = LoggerFactory.getLogger(KubernetesLeaseStore.class);
    static final String MANAGED_BY = "app.kubernetes.io/managed-by";
    static final String DURATION_ANNOTATION = "neighd.io/lease-duration-ms";
    static final String ADDRESS_ANNOTATION = "neighd.io/address";

    private final KubernetesClient client;
    private final String namespace;
    private final String identity;
    private final String prefix;
    private final long durationMillis;
    private final Duration retry;
    private final ExecutorService io;
    private final ScheduledExecutorService rewatch;
    private final Map<String, BiConsumer<String, LeaseRecord>> observers = new ConcurrentHashMap<>();
    private volatile Watch watch;
    private volatile boolean closed;

    /**
     * @param client   a client whose request timeout bounds every call
     * @param prefix   lease names are {@code prefix} and the address ({@link LeaseNames}), e.g.
     *                 neighd-vip-10-77-0-100, neighd-vip-fd770000000000000000000000000055
     * @param lease    the lease duration written into each lease
     * @param retry    how soon a broken watch is set up again
     */
    public KubernetesLeaseStore(KubernetesClient client, String namespace, String identity, String prefix,
                                Duration lease, Duration retry) {
        this.client = client;
        this.namespace = namespace;
        this.identity = identity;
        this.prefix = prefix;
        this.durationMillis = lease.toMillis();
        this.retry = retry;
        this.io = Executors.newFixedThreadPool(4, daemon("neighd-k8s-lease"));
        this.rewatch = Executors.newSingleThreadScheduledExecutor(daemon("neighd-k8s-watch"));
        // a standby's first write is its takeover: load and warm the Lease serialiser before that
        io.execute(() -> client.getKubernetesSerialization().asJson(new LeaseBuilder().withNewMetadata()
                .withName(prefix + "warm-up").endMetadata().withNewSpec().withHolderIdentity(identity)
                .withRenewTime(ZonedDateTime.now(ZoneOffset.UTC)).endSpec().build()));
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }

    @Override
    public String backend() {
        return "kubernetes";
    }

    @Override
    public String identity() {
        return identity;
    }

    String leaseName(String key) {
        return LeaseNames.kubernetes(prefix, key);
    }

    private <T> CompletableFuture<T> async(Supplier<T> op) {
        return CompletableFuture.supplyAsync(op, io);
    }

    @Override
    public CompletableFuture<Claim> acquire(String key, LeaseRecord seen) {
        return async(() -> {
            ZonedDateTime now = ZonedDateTime.now(ZoneOffset.UTC);
            if (seen.isAbsent()) {
                Lease l = new LeaseBuilder().withNewMetadata().withName(leaseName(key)).withNamespace(namespace)
                        .addToLabels(MANAGED_BY, "neighd")
                        .addToAnnotations(ADDRESS_ANNOTATION, key)
                        .addToAnnotations(DURATION_ANNOTATION, Long.toString(durationMillis))
                        .endMetadata().withNewSpec().withHolderIdentity(identity)
                        .withLeaseDurationSeconds(durationSeconds()).withAcquireTime(now).withRenewTime(now)
                        .withLeaseTransitions(0).endSpec().build();
                try {
                    return new Claim(true, record(client.leases().inNamespace(namespace).resource(l).create()));
                } catch (KubernetesClientException e) {
                    if (e.getCode() == 409) {
                        return new Claim(false, current(key));
                    }
                    throw e;
                }
            }
            Lease cur = new Lease();
            cur.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMetaBuilder().withName(leaseName(key))
                    .withNamespace(namespace).withResourceVersion(seen.version())
                    .addToLabels(MANAGED_BY, "neighd").addToAnnotations(ADDRESS_ANNOTATION, key)
                    .addToAnnotations(DURATION_ANNOTATION, Long.toString(durationMillis)).build());
            cur.setSpec(new io.fabric8.kubernetes.api.model.coordination.v1.LeaseSpecBuilder()
                    .withHolderIdentity(identity).withLeaseDurationSeconds(durationSeconds())
                    .withAcquireTime(now).withRenewTime(now)
                    .withLeaseTransitions((int) seen.transitions() + (identity.equals(seen.holder()) ? 0 : 1))
                    .build());
            return write(key, cur);
        });
    }

    @Override
    public CompletableFuture<Claim> renew(String key, LeaseRecord held) {
        return async(() -> {
            Lease l = leaseFor(key, held);
            l.getSpec().setRenewTime(ZonedDateTime.now(ZoneOffset.UTC));
            return write(key, l);
        });
    }

    @Override
    public CompletableFuture<Void> release(String key, LeaseRecord held) {
        return async(() -> {
            LeaseRecord version = held;
            // a renewal still in flight when the release was sent moves the version on and the
            // release meets a 409: while the store still names this node, release under the
            // version it shows (never a lease another node holds), or the standbys would wait
            // for the expiry
            for (int tries = 0; tries < 3; tries++) {
                Lease l = leaseFor(key, version);
                // client-go's ReleaseOnCancel: no holder, so that every standby may take it at once
                l.getSpec().setHolderIdentity(null);
                l.getSpec().setRenewTime(ZonedDateTime.now(ZoneOffset.UTC));
                Claim c = write(key, l);
                if (!identity.equals(c.record().holder())) {
                    return null;
                }
                version = c.record();
            }
            log.warn("{}: not released after 3 tries; it expires for the others instead", key);
            return null;
        });
    }

    /** The lease as this node wrote it last, to be written again under the same resourceVersion. */
    private Lease leaseFor(String key, LeaseRecord held) {
        Lease l = new Lease();
        l.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMetaBuilder().withName(leaseName(key))
                .withNamespace(namespace).withResourceVersion(held.version())
                .addToLabels(MANAGED_BY, "neighd").addToAnnotations(ADDRESS_ANNOTATION, key)
                .addToAnnotations(DURATION_ANNOTATION, Long.toString(durationMillis)).build());
        l.setSpec(new io.fabric8.kubernetes.api.model.coordination.v1.LeaseSpecBuilder()
                .withHolderIdentity(identity).withLeaseDurationSeconds(durationSeconds())
                .withLeaseTransitions((int) held.transitions()).build());
        if (held.acquiredAt() != null) {
            l.getSpec().setAcquireTime(held.acquiredAt());
        }
        return l;
    }

    /** An update under the resourceVersion in {@code l}; a 409 means someone else wrote first. */
    private Claim write(String key, Lease l) {
        try {
            Lease out = client.leases().inNamespace(namespace).resource(l).update();
            return new Claim(identity.equals(out.getSpec().getHolderIdentity()), record(out));
        } catch (KubernetesClientException e) {
            if (e.getCode() == 409 || e.getCode() == 404) {
                return new Claim(false, current(key));
            }
            throw e;
        }
    }

    private LeaseRecord current(String key) {
        Lease l = client.leases().inNamespace(namespace).withName(leaseName(key)).get();
        return l == null ? LeaseRecord.ABSENT : record(l);
    }

    private int durationSeconds() {
        return (int) Math.max(1, (durationMillis + 999) / 1000);
    }

    static LeaseRecord record(Lease l) {
        var spec = l.getSpec();
        Map<String, String> ann = l.getMetadata().getAnnotations();
        long ms = spec.getLeaseDurationSeconds() == null ? 0 : spec.getLeaseDurationSeconds() * 1000L;
        if (ann != null && ann.get(DURATION_ANNOTATION) != null) {
            try {
                ms = Long.parseLong(ann.get(DURATION_ANNOTATION));
            } catch (NumberFormatException e) {
                // written by something else: the whole seconds stand
            }
        }
        return new LeaseRecord(spec.getHolderIdentity(), l.getMetadata().getResourceVersion(), ms,
                spec.getLeaseTransitions() == null ? 0 : spec.getLeaseTransitions(), spec.getAcquireTime());
    }

    // ------------------------------------------------------------------ watch

    @Override
    public void watch(String key, BiConsumer<String, LeaseRecord> observer) {
        observers.put(leaseName(key), (name, rec) -> observer.accept(key, rec));
        // set up off the caller's thread: establishing a watch can take seconds on a cold client
        rewatch.execute(() -> {
            synchronized (this) {
                if (watch == null && !closed) {
                    startWatch();
                }
            }
        });
        io.execute(() -> {
            try {
                observer.accept(key, current(key));
            } catch (RuntimeException e) {
                log.warn("reading lease {}: {}", leaseName(key), e.getMessage());
            }
        });
    }

    @Override
    public boolean watching() {
        return watch != null;
    }

    @Override
    public CompletableFuture<LeaseRecord> read(String key) {
        return async(() -> current(key));
    }

    @Override
    public void unwatch(String key) {
        observers.remove(leaseName(key));
    }

    private void startWatch() {
        try {
            watch = client.leases().inNamespace(namespace).withLabel(MANAGED_BY, "neighd").watch(new Watcher<>() {
                @Override
                public void eventReceived(Action action, Lease l) {
                    BiConsumer<String, LeaseRecord> o = observers.get(l.getMetadata().getName());
                    if (o != null) {
                        o.accept(l.getMetadata().getName(), action == Action.DELETED ? LeaseRecord.ABSENT : record(l));
                    }
                }

                @Override
                public void onClose(WatcherException cause) {
                    log.warn("lease watch closed ({}); watching again in {} ms", cause.getMessage(), retry.toMillis());
                    rewatchLater();
                }
            });
            // what changed while no watch ran
            observers.keySet().forEach(name -> io.execute(() -> reread(name)));
        } catch (RuntimeException e) {
            log.warn("cannot watch leases in {}: {}; trying again in {} ms", namespace, e.getMessage(), retry.toMillis());
            rewatchLater();
        }
    }

    private void reread(String name) {
        BiConsumer<String, LeaseRecord> o = observers.get(name);
        if (o == null) {
            return;
        }
        try {
            Lease l = client.leases().inNamespace(namespace).withName(name).get();
            o.accept(name, l == null ? LeaseRecord.ABSENT : record(l));
        } catch (RuntimeException e) {
            log.debug("reading lease {}: {}", name, e.getMessage());
        }
    }

    private void rewatchLater() {
        synchronized (this) {
            watch = null;
        }
        if (!closed) {
            rewatch.schedule(() -> {
                synchronized (this) {
                    if (watch == null && !closed) {
                        startWatch();
                    }
                }
            }, retry.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    @Override
    public void close() {
        closed = true;
        Watch w = watch;
        if (w != null) {
            w.close();
        }
        rewatch.shutdownNow();
        io.shutdown();
        try {
            io.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        client.close();
    }
}
