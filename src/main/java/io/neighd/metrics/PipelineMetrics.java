package io.neighd.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.neighd.engine.EngineLoop;
import io.neighd.service.EventDropCounter;

/**
 * What neighd itself refused because a consumer fell behind: frames the engine thread could not
 * take ({@link EngineLoop#MAX_PENDING_FRAMES} waiting) and events a slow subscriber missed.
 */
final class PipelineMetrics implements MeterBinder {
    /** Held here so the weakly referenced meter object outlives the binder. */
    static final EventDropCounter NO_EVENT_HUB = () -> 0;

    private final EngineLoop loop;
    private final EventDropCounter events;

    PipelineMetrics(EngineLoop loop, EventDropCounter events) {
        this.loop = loop;
        this.events = events == null ? NO_EVENT_HUB : events;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        FunctionCounter.builder("neighd.engine.frames.dropped", loop, EngineLoop::framesDropped)
                .description("Captured frames dropped because the engine thread was too far behind")
                .register(registry);
        FunctionCounter.builder("neighd.events.dropped", events, EventDropCounter::droppedEvents)
                .description("Neighbour events (ip monitor neigh) dropped for subscribers that fell behind")
                .register(registry);
    }
}
