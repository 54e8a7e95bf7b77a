package io.neighd.api;

import io.neighd.service.EngineRuntime;
import io.neighd.service.StateStore;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.nio.file.Path;
import java.util.StringJoiner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Request bodies and batches have documented limits ({@code neighd.api.max-request-body},
 * {@code neighd.api.max-batch}; here 64KB and 10): beyond them the answer is 413 as a problem,
 * before the engine sees anything, and nothing changes.
 *
 * <pre>
 * | request                                      | beyond             | answer                     |
 * |----------------------------------------------|--------------------|----------------------------|
 * | POST /neighbours/batch, 11 entries           | max-batch          | 413 payload-too-large      |
 * | PATCH /sysctl, 11 knobs                      | max-batch          | 413 payload-too-large      |
 * | POST /neighbours, 100 KB, Content-Length     | max-request-body   | 413, body never read       |
 * | POST /neighbours, 100 KB, chunked            | max-request-body   | 413, reading stops at 64KB |
 * | POST /neighbours/batch, 10 entries           | nothing            | 200                        |
 * </pre>
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "neighd.interfaces[0].name=nd0",
        "neighd.interfaces[0].memory=true",
        "neighd.interfaces[0].mac=02:aa:00:00:00:01",
        "neighd.interfaces[0].addresses[0]=10.77.0.1/24",
        "neighd.api.token=" + SizeLimitsTest.TOKEN,
        "neighd.api.max-request-body=64KB",
        "neighd.api.max-batch=10"})
class SizeLimitsTest {
    static final String TOKEN = "size-limits-token-0123";
    static final Path STATE = TempDirs.create("neighd-limits").resolve("state.json");

    @LocalServerPort
    int port;

    @Autowired
    EngineRuntime service;

    ApiClient api;
    RawHttp raw;

    @DynamicPropertySource
    static void stateFile(DynamicPropertyRegistry r) {
        r.add("neighd.state-file", STATE::toString);
    }

    @BeforeEach
    void connect() throws Exception {
        api = new ApiClient(port, TOKEN);
        raw = new RawHttp(port);
        EngineSlice.emptyTable(service);
    }

    private static String entries(int n) {
        StringJoiner all = new StringJoiner(",", "[", "]");
        for (int i = 1; i <= n; i++) {
            all.add("{\"dst\":\"10.77.1." + i + "\",\"dev\":\"nd0\",\"lladdr\":\"02:bb:00:00:01:" + String.format("%02x", i)
                    + "\"}");
        }
        return all.toString();
    }

    @Test
    void aBatchBeyondMaxBatchIsRefusedWhole() {
        StateStore.State before = new StateStore(STATE).load();
        ApiClient.Response r = api.post("/api/v1/neighbours/batch", entries(11));

        assertTooLarge(r.status(), r.contentType(), r.json().path("type").asString());
        assertThat(r.json().path("detail").asString()).contains("11 entries", "neighd.api.max-batch", "10");
        // IPv4 only: nd0's link-local ends DAD on real time and its NS makes NOARP entries for ff02::1:ff00:1
        assertThat(api.get("/api/v1/neighbours?state=all&family=inet").json()).isEmpty();
        assertThat(new StateStore(STATE).load()).isEqualTo(before);

        assertThat(api.post("/api/v1/neighbours/batch", entries(10)).status()).isEqualTo(200);
    }

    @Test
    void aSysctlWriteBeyondMaxBatchIsRefusedWhole() {
        StringJoiner knobs = new StringJoiner(",", "{", "}");
        for (int i = 0; i < 11; i++) {
            knobs.add("\"net.ipv4.conf.nd0.arp_ignore\":" + (i % 2));
        }
        StringJoiner distinct = new StringJoiner(",", "{", "}");
        String[] names = {"arp_ignore", "arp_announce", "arp_filter", "arp_accept", "arp_notify", "proxy_arp",
            "proxy_arp_pvlan", "arp_evict_nocarrier", "drop_gratuitous_arp", "accept_local", "rp_filter"};
        for (String n : names) {
            distinct.add("\"net.ipv4.conf.nd0." + n + "\":1");
        }
        ApiClient.Response r = api.patch("/api/v1/sysctl", distinct.toString());

        assertTooLarge(r.status(), r.contentType(), r.json().path("type").asString());
        assertThat(api.get("/api/v1/sysctl?prefix=net.ipv4.conf.nd0.arp_ignore").json().path(0).path("value").asInt())
                .isZero();
    }

    @Test
    void aBodyBeyondMaxRequestBodyIsRefusedBeforeItIsRead() {
        String body = "{\"dst\":\"10.77.0.9\",\"dev\":\"nd0\",\"lladdr\":\"" + "0".repeat(100 * 1024) + "\"}";
        RawHttp.Response r = raw.send(RawHttp.request("POST", "/api/v1/neighbours", "Authorization: Bearer " + TOKEN
                + "\r\nContent-Type: application/json", body));

        assertTooLarge(r.status(), r.contentType(), r.json().path("type").asString());
        assertThat(r.json().path("detail").asString()).contains("neighd.api.max-request-body", "65536");
        assertThat(api.get("/api/v1/neighbours?state=all").json()).isEmpty();
    }

    @Test
    void aChunkedBodyBeyondMaxRequestBodyIsRefusedToo() {
        String chunk = "{\"dst\":\"10.77.0.9\",\"dev\":\"nd0\",\"lladdr\":\"" + "0".repeat(100 * 1024) + "\"}";
        String request = "POST /api/v1/neighbours HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n"
                + "Authorization: Bearer " + TOKEN + "\r\nContent-Type: application/json\r\n"
                + "Transfer-Encoding: chunked\r\n\r\n" + Integer.toHexString(chunk.length()) + "\r\n" + chunk
                + "\r\n0\r\n\r\n";
        RawHttp.Response r = raw.send(request);

        assertTooLarge(r.status(), r.contentType(), r.json().path("type").asString());
        assertThat(api.get("/api/v1/neighbours?state=all").json()).isEmpty();
    }

    private static void assertTooLarge(int status, String contentType, String type) {
        assertThat(status).isEqualTo(413);
        assertThat(contentType).startsWith("application/problem+json");
        assertThat(type).isEqualTo("https://neighd.io/problems/payload-too-large");
    }
}
