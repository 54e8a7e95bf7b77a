package io.neighd.metrics;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.neighd.neighbour.NudState;
import io.neighd.testkit.EngineFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static io.neighd.testkit.EngineFixture.OTHER_MAC;
import static io.neighd.testkit.EngineFixture.PEER_MAC;
import static io.neighd.testkit.EngineFixture.reply;
import static io.neighd.testkit.EngineFixture.request;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * neighd_neighbour_entries, neighd_arp_cache_*, neighd_proxy_queue_packets and
 * neighd_arp_queue_packets over a real engine on a manual clock. The test thread owns the
 * engine, so the arp_queue walk runs in place.
 */
class NeighbourTableMetricsTest {
    private final EngineFixture fx = new EngineFixture();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final AtomicLong scrapeNanos = new AtomicLong();
    private final AtomicInteger walks = new AtomicInteger();

    @BeforeEach
    void bind() {
        ArpQueueSampler sampler = new ArpQueueSampler(() -> {
            walks.incrementAndGet();
            return CompletableFuture.completedFuture(fx.engine.netlink().queuedPackets());
        }, scrapeNanos::get, Duration.ofSeconds(1), Duration.ofMillis(250));
        ArpQueueSampler ndisc = new ArpQueueSampler(() -> CompletableFuture.completedFuture(
                fx.engine.netlink().queuedPackets(io.neighd.wire.IpAddress.AF_INET6)), scrapeNanos::get,
                Duration.ofSeconds(1), Duration.ofMillis(250));
        new NeighbourTableMetrics(fx.engine::snapshot, java.util.List.of("nd0"), sampler, ndisc).bindTo(registry);
    }

    private double entries(NudState s) {
        return registry.get("neighd.neighbour.entries").tags("interface", "nd0", "family", "inet", "state", s.name()).gauge().value();
    }

    private double column(String name) {
        return registry.get("neighd.arp.cache." + name).functionCounter().count();
    }

    private double arpQueue() {
        return registry.get("neighd.arp.queue.packets").tag("interface", "nd0").gauge().value();
    }

    /** A scrape later than the sampler's max age. */
    private void nextScrape() {
        scrapeNanos.addAndGet(Duration.ofSeconds(2).toNanos());
    }

    @Test
    void everyStateOfEveryInterfaceIsASeriesFromTheStart() {
        assertThat(registry.find("neighd.neighbour.entries").gauges()).as("per family")
                .hasSize(2 * NudState.ALL.size());
        assertThat(registry.find("neighd.neighbour.entries").tag("interface", "lo").gauges())
                .as("loopback is no configured interface").isEmpty();
        assertThat(NudState.ALL).allSatisfy(s -> assertThat(entries(s)).isZero());
        assertThat(registry.get("neighd.arp.cache.entries").gauge().value()).isZero();
    }

    @Test
    void entriesFollowTheTableByState() {
        fx.receive(request(PEER_MAC, "10.0.0.2", "10.0.0.1"));
        fx.receive(request(OTHER_MAC, "10.0.0.3", "10.0.0.1"));
        assertThat(entries(NudState.STALE)).isEqualTo(2);
        assertThat(registry.get("neighd.arp.cache.entries").gauge().value()).isEqualTo(2);

        fx.send("10.0.0.1", "10.0.0.4");
        assertThat(entries(NudState.INCOMPLETE)).isEqualTo(1);
        fx.receive(reply(PEER_MAC, "10.0.0.4", "10.0.0.1"));
        assertThat(entries(NudState.INCOMPLETE)).isZero();
        assertThat(entries(NudState.REACHABLE)).isEqualTo(1);
        assertThat(registry.get("neighd.arp.cache.entries").gauge().value()).isEqualTo(3);
        assertThat(column("allocs")).isEqualTo(3);
    }

    @Test
    void gcThreshFollowsTheSysctl() {
        fx.sysctl("net.ipv4.neigh.default.gc_thresh1", 64);
        fx.sysctl("net.ipv4.neigh.default.gc_thresh2", 256);
        fx.sysctl("net.ipv4.neigh.default.gc_thresh3", 2048);

        assertThat(registry.get("neighd.arp.cache.gc.thresh").tag("level", "1").gauge().value()).isEqualTo(64);
        assertThat(registry.get("neighd.arp.cache.gc.thresh").tag("level", "2").gauge().value()).isEqualTo(256);
        assertThat(registry.get("neighd.arp.cache.gc.thresh").tag("level", "3").gauge().value()).isEqualTo(2048);
    }

