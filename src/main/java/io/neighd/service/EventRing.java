package io.neighd.service;

import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The last {@code capacity} events ({@link io.neighd.engine.NeighEvent}s, IPv6 address events and
 * {@link EventHub.Notice}s), shared by every subscriber: one writer (the engine thread)
 * appends at a sequence number, each reader reads at its own cursor. Appending costs the same
 * whether nobody or a thousand subscribers read; a reader more than {@code capacity} behind
 * finds its next event overwritten and knows it lost events, as a netlink listener whose socket
 * overran learns from ENOBUFS. Wait-free on both sides: the writer never looks at a reader.
 */
final class EventRing {
    /** An event at its sequence number; a slot holding another number was overwritten (or not yet written). */
    private record Slot(long seq, Object event) {
    }

    private final AtomicReferenceArray<Slot> slots;
    private final int mask;
    /** The sequence number the next event gets: everything below it is published. */
    private volatile long next;

    EventRing(int minCapacity) {
        int capacity = Integer.highestOneBit(Math.max(2, minCapacity - 1)) << 1;
        this.slots = new AtomicReferenceArray<>(capacity);
        this.mask = capacity - 1;
    }

    int capacity() {
        return mask + 1;
    }

    /** Engine thread only. The slot is written before the sequence number that publishes it. */
    void append(Object e) {
        long s = next;
        slots.set((int) (s & mask), new Slot(s, e));
        next = s + 1;
    }

    /** Events below this number are published. */
    long next() {
        return next;
    }

    /**
     * The event numbered {@code seq} ({@code < next()}), or null if the writer has overwritten it
     * since: the reader is more than {@link #capacity()} behind.
     */
    Object read(long seq) {
        Slot s = slots.get((int) (seq & mask));
        return s != null && s.seq == seq ? s.event : null;
    }
}
