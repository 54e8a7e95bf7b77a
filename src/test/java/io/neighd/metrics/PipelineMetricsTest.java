package io.neighd.metrics;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.neighd.engine.EngineLoop;
import io.neighd.service.EventStreamCounters;
import io.neighd.engine.RxPort;
import io.neighd.testkit.EngineFixture;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/** neighd_engine_frames_dropped_total and the event stream meters. */
class PipelineMetricsTest {
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    private double count(String meter) {
        return registry.get(meter).functionCounter().count();
    }

    @Test
    void framesBeyondTheEnginesBacklogAreCounted() {
        EngineFixture fx = new EngineFixture();
        // not started: nothing drains the queue, as if the engine thread had fallen far behind
        EngineLoop loop = new EngineLoop(fx.engine, false);
        new PipelineMetrics(loop, null).bindTo(registry);
        byte[] frame = EngineFixture.request(EngineFixture.PEER_MAC, "10.0.0.2", "10.0.0.1");
        RxPort nd0 = fx.engine.netlink().rxPort("nd0");

        for (int i = 0; i < EngineLoop.MAX_PENDING_FRAMES; i++) {
            loop.offerFrame(nd0, frame, frame.length);
        }
        assertThat(count("neighd.engine.frames.dropped")).isZero();

        loop.offerFrame(nd0, frame, frame.length);
        loop.offerFrame(nd0, frame, frame.length);
        assertThat(count("neighd.engine.frames.dropped")).isEqualTo(2);
    }

    @Test
    void theEventStreamMetersAreReadFromTheEventHub() {
        AtomicLong dropped = new AtomicLong();
        AtomicLong overrun = new AtomicLong();
        EventStreamCounters hub = new EventStreamCounters() {
            @Override
            public long droppedEvents() {
                return dropped.get();
            }

            @Override
            public long subscribersCutOff(String reason) {
                return reason.equals("overrun") ? overrun.get() : 0;
            }

            @Override
            public List<String> cutOffReasons() {
                return List.of("overrun", "stalled");
            }

            @Override
            public long subscribersRefused() {
                return 3;
            }

            @Override
            public int subscriberCount() {
                return 7;
            }
        };
        new PipelineMetrics(new EngineLoop(new EngineFixture().engine, false), hub).bindTo(registry);

        assertThat(count("neighd.events.dropped")).isZero();
        dropped.set(42);
        overrun.set(2);
        assertThat(count("neighd.events.dropped")).isEqualTo(42);
        assertThat(registry.get("neighd.events.subscribers.cut.off").tag("reason", "overrun").functionCounter().count())
                .isEqualTo(2);
        assertThat(registry.get("neighd.events.subscribers.cut.off").tag("reason", "stalled").functionCounter().count())
                .isZero();
        assertThat(count("neighd.events.subscribers.refused")).isEqualTo(3);
        assertThat(registry.get("neighd.events.subscribers").gauge().value()).isEqualTo(7);
    }

    @Test
    void withoutAnEventHubTheMetersExistAtZero() {
        new PipelineMetrics(new EngineLoop(new EngineFixture().engine, false), null).bindTo(registry);

        assertThat(count("neighd.events.dropped")).isZero();
        assertThat(count("neighd.events.subscribers.refused")).isZero();
        assertThat(registry.get("neighd.events.subscribers").gauge().value()).isZero();
    }
}