    @Test
    void arpCacheColumnsAreTheNeighStatistics() {
        fx.send("10.0.0.1", "10.0.0.9");
        fx.advanceJiffies(753);
        assertThat(fx.state("10.0.0.9")).isEqualTo(NudState.FAILED);

        assertThat(column("allocs")).isEqualTo(fx.engine.stats().allocs).isEqualTo(1);
        assertThat(column("res.failed")).isEqualTo(1);
        assertThat(column("lookups")).isEqualTo(fx.engine.stats().lookups).isPositive();
        assertThat(registry.find("neighd.arp.cache.hits").functionCounter()).isNotNull();
        assertThat(Arrays.asList("allocs", "destroys", "hash.grows", "lookups", "hits", "res.failed",
                "rcv.probes.mcast", "rcv.probes.ucast", "periodic.gc.runs", "forced.gc.runs", "unresolved.discards",
                "table.fulls")).allSatisfy(c -> assertThat(registry.find("neighd.arp.cache." + c).functionCounter())
                .as(c).isNotNull());
    }

    @Test
    void unresolvedDiscardsCountPacketsPushedOutOfAFullQueue() {
        fx.sysctl("net.ipv4.neigh.nd0.unres_qlen_bytes", 1);
        fx.send("10.0.0.1", "10.0.0.9");
        fx.send("10.0.0.1", "10.0.0.9");

        assertThat(column("unresolved.discards")).isEqualTo(1);
    }

    @Test
    void arpQueueCountsPacketsWaitingForResolution() {
        assertThat(arpQueue()).isZero();

        nextScrape();
        fx.send("10.0.0.1", "10.0.0.9");
        fx.send("10.0.0.1", "10.0.0.9");
        fx.send("10.0.0.1", "10.0.0.8");
        assertThat(arpQueue()).isEqualTo(3);

        nextScrape();
        fx.receive(reply(PEER_MAC, "10.0.0.9", "10.0.0.1"));
        assertThat(arpQueue()).as("10.0.0.9 resolved: its two packets went out").isEqualTo(1);
    }

    @Test
    void oneWalkServesEveryScrapeWithinMaxAge() {
        fx.send("10.0.0.1", "10.0.0.9");
        assertThat(arpQueue()).isEqualTo(1);
        fx.send("10.0.0.1", "10.0.0.9");
        assertThat(arpQueue()).as("within max age: the last walk").isEqualTo(1);
        assertThat(walks).hasValue(1);

        nextScrape();
        assertThat(arpQueue()).isEqualTo(2);
        assertThat(walks).hasValue(2);
    }

    @Test
    void anEngineThatDoesNotAnswerInTimeYieldsTheLastFigures() {
        CompletableFuture<Map<String, Long>> slow = new CompletableFuture<>();
        AtomicInteger calls = new AtomicInteger();
        ArpQueueSampler sampler = new ArpQueueSampler(
                () -> calls.getAndIncrement() == 0 ? CompletableFuture.completedFuture(Map.of("nd0", 5L)) : slow,
                scrapeNanos::get, Duration.ofSeconds(1), Duration.ofMillis(10));
        assertThat(sampler.queued("nd0")).isEqualTo(5);

        nextScrape();
        assertThat(sampler.queued("nd0")).as("timed out: last figures").isEqualTo(5);
        assertThat(sampler.queued("nd0")).as("the walk still pending is awaited again, not queued twice").isEqualTo(5);
        assertThat(calls).hasValue(2);

        slow.complete(Map.of("nd0", 7L));
        assertThat(sampler.queued("nd0")).isEqualTo(7);
    }

    @Test
    void proxyQueueFollowsTheTable() {
        fx.sysctl("net.ipv4.conf.nd0.forwarding", 1);
        fx.sysctl("net.ipv4.conf.nd0.proxy_arp", 1);
        fx.addInterface("nd1", 3, EngineFixture.OTHER_MAC, "10.1.0.1/24");
        fx.random.next(50);

        fx.receive(request(PEER_MAC, "10.0.0.2", "10.1.0.5"));
        assertThat(registry.get("neighd.proxy.queue.packets").tag("family", "inet").gauge().value()).isEqualTo(1);

        fx.advanceJiffies(51);
        assertThat(registry.get("neighd.proxy.queue.packets").tag("family", "inet").gauge().value()).isZero();
    }

    @Test
    void tableFullsCountRefusedCreations() {
        fx.sysctl("net.ipv4.neigh.default.gc_thresh3", 1);
        fx.receive(request(PEER_MAC, "10.0.0.2", "10.0.0.1"));
        fx.send("10.0.0.1", "10.0.0.9");

        assertThat(column("table.fulls")).isEqualTo(fx.engine.stats().tableFulls).isEqualTo(1);
    }
}
