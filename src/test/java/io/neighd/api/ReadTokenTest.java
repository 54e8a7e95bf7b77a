package io.neighd.api;

import io.neighd.service.EngineRuntime;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * With {@code neighd.api.read-token} set, reads need a token too: the read-only one, or the write
 * token (which may do everything). The kubelet's probes stay open. The read-only token cannot
 * write: 403, nothing changed.
 *
 * <pre>
 * | request                          | no token | read token | write token |
 * |----------------------------------|----------|------------|-------------|
 * | GET /api/v1/neighbours           | 401      | 200        | 200         |
 * | GET, HEAD /api/v1/events         | 401      | 200        | 200         |
 * | GET /v3/api-docs                 | 401      | 200        | 200         |
 * | GET /actuator/prometheus         | 401      | 200        | 200         |
 * | GET /actuator/health/liveness    | 200      | 200        | 200         |
 * | POST /api/v1/neighbours          | 401      | 403        | 201         |
 * </pre>
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "neighd.interfaces[0].name=nd0",
        "neighd.interfaces[0].memory=true",
        "neighd.interfaces[0].mac=02:aa:00:00:00:01",
        "neighd.interfaces[0].addresses[0]=10.77.0.1/24",
        "neighd.state-file=",
        "neighd.api.token=" + ReadTokenTest.WRITE,
        "neighd.api.read-token=" + ReadTokenTest.READ})
class ReadTokenTest {
    static final String WRITE = "write-token-0123456789";
    static final String READ = "read-only-token-0123456";
    private static final String ENTRY = "{\"dst\":\"10.77.0.77\",\"dev\":\"nd0\",\"lladdr\":\"02:bb:00:00:00:77\"}";

    @LocalServerPort
    int port;

    @Autowired
    EngineRuntime service;

    @BeforeEach
    void empty() throws Exception {
        EngineSlice.emptyTable(service);
    }

    @Test
    void readsNeedTheReadOrTheWriteToken() throws Exception {
        for (String path : List.of("/api/v1/neighbours", "/api/v1/interfaces", "/v3/api-docs", "/actuator/prometheus")) {
            ApiClient.Response anonymous = new ApiClient(port, null).get(path);
            assertThat(anonymous.status()).as(path).isEqualTo(401);
            assertThat(anonymous.contentType()).as(path).startsWith("application/problem+json");
            assertThat(new ApiClient(port, "not-the-token-0123456").get(path).status()).as(path).isEqualTo(401);
            assertThat(new ApiClient(port, READ).get(path).status()).as(path).isEqualTo(200);
            assertThat(new ApiClient(port, WRITE).get(path).status()).as(path).isEqualTo(200);
        }
        try (SseStream anonymous = new SseStream(uri("/api/v1/events"))) {
            assertThat(anonymous.status).isEqualTo(401);
        }
        try (SseStream reader = new SseStream(uri("/api/v1/events"), READ)) {
            assertThat(reader.status).isEqualTo(200);
        }
        RawHttp raw = new RawHttp(port);
        assertThat(raw.send(RawHttp.request("HEAD", "/api/v1/events", null, null)).status()).isEqualTo(401);
        assertThat(raw.send(RawHttp.request("HEAD", "/api/v1/events", "Authorization: Bearer " + READ, null)).status())
                .isEqualTo(200);
    }

    @Test
    void theProbesStayOpen() {
        ApiClient anonymous = new ApiClient(port, null);
        assertThat(anonymous.get("/actuator/health/liveness").status()).isEqualTo(200);
        assertThat(anonymous.get("/actuator/health/readiness").status()).isIn(200, 503);
    }

    @Test
    void theReadTokenCannotWrite() {
        ApiClient.Response r = new ApiClient(port, READ).post("/api/v1/neighbours", ENTRY);
        assertThat(r.status()).isEqualTo(403);
        assertThat(r.contentType()).startsWith("application/problem+json");
        assertThat(r.json().path("type").asString()).isEqualTo("https://neighd.io/problems/forbidden");
        assertThat(new ApiClient(port, READ).get("/api/v1/neighbours?state=all").json()).isEmpty();

        assertThat(new ApiClient(port, WRITE).post("/api/v1/neighbours", ENTRY).status()).isEqualTo(201);
    }

    private java.net.URI uri(String path) {
        return java.net.URI.create("http://localhost:" + port + path);
    }
}
