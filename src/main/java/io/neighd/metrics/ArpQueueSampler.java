package io.neighd.metrics;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Packets waiting on the arp_queue of unresolved entries, per interface, for
 * {@code neighd_arp_queue_packets}.
 *
 * <p>Why a walk on the engine thread rather than a counter kept by the table: the queues are
 * touched in five places of neighbour.c's port (enqueue, the queue_len_bytes eviction,
 * neigh_invalidate, the flush when an entry turns valid, and destruction); a counter kept beside
 * them would be a second copy of the truth in the hot path, paid for on every packet, for a figure
 * read once per scrape. Walking the table as {@code ip -s neigh} does costs O(entries) per scrape
 * and nothing in between. The walk runs as an engine command (never touching the table from the
 * scrape thread), its result is shared by every interface's gauge for {@code maxAge}, and a scrape
 * waits at most {@code timeout} for it: an engine too busy to answer yields the last figures rather
 * than a stalled scrape, and never more than one walk is queued.
 */
final class ArpQueueSampler {
    private final Supplier<CompletableFuture<Map<String, Long>>> walk;
    private final LongSupplier nanoTime;
    private final long maxAgeNanos;
    private final long timeoutNanos;
    private Map<String, Long> last = Map.of();
    private long takenAt;
    private boolean taken;
    private CompletableFuture<Map<String, Long>> pending;

    /**
     * @param walk runs Netlink#queuedPackets on the engine thread and completes with its result
     */
    ArpQueueSampler(Supplier<CompletableFuture<Map<String, Long>>> walk, LongSupplier nanoTime, Duration maxAge,
                    Duration timeout) {
        this.walk = walk;
        this.nanoTime = nanoTime;
        this.maxAgeNanos = maxAge.toNanos();
        this.timeoutNanos = timeout.toNanos();
    }

    /** Packets queued on {@code dev}'s entries, at most {@code maxAge} old when the engine answers in time. */
    synchronized long queued(String dev) {
        refreshIfStale();
        return last.getOrDefault(dev, 0L);
    }

    private void refreshIfStale() {
        long now = nanoTime.getAsLong();
        if (taken && now - takenAt < maxAgeNanos) {
            return;
        }
        if (pending == null) {
            pending = walk.get();
        }
        try {
            last = pending.get(timeoutNanos, TimeUnit.NANOSECONDS);
            pending = null;
            takenAt = now;
            taken = true;
        } catch (TimeoutException e) {
            // keep the last figures; the walk stays queued and is picked up by the next scrape
        } catch (ExecutionException e) {
            pending = null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
