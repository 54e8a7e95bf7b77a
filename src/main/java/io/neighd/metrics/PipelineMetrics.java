package io.neighd.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.neighd.engine.EngineFaults;
import io.neighd.engine.EngineLoop;
import io.neighd.service.EventStreamCounters;

/**
 * What neighd itself refused because a consumer fell behind or came in too many: frames the
 * engine thread could not take ({@link EngineLoop#MAX_PENDING_FRAMES} waiting), and on the event
 * streams the subscribers open, refused and cut off, and the events the cut-off ones missed; and
 * the failures the engine survived, by where ({@link EngineFaults}).
 */
final class PipelineMetrics implements MeterBinder {
    private final EngineLoop loop;
    private final EventStreamCounters events;

    PipelineMetrics(EngineLoop loop, EventStreamCounters events) {
        this.loop = loop;
        this.events = events == null ? EventStreamCounters.NONE : events;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        FunctionCounter.builder("neighd.engine.frames.dropped", loop, EngineLoop::framesDropped)
                .description("Captured frames dropped because the engine thread was too far behind")
                .register(registry);
        FunctionCounter.builder("neighd.events.dropped", events, EventStreamCounters::droppedEvents)
                .description("Neighbour events (ip monitor neigh) not sent to subscribers that were cut off")
                .register(registry);
        for (String reason : events.cutOffReasons()) {
            FunctionCounter.builder("neighd.events.subscribers.cut.off", events, e -> e.subscribersCutOff(reason))
                    .description("Event subscribers cut off with a lost event: overrun (more than "
                            + "neighd.events.buffer behind) or stalled (took nothing for neighd.events.stall-timeout)")
                    .tag("reason", reason)
                    .register(registry);
        }
        FunctionCounter.builder("neighd.events.subscribers.refused", events, EventStreamCounters::subscribersRefused)
                .description("Event subscriptions refused because neighd.events.max-subscribers streams were open")
                .register(registry);
        Gauge.builder("neighd.events.subscribers", events, EventStreamCounters::subscriberCount)
                .description("Open event streams (GET /api/v1/events)")
                .register(registry);
        EngineFaults faults = loop.faults();
        for (EngineFaults.Where w : EngineFaults.Where.values()) {
            FunctionCounter.builder("neighd.engine.failures", faults, f -> f.count(w))
                    .description("Failures the engine caught and survived (each a defect to report), by where: "
                            + "frame, frame_source, timer, command, listener, transmit")
                    .tag("where", w.label())
                    .register(registry);
        }
    }
}
