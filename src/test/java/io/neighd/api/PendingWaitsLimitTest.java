package io.neighd.api;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code neighd.api.max-pending-waits}: neighd's own bound on resolves and pings waiting at once
 * (before, only Tomcat's max-connections bounded them). With 3, three resolves to addresses nobody
 * answers fill it; a fourth resolve and a ping are refused at once, 503 {@code too-many-waits} as
 * a problem with Retry-After, nothing started (no fourth entry), each counted in
 * {@code neighd_api_waits_refused_total}; once the waits end (504 at their timeout) the slots are
 * free again.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "neighd.interfaces[0].name=nd0",
        "neighd.interfaces[0].memory=true",
        "neighd.interfaces[0].mac=02:aa:00:00:00:01",
        "neighd.interfaces[0].addresses[0]=10.77.0.1/24",
        "neighd.sysctl.net.ipv4.neigh.nd0.retrans_time_ms=20000",
        "neighd.state-file=",
        "neighd.api.token=" + PendingWaitsLimitTest.TOKEN,
        "neighd.api.max-pending-waits=3"})
class PendingWaitsLimitTest {
    static final String TOKEN = "waits-limit-token-0123";
    private static final long TIMEOUT_MS = 3_000;

    @LocalServerPort
    int port;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void beyondTheBoundAWaitIsRefused503WithRetryAfterAndCounted() throws Exception {
        List<CompletableFuture<HttpResponse<String>>> waiting = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            waiting.add(http.sendAsync(post("/api/v1/neighbours/nd0/10.77.0." + (100 + i) + "/resolve?timeout_ms="
                    + TIMEOUT_MS, null), HttpResponse.BodyHandlers.ofString()));
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (incomplete() < 3 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(incomplete()).as("the three resolves under way").isEqualTo(3);
        assertThat(metric("neighd_api_waits_pending")).isEqualTo(3);

        HttpResponse<String> resolve = http.send(post("/api/v1/neighbours/nd0/10.77.0.200/resolve?timeout_ms="
                + TIMEOUT_MS, null), HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> ping = http.send(post("/api/v1/ping", "{\"dst\":\"10.77.0.201\",\"count\":1}"),
                HttpResponse.BodyHandlers.ofString());
        for (HttpResponse<String> r : List.of(resolve, ping)) {
            assertThat(r.statusCode()).as(r.body()).isEqualTo(503);
            assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(
                    t -> assertThat(t).startsWith("application/problem+json"));
            assertThat(r.headers().firstValue("Retry-After")).hasValueSatisfying(v -> assertThat(v).matches("\\d+"));
            assertThat(r.body()).contains("https://neighd.io/problems/too-many-waits")
                    .contains("neighd.api.max-pending-waits");
        }
        assertThat(waiting).as("refused at once, while the three still wait").noneMatch(CompletableFuture::isDone);
        assertThat(incomplete()).as("nothing started for the refused ones").isEqualTo(3);
        assertThat(metric("neighd_api_waits_refused_total")).isEqualTo(2);

        for (CompletableFuture<HttpResponse<String>> f : waiting) {
            assertThat(f.get(TIMEOUT_MS * 5, TimeUnit.MILLISECONDS).statusCode()).isEqualTo(504);
        }
        deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (metric("neighd_api_waits_pending") > 0 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(metric("neighd_api_waits_pending")).as("the slots came back").isZero();
        HttpResponse<String> again = http.send(post("/api/v1/neighbours/nd0/10.77.0.200/resolve?timeout_ms=50",
                null), HttpResponse.BodyHandlers.ofString());
        assertThat(again.statusCode()).as("a wait is taken again: %s", again.body()).isEqualTo(504);
    }

    private HttpRequest post(String path, String json) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).header("Authorization", "Bearer " + TOKEN)
                .POST(json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) {
            b.header("Content-Type", "application/json");
        }
        return b.build();
    }

    private long incomplete() throws Exception {
        String body = http.send(HttpRequest.newBuilder(uri("/api/v1/neighbours?state=incomplete")).GET().build(),
                HttpResponse.BodyHandlers.ofString()).body();
        return body.split("\"dst\"", -1).length - 1;
    }

    private double metric(String name) throws Exception {
        String prom = http.send(HttpRequest.newBuilder(uri("/actuator/prometheus")).GET().build(),
                HttpResponse.BodyHandlers.ofString()).body();
        for (String line : prom.split("\n")) {
            if (line.startsWith(name + " ") || line.startsWith(name + "{")) {
                return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        throw new AssertionError(name + " not in the scrape");
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }
}
