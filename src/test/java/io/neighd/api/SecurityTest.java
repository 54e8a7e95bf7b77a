package io.neighd.api;

import io.neighd.service.StateStore;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Writes are safe by default: without the bearer token, or with a wrong one, every write is a 401
 * problem and nothing changes, not the table and not the state file; reads stay open (and ignore
 * a stale token).
 */
class SecurityTest extends RunningNeighd {
    private static final String ENTRY = "{\"dst\":\"10.77.0.120\",\"dev\":\"nd0\",\"lladdr\":\"02:bb:00:00:01:20\"}";

    @Test
    void aWriteWithoutTheTokenIsRefusedAndChangesNothing() {
        ApiClient anonymous = api.withToken(null);
        StateStore.State before = stateFile();

        ApiClient.Response r = anonymous.post("/api/v1/neighbours", ENTRY);
        assertThat(r.status()).isEqualTo(401);
        assertThat(r.contentType()).startsWith("application/problem+json");
        assertThat(r.header("WWW-Authenticate")).startsWith("Bearer");
        assertThat(r.json().path("type").asString()).isEqualTo("https://neighd.io/problems/unauthorized");
        assertThat(r.json().path("detail").asString()).contains("Authorization: Bearer");

        assertThat(api.get("/api/v1/neighbours/nd0/10.77.0.120").status()).isEqualTo(404);
        assertThat(stateFile()).isEqualTo(before);
    }

    @Test
    void aWrongTokenIsRefusedForEveryWriteAndChangesNothing() {
        assertThat(api.post("/api/v1/neighbours", ENTRY.replace("120", "121").replace("01:20", "01:21")).status())
                .isEqualTo(201);
        StateStore.State before = stateFile();
        List<String> table = table();

        ApiClient wrong = api.withToken("not-" + TOKEN);
        List<String> writes = writeOperations();
        assertThat(writes).as("the served spec's writes, as the README lists them")
                .contains("DELETE /api/v1/proxy-neighbours/{ip}", "PATCH /api/v1/sysctl", "POST /api/v1/explain")
                .hasSizeGreaterThanOrEqualTo(17);
        List<ApiClient.Response> refused = writes.stream().map(w -> {
            String method = w.substring(0, w.indexOf(' '));
            String path = w.substring(w.indexOf(' ') + 1).replace("{dev}", "nd0").replace("{ip}", "10.77.0.121")
                    .replace("{address}", "10.77.0.121");
            return wrong.send(method, path, method.equals("DELETE") ? null : "{}");
        }).toList();
        assertThat(refused).allSatisfy(r -> {
            assertThat(r.status()).as(r.raw().request().method() + " " + r.raw().uri()).isEqualTo(401);
            assertThat(r.header("WWW-Authenticate")).contains("invalid_token");
            assertThat(r.json().path("type").asString()).isEqualTo("https://neighd.io/problems/unauthorized");
        });

        assertThat(table()).isEqualTo(table);
        assertThat(api.get("/api/v1/sysctl?prefix=net.ipv4.conf.nd0.arp_ignore").json().path(0).path("value").asInt())
                .isZero();
        assertThat(api.get("/api/v1/routes").json()).hasSize(2);
        assertThat(stateFile()).isEqualTo(before);
        api.delete("/api/v1/neighbours/nd0/10.77.0.121");
    }

    /**
     * Every non-GET operation of the spec the running service serves ({@code /v3/api-docs}), as
     * "METHOD /path/{param}": the list of writes is the contract's, not one kept by hand.
     */
    private List<String> writeOperations() {
        List<String> out = new java.util.ArrayList<>();
        api.withToken(null).get("/v3/api-docs").json().path("paths").properties().forEach(path ->
                path.getValue().properties().forEach(op -> {
                    String method = op.getKey().toUpperCase(java.util.Locale.ROOT);
                    if (List.of("POST", "PUT", "PATCH", "DELETE").contains(method)) {
                        out.add(method + " " + path.getKey());
                    }
                }));
        return out;
    }

    /** The table without its ages, which move on their own. */
    /**
     * Each entry as "dst lladdr state". REACHABLE and STALE read alike: the shared context's learned
     * entries go stale on their own when reachable_time passes (15 to 45 s of real time), which is
     * no change a refused write made.
     */
    private List<String> table() {
        List<String> out = new java.util.ArrayList<>();
        api.get("/api/v1/neighbours?state=all").json().forEach(n -> {
            String state = n.path("state").path(0).asString();
            out.add(n.path("dst").asString() + " " + n.path("lladdr").asString() + " "
                    + (state.equals("REACHABLE") || state.equals("STALE") ? "REACHABLE|STALE" : state));
        });
        return out;
    }

    @Test
    void anotherSchemeIsNoToken() {
        ApiClient.Response r = api.withToken(null).send("DELETE", "/api/v1/neighbours", null);
        assertThat(r.status()).isEqualTo(401);
    }

    @Test
    void readsAreOpenAndIgnoreAStaleToken() throws Exception {
        ApiClient stale = api.withToken("expired-token");
        assertThat(stale.get("/api/v1/neighbours").status()).isEqualTo(200);
        assertThat(api.withToken(null).get("/api/v1/stats").status()).isEqualTo(200);
        assertThat(api.withToken(null).get("/api/v1/interfaces").status()).isEqualTo(200);
        assertThat(api.withToken(null).get("/v3/api-docs").status()).isEqualTo(200);
        assertThat(api.withToken(null).get("/actuator/health").status()).isIn(200, 503);
        assertThat(api.withToken(null).get("/actuator/prometheus").status()).isEqualTo(200);
        try (SseStream events = new SseStream(api.uri("/api/v1/events"))) {
            assertThat(events.status).isEqualTo(200);
        }
    }
}
