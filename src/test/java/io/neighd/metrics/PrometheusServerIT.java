package io.neighd.metrics;

import io.neighd.deploy.AlertRules;
import io.neighd.wire.MacAddress;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A real Prometheus server (Debian's /usr/bin/prometheus) scrapes the service every second, and
 * neighd's series are read back through its query API: the exposition is not only well-formed
 * but ingested, with the names and labels the chart's dashboard and alerts query; and the
 * chart's alert rules load into it and evaluate against the service's series.
 *
 * <p>The server runs under {@code timeout}, so it cannot outlive the test by more than
 * {@link #LIFETIME} even if this JVM is killed; normally it is stopped in {@link #stopPrometheus}
 * by its PID, and the test checks that it is gone.
 */
class PrometheusServerIT extends MemoryLinkApplication {
    static final Duration LIFETIME = Duration.ofMinutes(5);
    static final Duration SCRAPED_WITHIN = Duration.ofSeconds(60);

    private static Process launcher;
    private static ProcessHandle server;
    private static Path workDir;
    private static int serverPort;
    private static Thread shutdownHook;

    private final JsonMapper json = JsonMapper.builder().build();

    @BeforeEach
    void startPrometheus() throws Exception {
        if (launcher != null) {
            return;
        }
        Path binary = ExternalTools.require("prometheus", "prometheus");
        Path timeout = ExternalTools.require("timeout", "coreutils");
        workDir = Files.createTempDirectory("neighd-prometheus-it");
        serverPort = freePort();
        Path config = workDir.resolve("prometheus.yml");
        AlertRules.write(workDir.resolve("rules.yml"));
        Files.writeString(config, """
                global:
                  scrape_interval: 1s
                  scrape_timeout: 1s
                  evaluation_interval: 1s
                rule_files:
                  - rules.yml
                scrape_configs:
                  - job_name: neighd
                    metrics_path: /actuator/prometheus
                    static_configs:
                      - targets: ['127.0.0.1:%d']
                """.formatted(port), StandardCharsets.UTF_8);
        launcher = new ProcessBuilder(timeout.toString(), "--kill-after=10", LIFETIME.toSeconds() + "s",
                binary.toString(),
                "--config.file=" + config,
                "--storage.tsdb.path=" + workDir.resolve("data"),
                "--storage.tsdb.retention.time=1h",
                "--web.listen-address=127.0.0.1:" + serverPort,
                "--log.level=warn")
                .directory(workDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(workDir.resolve("prometheus.log").toFile())
                .start();
        shutdownHook = new Thread(PrometheusServerIT::kill, "stop-prometheus");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
        await("prometheus started under timeout").atMost(Duration.ofSeconds(10))
                .until(() -> launcher.children().findFirst().isPresent() || !launcher.isAlive());
        assertThat(launcher.isAlive()).as("prometheus exited at once:\n" + log()).isTrue();
        server = launcher.children().findFirst().orElseThrow();
    }

    @AfterAll
    static void stopPrometheus() throws Exception {
        if (launcher == null) {
            return;
        }
        kill();
        Runtime.getRuntime().removeShutdownHook(shutdownHook);
        assertThat(server.isAlive()).as("prometheus (pid " + server.pid() + ") still running").isFalse();
        assertThat(launcher.isAlive()).as("timeout (pid " + launcher.pid() + ") still running").isFalse();
        try (Stream<Path> files = Files.walk(workDir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
        launcher = null;
    }

    /** SIGTERM to the server by its PID (timeout then exits with it), SIGKILL to both if they linger. */
    private static void kill() {
        List<ProcessHandle> all = new ArrayList<>();
        if (server != null) {
            all.add(server);
        }
        all.add(launcher.toHandle());
        all.forEach(ProcessHandle::destroy);
        for (ProcessHandle p : all) {
            try {
                p.onExit().get(10, TimeUnit.SECONDS);
            } catch (Exception e) {
                p.destroyForcibly();
                p.onExit().join();
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static String log() {
        try {
            return Files.readString(workDir.resolve("prometheus.log"), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /** GET /api/v1/query: the result vector. */
    private JsonNode query(String promql) throws Exception {
        URI uri = URI.create("http://127.0.0.1:" + serverPort + "/api/v1/query?query="
                + URLEncoder.encode(promql, StandardCharsets.UTF_8));
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(promql + ": " + r.body()).isEqualTo(200);
        JsonNode body = json.readTree(r.body());
        assertThat(body.path("status").asString()).isEqualTo("success");
        return body.path("data").path("result");
    }

    private int tableEntries() throws Exception {
        return service.loop().submit(nl -> nl.stats().arpCache().entries()).get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Test
    void prometheusScrapesTheServiceAndAnswersWithItsSeries() throws Exception {
        requestFrom("10.0.0.20", MacAddress.parse("02:bb:00:00:00:20"));
        requestFrom("10.0.0.21", MacAddress.parse("02:bb:00:00:00:21"));
        drainEngine();
        int entries = tableEntries();
        assertThat(entries).isGreaterThanOrEqualTo(2);

        await("neighd_arp_cache_entries through Prometheus' query API").atMost(SCRAPED_WITHIN)
                .pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                .untilAsserted(() -> {
                    assertThat(launcher.isAlive()).as("prometheus died:\n" + log()).isTrue();
                    JsonNode result = query("neighd_arp_cache_entries");
                    assertThat(result).hasSize(1);
                    assertThat(result.get(0).path("value").get(1).asString()).isEqualTo(String.valueOf(entries));
                });

        JsonNode series = query("neighd_arp_cache_entries").get(0).path("metric");
        assertThat(series.path("__name__").asString()).isEqualTo("neighd_arp_cache_entries");
        assertThat(series.path("job").asString()).isEqualTo("neighd");
        assertThat(series.path("instance").asString()).isEqualTo("127.0.0.1:" + port);
        assertThat(query("up{job=\"neighd\"}").get(0).path("value").get(1).asString()).isEqualTo("1");
        JsonNode stale = query("neighd_neighbour_entries{interface=\"nd0\",family=\"inet\",state=\"STALE\"}");
        assertThat(stale).hasSize(1);
        assertThat(Double.parseDouble(stale.get(0).path("value").get(1).asString())).isGreaterThanOrEqualTo(2);
    }

    /**
     * The chart's alert rules (rendered as a release named neighd, so they select job="neighd",
     * this scrape's job) load into the real server, every rule evaluates without error, their
     * series are the ones the service exposes, and nothing fires while the service is healthy.
     */
    @Test
    void theChartsAlertRulesLoadAndEvaluateAgainstTheService() throws Exception {
        await("the rule group evaluated").atMost(SCRAPED_WITHIN).pollInterval(Duration.ofMillis(500))
                .ignoreExceptions().untilAsserted(() -> {
                    JsonNode groups = get("/api/v1/rules").path("data").path("groups");
                    assertThat(groups).hasSize(1);
                    JsonNode g = groups.get(0);
                    assertThat(g.path("name").asString()).isEqualTo("neighd");
                    assertThat(g.path("lastEvaluation").asString()).doesNotStartWith("0001");
                    List<String> names = new ArrayList<>();
                    g.path("rules").forEach(r -> {
                        names.add(r.path("name").asString());
                        assertThat(r.path("health").asString()).as(r.path("name") + ": " + r.path("lastError"))
                                .isEqualTo("ok");
                        assertThat(r.path("lastEvaluation").asString()).as(r.path("name").asString())
                                .doesNotStartWith("0001");
                    });
                    assertThat(names).containsExactlyInAnyOrderElementsOf(AlertRules.names());
                    // the selectors reach the service's series: capturing is 1 on the memory link
                    assertThat(query("neighd_interface_capturing{job=\"neighd\"} == 1")).hasSize(1);
                    assertThat(query("up{job=\"neighd\"} == 1")).hasSize(1);
                });
        assertThat(query("ALERTS")).as("alerts of a healthy service").isEmpty();
    }

    private JsonNode get(String path) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + serverPort + path))
                .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(path + ": " + r.body()).isEqualTo(200);
        return json.readTree(r.body());
    }

    @Test
    void everyPromisedNameIsIngested() throws Exception {
        requestFrom("10.0.0.22", MacAddress.parse("02:bb:00:00:00:22"));
        drainEngine();

        await("every contract series name in Prometheus").atMost(SCRAPED_WITHIN)
                .pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                .untilAsserted(() -> {
                    Set<String> ingested = new HashSet<>();
                    query("count by (__name__) ({__name__=~\"neighd_.+\"})")
                            .forEach(r -> ingested.add(r.path("metric").path("__name__").asString()));
                    assertThat(ingested).containsAll(MetricsContract.names(DEV));
                });
        assertThat(query("histogram_quantile(0.5, sum by (le) (neighd_neighbour_resolution_seconds_bucket))"))
                .as("the resolution histogram is usable by histogram_quantile").hasSize(1);
    }
}
