package io.neighd.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.neighd.engine.EngineLoop;
import io.neighd.service.EngineRuntime;
import io.neighd.service.EventStreamCounters;
import io.neighd.engine.Netlink;
import org.springframework.context.SmartLifecycle;

import java.time.Duration;
import java.util.List;

/**
 * Binds neighd's meters to the registry once the service has attached its interfaces (their
 * meters need the devices, which exist only then), before the web server takes scrapes.
 *
 * <p>The event listener is handed to the engine thread as soon as this bean exists, ahead of the
 * service's start: the engine loop runs its queue in order, so the listener is in place before the
 * first captured frame and no transition is missed.
 */
final class NeighdMetrics implements SmartLifecycle {
    /** After {@link EngineRuntime} (MIN + 1000) and before the web server (DEFAULT_PHASE - 1024). */
    static final int PHASE = Integer.MIN_VALUE + 2000;
    /** One walk of the table feeds every interface's arp_queue gauge for this long. */
    static final Duration ARP_QUEUE_MAX_AGE = Duration.ofSeconds(1);
    /** A scrape waits no longer than this for the walk; past it, the last figures are shown. */
    static final Duration ARP_QUEUE_TIMEOUT = Duration.ofMillis(250);

    private final EngineRuntime service;
    private final MeterRegistry registry;
    private final EventStreamCounters eventDrops;
    private final NeighbourEventMetrics events = new NeighbourEventMetrics();
    private List<MeterBinder> binders = List.of();
    private volatile boolean running;

    NeighdMetrics(EngineRuntime service, MeterRegistry registry, EventStreamCounters eventDrops) {
        this.service = service;
        this.registry = registry;
        this.eventDrops = eventDrops;
        events.bindTo(registry);
        service.loop().execute(nl -> nl.addListener(events));
    }

    /** Binds once: a restarted context finds its meters, which read the same engine, still bound. */
    @Override
    public void start() {
        if (!binders.isEmpty()) {
            running = true;
            return;
        }
        EngineLoop loop = service.loop();
        List<String> interfaces = List.copyOf(service.links().keySet());
        events.register(interfaces);
        ArpQueueSampler arpQueues = new ArpQueueSampler(() -> loop.submit(Netlink::queuedPackets),
                System::nanoTime, ARP_QUEUE_MAX_AGE, ARP_QUEUE_TIMEOUT);
        ArpQueueSampler ndiscQueues = new ArpQueueSampler(
                () -> loop.submit(nl -> nl.queuedPackets(io.neighd.wire.IpAddress.AF_INET6)), System::nanoTime,
                ARP_QUEUE_MAX_AGE, ARP_QUEUE_TIMEOUT);
        binders = List.of(
                new NeighbourTableMetrics(loop::published, interfaces, arpQueues, ndiscQueues),
                new ArpPacketMetrics(loop::published, interfaces),
                new NdiscPacketMetrics(loop::published, interfaces),
                new LinkMetrics(service.links()),
                new PipelineMetrics(loop, eventDrops));
        binders.forEach(b -> b.bindTo(registry));
        running = true;
    }


    @Override
    public void stop() {
        running = false;
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return PHASE;
    }
}
