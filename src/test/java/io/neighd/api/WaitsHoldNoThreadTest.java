package io.neighd.api;

import io.neighd.neighbour.NudState;
import io.neighd.service.EngineRuntime;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
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
 * Issue 10, defect 7: a resolve (or a ping) that waits for the network holds no request thread.
 * Before, each held one for up to 60 s (125 s for a ping), so parallel resolves to silent
 * addresses took every thread of the pool and the liveness probe and every read behind them
 * waited (the kubelet restarted a healthy pod). Here the pool has 4 threads and 24 resolves wait
 * for addresses nobody answers (retrans_time 20 s keeps them INCOMPLETE): while every one of them
 * still waits, liveness, a table read and the statistics are answered.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "neighd.interfaces[0].name=nd0",
        "neighd.interfaces[0].memory=true",
        "neighd.interfaces[0].mac=02:aa:00:00:00:01",
        "neighd.interfaces[0].addresses[0]=10.77.0.1/24",
        "neighd.sysctl.net.ipv4.neigh.nd0.retrans_time_ms=20000",
        "neighd.state-file=",
        "neighd.api.token=" + WaitsHoldNoThreadTest.TOKEN,
        "server.tomcat.threads.max=4",
        "server.tomcat.threads.min-spare=1"})
class WaitsHoldNoThreadTest {
    static final String TOKEN = "waits-test-token-0123";
    private static final int RESOLVES = 24;
    private static final long RESOLVE_TIMEOUT_MS = 8_000;

    @LocalServerPort
    int port;

    @Autowired
    EngineRuntime service;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void parallelResolvesToSilentAddressesLeaveLivenessAndReadsAnswering() throws Exception {
        List<CompletableFuture<HttpResponse<String>>> resolves = new ArrayList<>();
        for (int i = 0; i < RESOLVES; i++) {
            resolves.add(http.sendAsync(HttpRequest.newBuilder(uri("/api/v1/neighbours/nd0/10.77.0." + (100 + i)
                            + "/resolve?timeout_ms=" + RESOLVE_TIMEOUT_MS)).header("Authorization", "Bearer " + TOKEN)
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString()));
        }
        // every resolve has started: its entry is INCOMPLETE
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(RESOLVE_TIMEOUT_MS / 2000);
        while (incomplete() < RESOLVES && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(incomplete()).as("resolves under way").isEqualTo(RESOLVES);

        for (String read : List.of("/actuator/health/liveness", "/api/v1/neighbours?state=all", "/api/v1/stats")) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri(read)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(read).isEqualTo(200);
            assertThat(resolves).as("%s answered while every resolve still waits", read)
                    .noneMatch(CompletableFuture::isDone);
        }

        // and each resolve gets its own answer at its timeout
        for (CompletableFuture<HttpResponse<String>> f : resolves) {
            HttpResponse<String> r = f.get(RESOLVE_TIMEOUT_MS * 4, TimeUnit.MILLISECONDS);
            assertThat(r.statusCode()).isEqualTo(504);
            assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(
                    v -> assertThat(v).startsWith("application/problem+json"));
            assertThat(r.body()).contains("resolve-timeout", "timeout_ms");
        }
    }

    private int incomplete() throws Exception {
        return service.loop().submit(nl -> nl.neighbours("nd0", NudState.NUD_INCOMPLETE).value().size())
                .get(5, TimeUnit.SECONDS);
    }

    private URI uri(String path) {
        return URI.create("http://localhost:" + port + path);
    }
}
