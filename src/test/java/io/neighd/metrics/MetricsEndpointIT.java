package io.neighd.metrics;

import io.neighd.engine.ResolveOutcome;
import io.neighd.engine.Engine;
import io.neighd.wire.MacAddress;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.test.annotation.DirtiesContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The whole service on a memory link: {@code /actuator/prometheus} keeps the metrics contract,
 * values move as frames go through, promtool accepts the scrape, and the probes say what they
 * should (readiness follows capture; liveness does not).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MetricsEndpointIT extends MemoryLinkApplication {
    private static final MacAddress PEER_MAC = MacAddress.parse("02:bb:00:00:00:02");
    private final JsonMapper json = JsonMapper.builder().build();

    @Test
    @Order(1)
    void theScrapeKeepsTheContract() throws Exception {
        requestFrom("10.0.0.2", PEER_MAC);
        peer("10.0.0.3", MacAddress.parse("02:bb:00:00:00:03"));
        assertThat(resolve("10.0.0.3")).isEqualTo(ResolveOutcome.VALID);
        drainEngine();

        MetricsContract.assertHonouredBy(scrape(), DEV);
    }

    @Test
    @Order(2)
    void valuesMoveAsFramesGoThrough() throws Exception {
        Scrape before = scrape();
        requestFrom("10.0.0.4", MacAddress.parse("02:bb:00:00:00:04"));
        peer("10.0.0.5", MacAddress.parse("02:bb:00:00:00:05"));
        assertThat(resolve("10.0.0.5")).isEqualTo(ResolveOutcome.VALID);
        drainEngine();
        Scrape after = scrape();

        assertThat(delta(before, after, "neighd_arp_packets_received_total", "interface", DEV, "op", "request"))
                .isEqualTo(1);
        assertThat(delta(before, after, "neighd_arp_packets_received_total", "interface", DEV, "op", "reply"))
                .isEqualTo(1);
        assertThat(delta(before, after, "neighd_arp_packets_sent_total", "interface", DEV, "op", "reply"))
                .isEqualTo(1);
        assertThat(delta(before, after, "neighd_arp_packets_sent_total", "interface", DEV, "op", "request"))
                .isEqualTo(1);
        assertThat(delta(before, after, "neighd_arp_cache_entries")).isEqualTo(2);
        assertThat(delta(before, after, "neighd_neighbour_entries", "interface", DEV, "family", "inet", "state", "STALE")).isEqualTo(1);
        assertThat(delta(before, after, "neighd_neighbour_entries", "interface", DEV, "family", "inet", "state", "REACHABLE"))
                .isEqualTo(1);
        assertThat(delta(before, after, "neighd_neighbour_resolution_seconds_count", "interface", DEV, "family", "inet"))
                .isEqualTo(1);
        assertThat(delta(before, after, "neighd_neighbour_transitions_total", "interface", DEV, "family", "inet",
                "from", "INCOMPLETE", "to", "REACHABLE")).isEqualTo(1);
        assertThat(delta(before, after, "neighd_capture_packets_received_total", "interface", DEV)).isEqualTo(2);
        assertThat(after.value("neighd_interface_capturing", "interface", DEV)).contains(1.0);
    }

    private static double delta(Scrape before, Scrape after, String name, String... labels) {
        return after.value(name, labels).orElseThrow() - before.value(name, labels).orElse(0.0);
    }

    @Test
    @Order(3)
    void promtoolAcceptsTheScrape() throws Exception {
        Path promtool = ExternalTools.require("promtool", "prometheus");
        byte[] scrape = scrapeText().getBytes(StandardCharsets.UTF_8);

        Process p = new ProcessBuilder(promtool.toString(), "check", "metrics").redirectErrorStream(true).start();
        try (var in = p.getOutputStream()) {
            in.write(scrape);
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).as("promtool finished").isTrue();
        assertThat(p.exitValue()).as("promtool check metrics:\n" + out).isZero();
        assertThat(out).isBlank();
    }

    @Test
    @Order(4)
    void livenessAndReadinessAreUpWhileEveryInterfaceCaptures() throws Exception {
        HttpResponse<String> live = get("/actuator/health/liveness", "application/json");
        HttpResponse<String> ready = get("/actuator/health/readiness", "application/json");

        assertThat(live.statusCode()).isEqualTo(200);
        assertThat(ready.statusCode()).as(ready.body()).isEqualTo(200);
        JsonNode links = json.readTree(ready.body()).path("components").path("links");
        assertThat(links.path("status").asString()).isEqualTo("UP");
        assertThat(links.path("details").path(DEV).path("capturing").asBoolean()).isTrue();
        assertThat(json.readTree(ready.body()).path("components").propertyNames())
                .containsExactlyInAnyOrder("readinessState", "links");
    }

    @Test
    @Order(5)
    @DirtiesContext
    void readinessGoesDownWhenAnInterfaceStopsCapturingAndLivenessStaysUp() throws Exception {
        link().close();

        HttpResponse<String> ready = get("/actuator/health/readiness", "application/json");
        HttpResponse<String> live = get("/actuator/health/liveness", "application/json");

        assertThat(ready.statusCode()).as(ready.body()).isEqualTo(503);
        JsonNode body = json.readTree(ready.body());
        assertThat(body.path("status").asString()).isEqualTo("DOWN");
        JsonNode nd0 = body.path("components").path("links").path("details").path(DEV);
        assertThat(nd0.path("capturing").asBoolean()).isFalse();
        assertThat(nd0.path("problem").asString()).isEqualTo("not started");
        assertThat(live.statusCode()).as(live.body()).isEqualTo(200);
        assertThat(scrape().value("neighd_interface_capturing", "interface", DEV)).contains(0.0);
        assertThat(List.of(get("/actuator/health", "application/json").statusCode())).containsExactly(503);
    }

    /** Issue 10, defect 4: the engine thread's death fails the liveness probe, so the kubelet restarts neighd. */
    @Test
    @Order(6)
    @DirtiesContext
    void livenessGoesDownWhenTheEngineThreadDies() throws Exception {
        HttpResponse<String> before = get("/actuator/health/liveness", "application/json");
        assertThat(before.statusCode()).as(before.body()).isEqualTo(200);
        assertThat(json.readTree(before.body()).path("components").propertyNames())
                .containsExactlyInAnyOrder("livenessState", "engine");

        service.loop().submit(nl -> {
            throw new OutOfMemoryError("simulated");
        }).exceptionally(t -> null).get(5, TimeUnit.SECONDS);
        HttpResponse<String> after = get("/actuator/health/liveness", "application/json");
        for (int i = 0; i < 50 && after.statusCode() == 200; i++) {
            Thread.sleep(100);
            after = get("/actuator/health/liveness", "application/json");
        }

        assertThat(after.statusCode()).as(after.body()).isEqualTo(503);
        JsonNode engine = json.readTree(after.body()).path("components").path("engine");
        assertThat(engine.path("status").asString()).isEqualTo("DOWN");
        assertThat(engine.path("details").path("problem").asString()).contains("died", "OutOfMemoryError");
    }
}
