package io.neighd.metrics;

import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.CountAtBucket;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.neighd.neighbour.NudState;
import io.neighd.wire.IpAddress;
import io.neighd.testkit.EngineFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static io.neighd.testkit.EngineFixture.PEER_MAC;
import static io.neighd.testkit.EngineFixture.reply;
import static io.neighd.testkit.EngineFixture.request;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * neighd_neighbour_transitions_total, neighd_neighbour_resolution_seconds and
 * neighd_neighbour_resolution_failures_total, fed by the engine's listener callbacks as a
 * resolution runs on the manual clock.
 */
class NeighbourEventMetricsTest {
    private final EngineFixture fx = new EngineFixture();
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final NeighbourEventMetrics metrics = new NeighbourEventMetrics();

    @BeforeEach
    void bind() {
        metrics.bindTo(registry);
        metrics.register(java.util.List.of("nd0"));
        fx.engine.addListener(metrics);
    }

    private double transitions(NudState from, NudState to) {
        var c = registry.find("neighd.neighbour.transitions")
                .tags("interface", "nd0", "family", "inet", "from", from.name(), "to", to.name()).counter();
        return c == null ? 0 : c.count();
    }

    private Timer resolution() {
        return registry.get("neighd.neighbour.resolution").tags("interface", "nd0", "family", "inet").timer();
    }

    private double failures() {
        return registry.get("neighd.neighbour.resolution.failures").tags("interface", "nd0", "family", "inet").counter().count();
    }

    @Test
    void resolutionMetersExistAtZeroBeforeAnyResolution() {
        assertThat(resolution().count()).isZero();
        assertThat(failures()).isZero();
        Scrape scrape = Scrape.parse(registry.scrape());
        assertThat(scrape.value("neighd_neighbour_resolution_seconds_count", "interface", "nd0", "family", "inet")).contains(0.0);
        assertThat(scrape.value("neighd_neighbour_resolution_failures_total", "interface", "nd0", "family", "inet")).contains(0.0);
        assertThat(scrape.text()).doesNotContain("interface=\"lo\"");
    }

    @Test
    void aResolutionIsTimedFromIncompleteToReachable() {
        fx.send("10.0.0.1", "10.0.0.9");
        fx.advanceMs(3);
        fx.receive(reply(PEER_MAC, "10.0.0.9", "10.0.0.1"));

        assertThat(resolution().count()).isEqualTo(1);
        assertThat(resolution().totalTime(TimeUnit.MICROSECONDS)).isEqualTo(3000);
        assertThat(transitions(NudState.NONE, NudState.INCOMPLETE)).isEqualTo(1);
        assertThat(transitions(NudState.INCOMPLETE, NudState.REACHABLE)).isEqualTo(1);

        Scrape scrape = Scrape.parse(registry.scrape());
        assertThat(scrape.value("neighd_neighbour_resolution_seconds_bucket", "interface", "nd0", "family", "inet", "le", "0.0025"))
                .contains(0.0);
        assertThat(scrape.value("neighd_neighbour_resolution_seconds_bucket", "interface", "nd0", "family", "inet", "le", "0.005"))
                .contains(1.0);
        assertThat(scrape.value("neighd_neighbour_transitions_total", "interface", "nd0", "family", "inet", "from", "INCOMPLETE", "to",
                "REACHABLE")).contains(1.0);
    }

    @Test
    void histogramBucketsSpanHalfAMillisecondToTenSeconds() {
        List<Double> bounds = Arrays.stream(resolution().takeSnapshot().histogramCounts())
                .map(CountAtBucket::bucket).map(ns -> ns / 1e9).toList();

        assertThat(bounds).containsExactly(0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5,
                5.0, 10.0);
    }

    @Test
    void aResolutionWithoutAnswerFails() {
        fx.send("10.0.0.1", "10.0.0.9");
        fx.advanceJiffies(753);
        assertThat(fx.state("10.0.0.9")).isEqualTo(NudState.FAILED);

        assertThat(failures()).isEqualTo(1);
        assertThat(resolution().count()).isZero();
        assertThat(transitions(NudState.INCOMPLETE, NudState.FAILED)).isEqualTo(1);
    }

    @Test
    void learningFromARequestIsATransitionButNoResolution() {
        fx.receive(request(PEER_MAC, "10.0.0.2", "10.0.0.1"));

        assertThat(transitions(NudState.NONE, NudState.STALE)).isEqualTo(1);
        assertThat(resolution().count()).isZero();
    }

    @Test
    void loopbackIsNotCounted() {
        var lo = fx.engine.device("lo").id();
        metrics.transition(lo, IpAddress.AF_INET, NudState.NONE, NudState.NOARP);
        metrics.resolved(lo, IpAddress.AF_INET, 1000);
        metrics.resolutionFailed(lo, IpAddress.AF_INET6);

        assertThat(registry.find("neighd.neighbour.transitions").tag("interface", "lo").counters()).isEmpty();
        assertThat(registry.find("neighd.neighbour.resolution").tag("interface", "lo").timers()).isEmpty();
    }

    @Test
    void interfacesAddedLaterGetTheirMetersOnFirstUse() {
        var nd1 = fx.addInterface("nd1", 3, EngineFixture.OTHER_MAC, "10.1.0.1/24");
        fx.receive(nd1, request(PEER_MAC, "10.1.0.2", "10.1.0.1"));

        assertThat(registry.get("neighd.neighbour.transitions")
                .tags("interface", "nd1", "family", "inet", "from", "NONE", "to", "STALE").counter().count()).isEqualTo(1);
        assertThat(registry.get("neighd.neighbour.resolution.failures").tags("interface", "nd1", "family", "inet").counter().count())
                .isZero();
    }
}
