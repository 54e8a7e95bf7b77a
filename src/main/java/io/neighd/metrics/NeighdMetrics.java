package io.neighd.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.neighd.engine.EngineLoop;
import io.neighd.service.NeighdService;
import org.springframework.context.SmartLifecycle;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Binds neighd's meters to the registry once the service has attached its interfaces (their
 * meters need the devices, which exist only then), before the web server takes scrapes.
 *
 * <p>The event listener is handed to the engine thread as soon as this bean exists, ahead of the
 * service's start: the engine loop runs its queue in order, so the listener is in place before the
 * first captured frame and no transition is missed.
 */
final class NeighdMetrics implements SmartLifecycle {
    /** After {@link NeighdService} (MIN + 1000) and before the web server (DEFAULT_PHASE - 1024). */
    static final int PHASE = Integer.MIN_VALUE + 2000;
    static final Duration ENGINE_TIMEOUT = Duration.ofSeconds(10);
    /** One walk of the table feeds every interface's arp_queue gauge for this long. */
    static final Duration ARP_QUEUE_MAX_AGE = Duration.ofSeconds(1);
    /** A scrape waits no longer than this for the walk; past it, the last figures are shown. */
    static final Duration ARP_QUEUE_TIMEOUT = Duration.ofMillis(250);

    private final NeighdService service;
    private final MeterRegistry registry;
    private final EventStreamCounters eventDrops;
    private final NeighbourEventMetrics events = new NeighbourEventMetrics();
    private List<MeterBinder> binders = List.of();
    private volatile boolean running;

    NeighdMetrics(NeighdService service, MeterRegistry registry, EventStreamCounters eventDrops) {
        this.service = service;
        this.registry = registry;
        this.eventDrops = eventDrops;
        events.bindTo(registry);
        service.loop().execute(e -> e.addListener(events));
    }

    /** Binds once: a restarted context finds its meters, which read the same engine, still bound. */
    @Override
    public void start() {
        if (!binders.isEmpty()) {
            running = true;
            return;
        }
        EngineLoop loop = service.loop();
        EngineRefs refs = await(loop.submit(EngineRefs::capture));
        events.register(refs.devices());
        ArpQueueSampler arpQueues = new ArpQueueSampler(() -> loop.submit(e -> ArpQueueSampler.count(e.table())),
                System::nanoTime, ARP_QUEUE_MAX_AGE, ARP_QUEUE_TIMEOUT);
        binders = List.of(
                new NeighbourTableMetrics(refs, arpQueues),
                new ArpPacketMetrics(refs),
                new LinkMetrics(service.links()),
                new PipelineMetrics(loop, eventDrops));
        binders.forEach(b -> b.bindTo(registry));
        running = true;
    }

    private static <T> T await(CompletableFuture<T> f) {
        try {
            return f.get(ENGINE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new IllegalStateException("metrics: the engine did not answer within " + ENGINE_TIMEOUT.toSeconds()
                    + " s", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("metrics: " + e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("metrics: interrupted while waiting for the engine", e);
        }
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
