package io.neighd.service;

import io.neighd.config.NeighdProperties;
import io.neighd.engine.AddressEvent;
import io.neighd.engine.EngineListener;
import io.neighd.engine.NeighEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationListener;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.stereotype.Component;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * The {@code ip monitor neigh} (and, for IPv6 addresses, {@code ip monitor address}) of neighd. The engine thread appends each event to one
 * {@link EventRing} shared by all subscribers and wakes the delivery threads: a cost that does
 * not depend on how many subscribe, and never a wait. A fixed set of delivery threads, started
 * with the hub, writes each subscriber's events from its own cursor to its {@link Sink}, whose
 * writes never block (the sink says when it can take more). A subscriber that falls more than
 * the ring behind, or accepts nothing for {@code stall-timeout}, is cut off: it is sent a final
 * {@code lost} event where it can still take one, and counted. Like a netlink listener told
 * ENOBUFS, it must then read the table again and resubscribe.
 */
@Component
public final class EventHub implements EngineListener, EventStreamCounters, SmartLifecycle,
        ApplicationListener<ContextClosedEvent> {
    private static final Logger log = LoggerFactory.getLogger(EventHub.class);
    /** What a refused subscriber is told to wait: about as long as a gone client holds its slot. */
    private static final Duration RETRY_AFTER = Duration.ofSeconds(15);
    /** Events one subscriber is written in a row before the thread turns to the next subscriber. */
    private static final int BATCH = 256;
    /** How long a cut-off subscriber has to take its final event before its stream is just closed. */
    private static final Duration LOST_GRACE = Duration.ofSeconds(5);

    /**
     * Where a subscriber's events go; called on a delivery thread, one call at a time, never on the
     * engine's. No call may block: a sink that cannot take a write now says so with
     * {@link #ready()} and calls {@link Subscription#writable()} when it can. Throwing ends the
     * subscription.
     */
    public interface Sink {
        /** Whether a write now is taken without blocking. */
        boolean ready();

        void event(NeighEvent e) throws IOException;

        /**
         * Something other than a table change: an address conflict, a flip-flop, an elected
         * address changing hands (see {@link Notice}). A sink for table changes only ignores it.
         */
        default void notice(Notice n) throws IOException {
        }

        /** {@code ip monitor address} for IPv6: an address added, changed (DAD passed or failed) or removed. */
        void address(AddressEvent e) throws IOException;

        /** After a run of writes, while {@link #ready()}: push them to the consumer. */
        void flush() throws IOException;

        /** Nothing to send for a while (and the first thing sent): shows the consumer the stream is alive. */
        void heartbeat() throws IOException;

        /** The last thing sent: the subscriber is cut off and has lost events. */
        void lost(Lost why) throws IOException;

        /** The subscription ended, by either side: release the transport. Called once. */
        void closed();
    }

    /**
     * An event that is not a table change, in the same ring and the same order.
     *
     * @param name the SSE event name: {@code CONFLICT}, {@code FLIPFLOP}, {@code VIP}
     * @param dev  the interface it concerns (a subscription to one interface sees only its own)
     * @param data the payload, serialised as JSON
     */
    public record Notice(String name, String dev, Object data) {
    }

    /** Why a subscriber was cut off. */
    public enum Reason {
        /** more than the ring behind: events it had not read were overwritten */
        OVERRUN,
        /** it took nothing for neighd.events.stall-timeout */
        STALLED;

        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /**
     * The final event of a cut-off subscriber.
     *
     * @param reason  why
     * @param behind  events published that it had not been sent
     * @param lastSeq the engine sequence number of the last event it was sent, -1 if none
     */
    public record Lost(Reason reason, long behind, long lastSeq) {
    }

    /** One subscriber: its cursor in the ring, its filter, its sink. Touched by its delivery thread only. */
    public final class Subscription implements AutoCloseable {
        private final String dev;
        private final Sink sink;
        private final Delivery owner;
        private long cursor;
        private long lastSeq = -1;
        private long notReadySince;
        private long nextHeartbeat;
        private Lost lost;
        private long lostAt;
        private volatile boolean closed;

        private Subscription(String dev, Sink sink, Delivery owner, long cursor, long now) {
            this.dev = dev;
            this.sink = sink;
            this.owner = owner;
            this.cursor = cursor;
            this.nextHeartbeat = now;
        }

        /** The sink can take writes again: its delivery thread looks at it at once. */
        public void writable() {
            owner.wake();
        }

        /** Ends the subscription (any thread); the sink is told on its delivery thread. */
        @Override
        public void close() {
            closed = true;
            owner.wake();
        }
    }

    private final EngineRuntime service;
    private final NeighdProperties.Events config;
    private final EventRing ring;
    private final long stallNanos;
    private final long heartbeatNanos;
    private final ThreadFactory threadFactory;
    private final Delivery[] deliveries;
    private final AtomicInteger subscribers = new AtomicInteger();
    private final AtomicInteger nextOwner = new AtomicInteger();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private final Map<Reason, AtomicLong> cutOff = new ConcurrentHashMap<>();
    private volatile boolean running;

    @Autowired
    public EventHub(EngineRuntime service, NeighdProperties props) {
        this(service, props, r -> {
            Thread t = new Thread(r);
            t.setDaemon(true);
            return t;
        });
    }

    /** With the factory the delivery threads are made by, all of them in {@link #start()}. */
    EventHub(EngineRuntime service, NeighdProperties props, ThreadFactory threadFactory) {
        this.service = service;
        this.config = props.events();
        this.ring = new EventRing(config.buffer());
        this.stallNanos = config.stallTimeout().toNanos();
        this.heartbeatNanos = config.heartbeat().toNanos();
        this.threadFactory = threadFactory;
        this.deliveries = new Delivery[config.deliveryThreads()];
        for (int i = 0; i < deliveries.length; i++) {
            deliveries[i] = new Delivery(i);
        }
        for (Reason r : Reason.values()) {
            cutOff.put(r, new AtomicLong());
        }
    }

    /**
     * Subscribes to the events of interface {@code dev} (every interface if null) published from
     * now on. Events flow until the subscription is closed, its sink throws, it is cut off, or
     * the service stops.
     *
     * @throws ServiceException {@code UNKNOWN_INTERFACE} if neighd is not attached to {@code dev};
     *                          {@code TOO_MANY_SUBSCRIBERS} beyond neighd.events.max-subscribers
     */
    public Subscription subscribe(String dev, Sink sink) {
        checkInterface(dev);
        if (!running) {
            throw new ServiceException(ServiceException.Kind.ENGINE_UNAVAILABLE, "neighd is stopping");
        }
        claimSlot();
        Delivery owner = deliveries[Math.floorMod(nextOwner.getAndIncrement(), deliveries.length)];
        Subscription s = new Subscription(dev, sink, owner, ring.next(), System.nanoTime());
        owner.inbox.add(s);
        owner.wake();
        return s;
    }

    /** What {@link #subscribe} would refuse, without subscribing: the answer to HEAD. */
    public void checkSubscribe(String dev) {
        checkInterface(dev);
        if (subscribers.get() >= config.maxSubscribers()) {
            throw tooMany();
        }
    }

    private void checkInterface(String dev) {
        if (dev != null && !service.links().containsKey(dev)) {
            throw new ServiceException(ServiceException.Kind.UNKNOWN_INTERFACE, "no interface named '" + dev
                    + "' (known: " + String.join(", ", service.links().keySet()) + ")", "dev", dev);
        }
    }

    private void claimSlot() {
        while (true) {
            int n = subscribers.get();
            if (n >= config.maxSubscribers()) {
                refused.incrementAndGet();
                throw tooMany();
            }
            if (subscribers.compareAndSet(n, n + 1)) {
                return;
            }
        }
    }

    private ServiceException tooMany() {
        return new ServiceException(ServiceException.Kind.TOO_MANY_SUBSCRIBERS, config.maxSubscribers()
                + " event streams are open, as many as neighd.events.max-subscribers allows: retry later");
    }

    /** How long a refused subscriber should wait before it tries again. */
    public static Duration retryAfter() {
        return RETRY_AFTER;
    }

    /** Engine thread: one append and a wake-up per delivery thread, whatever the number of subscribers. */
    @Override
    public void event(NeighEvent e) {
        publish(e);
    }

    /** Engine thread: an IPv6 address event, in the same ring and order as the neighbour events. */
    @Override
    public void address(AddressEvent e) {
        publish(e);
    }

    private void publish(Object e) {
        if (subscribers.get() == 0) {
            return;
        }
        ring.append(e);
        for (Delivery d : deliveries) {
            d.wake();
        }
    }

    /**
     * Any thread: a notice for the subscribers of its interface. The ring has one writer, the
     * engine thread, so the notice is appended there, after what the engine is doing now.
     */
    public void publish(Notice n) {
        if (subscribers.get() == 0 || !running) {
            return;
        }
        try {
            service.loop().execute(nl -> {
                ring.append(n);
                for (Delivery d : deliveries) {
                    d.wake();
                }
            });
        } catch (RuntimeException e) {
            // the engine is stopping: so are the streams
        }
    }

    // ------------------------------------------------------------------ counters

    @Override
    public long droppedEvents() {
        return dropped.get();
    }

    @Override
    public long subscribersCutOff(String reason) {
        for (Reason r : Reason.values()) {
            if (r.label().equals(reason)) {
                return cutOff.get(r).get();
            }
        }
        return 0;
    }

    @Override
    public List<String> cutOffReasons() {
        return java.util.Arrays.stream(Reason.values()).map(Reason::label).toList();
    }

    @Override
    public long subscribersRefused() {
        return refused.get();
    }

    @Override
    public int subscriberCount() {
        return subscribers.get();
    }

    // ------------------------------------------------------------------ delivery

    /** One delivery thread and the subscribers it owns. */
    private final class Delivery implements Runnable {
        private final int index;
        private final Queue<Subscription> inbox = new ConcurrentLinkedQueue<>();
        private final List<Subscription> owned = new ArrayList<>();
        private volatile Thread thread;
        private volatile boolean parked;
        /** Something changed that the ring does not show (a sink writable again, a close, a new subscriber). */
        private volatile boolean kicked;

        Delivery(int index) {
            this.index = index;
        }

        /** Any thread; never blocks, and costs a system call only when the thread sleeps. */
        void wake() {
            kicked = true;
            if (parked) {
                parked = false;
                Thread t = thread;
                if (t != null) {
                    LockSupport.unpark(t);
                }
            }
        }

        @Override
        public void run() {
            while (running) {
                long seen = ring.next();
                kicked = false;
                boolean busy = turn();
                if (busy) {
                    continue;
                }
                parked = true;
                // re-check after announcing the park: a wake-up meanwhile has seen parked, or is seen here
                if (ring.next() != seen || kicked) {
                    parked = false;
                    continue;
                }
                LockSupport.parkNanos(this, nextDeadline());
                parked = false;
            }
            for (Subscription s : owned) {
                end(s);
            }
            owned.clear();
            for (Subscription s; (s = inbox.poll()) != null; ) {
                end(s);
            }
        }

        private long nextDeadline() {
            long now = System.nanoTime();
            long until = heartbeatNanos;
            for (Subscription s : owned) {
                until = Math.min(until, Math.max(0, s.nextHeartbeat - now));
                if (s.notReadySince != 0 || s.lost != null) {
                    // a stall, or a final event that waits, is checked once a second
                    until = Math.min(until, 1_000_000_000L);
                }
            }
            return Math.max(until, 1_000_000L);
        }

        /** One pass over the subscribers; true if something was written (more may follow at once). */
        private boolean turn() {
            for (Subscription s; (s = inbox.poll()) != null; ) {
                owned.add(s);
            }
            long published = ring.next();
            long now = System.nanoTime();
            boolean busy = false;
            for (int i = 0; i < owned.size(); i++) {
                Subscription s = owned.get(i);
                boolean done;
                try {
                    done = s.closed || deliver(s, published, now);
                } catch (IOException | RuntimeException e) {
                    log.debug("event subscriber gone: {}", e.toString());
                    done = true;
                }
                if (done) {
                    end(s);
                    owned.set(i, owned.get(owned.size() - 1));
                    owned.remove(owned.size() - 1);
                    i--;
                } else if (s.cursor < published && s.notReadySince == 0 && s.lost == null) {
                    busy = true;
                }
            }
            return busy;
        }

        /** Writes what {@code s} can take now; true when it is to be ended. */
        private boolean deliver(Subscription s, long published, long now) throws IOException {
            if (s.lost != null) {
                return finalEvent(s, now);
            }
            long behind = published - s.cursor;
            if (behind > ring.capacity()) {
                return cut(s, Reason.OVERRUN, behind, now);
            }
            int written = 0;
            while (s.cursor < published && written < BATCH) {
                if (!s.sink.ready()) {
                    return notReady(s, published, now, written);
                }
                Object e = ring.read(s.cursor);
                if (e == null) {
                    return cut(s, Reason.OVERRUN, ring.next() - s.cursor, now);
                }
                s.cursor++;
                if (e instanceof NeighEvent ne) {
                    if (s.dev == null || s.dev.equals(ne.dev())) {
                        s.sink.event(ne);
                        s.lastSeq = ne.seq();
                        written++;
                    }
                } else if (e instanceof AddressEvent a && (s.dev == null || s.dev.equals(a.dev().name()))) {
                    s.sink.address(a);
                    s.lastSeq = a.seq();
                    written++;
                } else if (e instanceof Notice n && (s.dev == null || s.dev.equals(n.dev()))) {
                    s.sink.notice(n);
                    written++;
                }
            }
            if (written > 0 || now - s.nextHeartbeat >= 0) {
                if (!s.sink.ready()) {
                    return notReady(s, published, now, written);
                }
                if (written == 0) {
                    s.sink.heartbeat();
                }
                s.sink.flush();
                s.nextHeartbeat = now + heartbeatNanos;
                s.notReadySince = 0;
            } else if (s.notReadySince != 0) {
                // nothing to send: a sink that took nothing is checked for a stall, one that can take more is fine
                return s.sink.ready() ? clearStall(s) : notReady(s, published, now, 0);
            }
            return false;
        }

        private boolean clearStall(Subscription s) {
            s.notReadySince = 0;
            return false;
        }

        private boolean notReady(Subscription s, long published, long now, int written) {
            if (written > 0 || s.notReadySince == 0) {
                s.notReadySince = now;
                return false;
            }
            if (now - s.notReadySince >= stallNanos) {
                return cut(s, Reason.STALLED, published - s.cursor, now);
            }
            return false;
        }

        private boolean cut(Subscription s, Reason reason, long behind, long now) {
            s.lost = new Lost(reason, behind, s.lastSeq);
            s.lostAt = now;
            cutOff.get(reason).incrementAndGet();
            dropped.addAndGet(behind);
            log.info("event subscriber cut off ({}, {} events behind)", reason.label(), behind);
            try {
                return finalEvent(s, now);
            } catch (IOException | RuntimeException e) {
                return true;
            }
        }

        /** The lost event, once the sink can take it; after {@link #LOST_GRACE} the stream just ends. */
        private boolean finalEvent(Subscription s, long now) throws IOException {
            if (s.sink.ready()) {
                s.sink.lost(s.lost);
                if (s.sink.ready()) {
                    s.sink.flush();
                }
                return true;
            }
            return now - s.lostAt >= LOST_GRACE.toNanos();
        }

        private void end(Subscription s) {
            subscribers.decrementAndGet();
            try {
                s.sink.closed();
            } catch (RuntimeException e) {
                log.debug("closing an event stream: {}", e.toString());
            }
        }

        void start() {
            Thread t = threadFactory.newThread(this);
            t.setName("neighd-events-" + index);
            thread = t;
            t.start();
        }

        void join() throws InterruptedException {
            Thread t = thread;
            if (t != null) {
                LockSupport.unpark(t);
                t.join(5_000);
            }
        }
    }

    // ------------------------------------------------------------------ lifecycle

    /** The delivery threads start here, before any event: the engine never causes a thread to be made. */
    @Override
    public void start() {
        running = true;
        for (Delivery d : deliveries) {
            d.start();
        }
        EngineAccess.await(service.loop().execute(nl -> nl.addListener(this)), EngineAccess.ENGINE_TIMEOUT);
    }

    /** Ends every stream before the web server waits for open requests to finish. */
    @Override
    public void onApplicationEvent(ContextClosedEvent event) {
        stopDelivery();
    }

    @Override
    public void stop() {
        try {
            service.loop().execute(nl -> nl.removeListener(this));
        } catch (RuntimeException e) {
            // the engine is going away too
        }
        stopDelivery();
    }

    private void stopDelivery() {
        if (!running) {
            return;
        }
        running = false;
        for (Delivery d : deliveries) {
            try {
                d.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Like the engine it listens to, it keeps running while a context is paused. */
    @Override
    public boolean isPauseable() {
        return false;
    }

    /** After the engine has started, before the web server takes requests. */
    @Override
    public int getPhase() {
        return service.getPhase() + 100;
    }
}
