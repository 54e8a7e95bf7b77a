package io.neighd.service;

import io.neighd.config.NeighdProperties;
import io.neighd.engine.AddressEvent;
import io.neighd.engine.EngineListener;
import io.neighd.engine.NeighEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationListener;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.stereotype.Component;

import java.util.ArrayDeque;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The {@code ip monitor neigh} of neighd: one {@link EngineListener} on the engine fans events out
 * to subscribers. The engine thread only appends to each subscriber's bounded buffer (dropping the
 * oldest event when it is full, and counting it); a sender thread per busy subscriber hands events
 * to its {@link Sink}, so a slow consumer never slows the engine. A subscriber that lost events is
 * told how many before its next event.
 */
@Component
public final class EventHub implements EngineListener, EventDropCounter, SmartLifecycle,
        ApplicationListener<ContextClosedEvent> {
    private static final Logger log = LoggerFactory.getLogger(EventHub.class);
    private static final long HEARTBEAT_SECONDS = 15;

    /**
     * Where a subscriber's events go; called on a sender thread, never the engine's. Throwing ends
     * the subscription.
     */
    public interface Sink {
        void event(NeighEvent e) throws Exception;

        /** {@code ip monitor address} for IPv6: an address added, changed (DAD passed or failed) or removed. */
        default void address(AddressEvent e) throws Exception {
        }

        /** {@code dropped} events were lost since the last signal ({@code total} over the subscription). */
        void dropped(long dropped, long total) throws Exception;

        /** Nothing to send for a while: lets the sink find out whether its consumer is gone. */
        default void heartbeat() throws Exception {
        }

        /** The subscription ended (closed by either side, or the service stops). */
        default void closed() {
        }
    }

    /** One subscriber: a bounded buffer and the sink it drains into. */
    public final class Subscription implements AutoCloseable {
        private final String dev;
        private final Sink sink;
        /** {@link NeighEvent}s and {@link AddressEvent}s, in the engine's order. */
        private final ArrayDeque<Object> buffer = new ArrayDeque<>();
        private long droppedPending;
        private long droppedTotal;
        private boolean draining;
        private boolean heartbeatDue;
        private boolean closed;

        private Subscription(String dev, Sink sink) {
            this.dev = dev;
            this.sink = sink;
        }

        /** Engine thread: append, dropping the oldest if full; never waits on the sink. */
        void offer(Object e) {
            String of = e instanceof NeighEvent n ? n.entry().dev() : ((AddressEvent) e).dev().name();
            if (dev != null && !dev.equals(of)) {
                return;
            }
            boolean start;
            synchronized (this) {
                if (closed) {
                    return;
                }
                if (buffer.size() >= capacity) {
                    buffer.pollFirst();
                    droppedPending++;
                    droppedTotal++;
                    dropped.incrementAndGet();
                }
                buffer.addLast(e);
                start = !draining;
                draining = true;
            }
            if (start) {
                dispatch(this::drain);
            }
        }

        private void drain() {
            while (true) {
                Object e;
                long lost;
                long total;
                boolean beat;
                synchronized (this) {
                    if (closed) {
                        draining = false;
                        return;
                    }
                    lost = droppedPending;
                    total = droppedTotal;
                    droppedPending = 0;
                    e = lost > 0 ? null : buffer.pollFirst();
                    beat = lost == 0 && e == null && heartbeatDue;
                    heartbeatDue = false;
                    if (lost == 0 && e == null && !beat) {
                        draining = false;
                        return;
                    }
                }
                try {
                    if (lost > 0) {
                        sink.dropped(lost, total);
                    } else if (e instanceof NeighEvent n) {
                        sink.event(n);
                    } else if (e != null) {
                        sink.address((AddressEvent) e);
                    } else {
                        sink.heartbeat();
                    }
                } catch (Exception ex) {
                    log.debug("event subscriber gone: {}", ex.toString());
                    close();
                    return;
                }
            }
        }

        /** Asks the sender to probe an idle consumer; a busy one is probed by its events. */
        private void heartbeat() {
            synchronized (this) {
                if (closed || draining) {
                    return;
                }
                heartbeatDue = true;
                draining = true;
            }
            dispatch(this::drain);
        }

        /** Events this subscriber lost because its buffer was full. */
        public synchronized long droppedTotal() {
            return droppedTotal;
        }

        @Override
        public void close() {
            synchronized (this) {
                if (closed) {
                    return;
                }
                closed = true;
                buffer.clear();
            }
            subscribers.remove(this);
            sink.closed();
        }
    }

    private final EngineRuntime service;
    private final int capacity;
    private final Set<Subscription> subscribers = ConcurrentHashMap.newKeySet();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicInteger threads = new AtomicInteger();
    private final ExecutorService senders = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "neighd-events-" + threads.incrementAndGet());
        t.setDaemon(true);
        return t;
    });
    private final ScheduledExecutorService heartbeats = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "neighd-events-heartbeat");
        t.setDaemon(true);
        return t;
    });
    private volatile boolean running;

    public EventHub(EngineRuntime service, NeighdProperties props) {
        this.service = service;
        this.capacity = props.events().buffer();
        if (capacity < 1) {
            throw new IllegalArgumentException("neighd.events.buffer: " + capacity + " is too small (at least 1)");
        }
    }

    /**
     * Subscribes to events of interface {@code dev} (every interface if null). Events flow until
     * the subscription is closed, its sink throws, or the service stops.
     *
     * @throws ServiceException {@code UNKNOWN_INTERFACE} if neighd is not attached to {@code dev}
     */
    public Subscription subscribe(String dev, Sink sink) {
        if (dev != null && !service.links().containsKey(dev)) {
            throw new ServiceException(ServiceException.Kind.UNKNOWN_INTERFACE, "no interface named '" + dev
                    + "' (known: " + String.join(", ", service.links().keySet()) + ")", "dev", dev);
        }
        Subscription s = new Subscription(dev, sink);
        subscribers.add(s);
        return s;
    }

    /** Events lost by all subscribers together because their buffers were full (neighd_events_dropped_total). */
    @Override
    public long droppedEvents() {
        return dropped.get();
    }

    public int subscriberCount() {
        return subscribers.size();
    }

    /** Engine thread. */
    @Override
    public void event(NeighEvent e) {
        for (Subscription s : subscribers) {
            s.offer(e);
        }
    }

    /** Engine thread. */
    @Override
    public void address(AddressEvent e) {
        for (Subscription s : subscribers) {
            s.offer(e);
        }
    }

    private void dispatch(Runnable r) {
        try {
            senders.execute(r);
        } catch (RejectedExecutionException e) {
            // stopping: the subscriptions are being closed
        }
    }

    // ------------------------------------------------------------------ lifecycle

    @Override
    public void start() {
        EngineAccess.await(service.loop().execute(nl -> nl.addListener(this)), EngineAccess.ENGINE_TIMEOUT);
        heartbeats.scheduleWithFixedDelay(() -> subscribers.forEach(Subscription::heartbeat), HEARTBEAT_SECONDS,
                HEARTBEAT_SECONDS, TimeUnit.SECONDS);
        running = true;
    }

    /** Ends every stream before the web server waits for open requests to finish. */
    @Override
    public void onApplicationEvent(ContextClosedEvent event) {
        closeAll();
    }

    @Override
    public void stop() {
        running = false;
        try {
            service.loop().execute(nl -> nl.removeListener(this));
        } catch (RuntimeException e) {
            // the engine is going away too
        }
        closeAll();
        heartbeats.shutdownNow();
        senders.shutdownNow();
    }

    private void closeAll() {
        for (Subscription s : List.copyOf(subscribers)) {
            s.close();
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
