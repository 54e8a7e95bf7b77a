package io.neighd.cluster;

import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;

/**
 * A distributed store that decides which node holds the lease of each address: one record per
 * address, written only with optimistic concurrency (the write names the version it replaces),
 * so two nodes can never both succeed in taking one. Implementations: {@link KubernetesLeaseStore}
 * (a coordination.k8s.io/v1 Lease per address) and {@link EtcdLeaseStore} (a key per address,
 * attached to an etcd lease). Every call is bounded by the store's request timeout; a call that
 * times out completes exceptionally, and the caller treats it as not done.
 */
public interface OwnershipStore extends AutoCloseable {
    /** "kubernetes" or "etcd": for logs and the API. */
    String backend();

    /** This node's identity in the store. */
    String identity();

    /**
     * Takes the lease of {@code key} if {@code seen} is still its current version and it is free
     * or expired in the caller's judgement; {@link LeaseRecord#ABSENT} creates it.
     */
    CompletableFuture<Claim> acquire(String key, LeaseRecord seen);

    /** Extends a lease this node holds, written as {@code held}. */
    CompletableFuture<Claim> renew(String key, LeaseRecord held);

    /** Gives a lease this node holds up at once, so that another may take it without waiting for expiry. */
    CompletableFuture<Void> release(String key, LeaseRecord held);

    /**
     * Reports every version of {@code key} as the store changes it, starting with the current
     * one ({@link LeaseRecord#ABSENT} if none), on a thread of the store's. After a lost
     * connection the store re-reads and reports the current version again.
     */
    void watch(String key, BiConsumer<String, LeaseRecord> observer);

    /** Stops reporting {@code key}. */
    void unwatch(String key);

    /**
     * Whether changes reach the observers as they happen: the watch is established. While it is
     * not (a node that has just started, a connection being set up again), the caller reads.
     */
    boolean watching();

    /** The current version of {@code key} ({@link LeaseRecord#ABSENT} if none). */
    CompletableFuture<LeaseRecord> read(String key);

    @Override
    void close();
}
