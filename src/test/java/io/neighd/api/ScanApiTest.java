package io.neighd.api;

import io.neighd.wire.ArpPacket;
import io.neighd.wire.Ipv4Address;
import io.neighd.wire.MacAddress;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code POST /api/v1/interfaces/{dev}/scan} as a user meets it: 202 at once with the scan's
 * Location, the answers as SCAN_REPLY events and in the scan resource (duplicates too), its end
 * as SCAN_DONE, and every bound refused as problem+json naming the field.
 */
class ScanApiTest extends RunningNeighd {
    private static final MacAddress OUR = MacAddress.parse("02:aa:00:00:00:01");
    private static final MacAddress IMPOSTOR = MacAddress.parse("02:cc:00:00:00:02");

    @Test
    void aScanReportsEachAnswerAndTheDuplicateOnTheStreamAndInItsResource() throws Exception {
        try (SseStream events = new SseStream(api.uri("/api/v1/events?dev=nd0"))) {
            ApiClient.Response started = scan("{\"cidr\":\"10.77.0.0/28\",\"rate\":0,\"retries\":1,\"timeout_ms\":300}");
            assertThat(started.status()).as(started.raw().body()).isEqualTo(202);
            String location = started.header("Location");
            assertThat(location).matches("/api/v1/interfaces/nd0/scans/\\d+");
            assertThat(started.json().path("hosts").asInt()).isEqualTo(16);
            assertThat(started.json().path("cidr").asString()).isEqualTo("10.77.0.0/28");

            SseStream.Event first = events.await(e -> e.name().equals("SCAN_REPLY")
                    && e.data().path("ip").asString().equals("10.77.0.2"));
            assertThat(first.data().path("mac").asString()).isEqualTo("02:bb:00:00:00:02");
            assertThat(first.data().path("duplicate").asBoolean()).isFalse();
            // a second host claims 10.77.0.2 while the scan still runs
            link().inject(ArpPacket.frame(2, OUR.bits(), IMPOSTOR.bits(), -1, IMPOSTOR.bits(),
                    Ipv4Address.parseBits("10.77.0.2"), OUR.bits(), Ipv4Address.parseBits("10.77.0.1")));
            SseStream.Event dup = events.await(e -> e.name().equals("SCAN_REPLY")
                    && e.data().path("mac").asString().equals(IMPOSTOR.toString()));
            assertThat(dup.data().path("answer").asInt()).isEqualTo(2);
            assertThat(dup.data().path("duplicate").asBoolean()).isTrue();

            SseStream.Event end = events.await(e -> e.name().equals("SCAN_DONE"));
            assertThat(end.data().path("state").asString()).isEqualTo("done");
            assertThat(end.data().path("duplicates").asInt()).isEqualTo(1);

            JsonNode scan = Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> api.get(location).json(),
                    j -> j.path("state").asString().equals("done"));
            List<String> replies = new ArrayList<>();
            scan.path("replies").forEach(r -> replies.add(r.path("ip").asString() + " " + r.path("mac").asString()
                    + " " + r.path("answer").asInt()));
            // other tests of the shared context may leave hosts of their own on the link (10.77.0.3)
            int others = scan.path("responders").asInt() - 1;
            assertThat(replies).contains("10.77.0.2 02:bb:00:00:00:02 1", "10.77.0.2 02:cc:00:00:00:02 2")
                    .hasSize(2 + others);
            assertThat(scan.path("skipped").asInt()).as("10.77.0.1 is ours").isEqualTo(1);
            assertThat(scan.path("timed_out").asInt()).isEqualTo(14 - others);
            assertThat(scan.path("probes_sent").asInt()).as("two to each silent one").isEqualTo(
                    1 + others + (14 - others) * 2);
            assertThat(api.get("/api/v1/neighbours/nd0/10.77.0.2").json().path("lladdr").asString())
                    .as("the answer made its entry; the impostor came within locktime").isEqualTo("02:bb:00:00:00:02");
        }
    }

    @Test
    void boundsAreProblemsNamingTheField() {
        assertProblem(scan("{\"cidr\":\"10.0.0.0/8\"}"), 413, "scan-too-large", "cidr");
        assertProblem(scan("{\"cidr\":\"10.77.0.0/33\"}"), 400, "invalid-address", "cidr");
        assertProblem(scan("{}"), 400, "invalid-address", "cidr");
        assertProblem(scan("{\"cidr\":\"10.77.0.0/24\",\"rate\":-1}"), 400, "invalid-request", "rate");
        assertProblem(scan("{\"cidr\":\"10.77.0.0/24\",\"rate\":1000000}"), 400, "invalid-request", "rate");
        assertProblem(scan("{\"cidr\":\"10.77.0.0/24\",\"retries\":11}"), 400, "invalid-request", "retries");
        assertProblem(scan("{\"cidr\":\"10.77.0.0/24\",\"timeout_ms\":0}"), 400, "invalid-request", "timeout_ms");
        assertProblem(api.post("/api/v1/interfaces/eth9/scan", "{\"cidr\":\"10.77.0.0/24\"}"), 404,
                "unknown-interface", "dev");
        assertProblem(api.get("/api/v1/interfaces/nd0/scans/99999"), 404, "no-such-scan", "id");
        assertThat(api.withToken(null).post("/api/v1/interfaces/nd0/scan", "{\"cidr\":\"10.77.0.0/24\"}").status())
                .as("a scan sends: it needs the token").isEqualTo(401);
    }

    @Test
    void oneScanPerInterfaceAtATime() {
        ApiClient.Response slow = scan("{\"cidr\":\"10.77.0.0/30\",\"rate\":1,\"retries\":0,\"timeout_ms\":1}");
        assertThat(slow.status()).as(slow.raw().body()).isEqualTo(202);
        assertThat(slow.json().path("state").asString()).isEqualTo("running");
        assertThat(slow.json().path("rate").asInt()).isEqualTo(1);
        assertProblem(scan("{\"cidr\":\"10.77.0.0/28\"}"), 409, "scan-running", "dev");
        ApiClient.Response now = api.get(slow.header("Location"));
        assertThat(now.status()).isEqualTo(200);
        assertThat(now.json().path("state").asString()).isEqualTo("running");
    }

    @Test
    void theDefaultsAreArpScans() {
        // a /31 of our own address and a silent one: done after 500 + 750 + 1125 ms
        ApiClient.Response r = scan("{\"cidr\":\"10.77.0.0/31\"}");
        assertThat(r.status()).as(r.raw().body()).isEqualTo(202);
        assertThat(r.json().path("rate").asInt()).isEqualTo(500);
        assertThat(r.json().path("retries").asInt()).isEqualTo(2);
        assertThat(r.json().path("timeout_ms").asInt()).isEqualTo(500);
    }

    private final List<String> started = new ArrayList<>();

    /** The context is shared: a scan a test started must end before the next test scans nd0. */
    @AfterEach
    void awaitScansDone() {
        for (String location : started) {
            Awaitility.await().atMost(Duration.ofSeconds(20)).until(
                    () -> api.get(location).json().path("state").asString().equals("done"));
        }
    }

    private ApiClient.Response scan(String body) {
        ApiClient.Response r = api.post("/api/v1/interfaces/nd0/scan", body);
        if (r.status() == 202) {
            started.add(r.header("Location"));
        }
        return r;
    }

    private static void assertProblem(ApiClient.Response r, int status, String type, String field) {
        assertThat(r.status()).as(r.raw().body()).isEqualTo(status);
        assertThat(r.json().path("type").asString()).isEqualTo("https://neighd.io/problems/" + type);
        assertThat(r.json().path("field").asString()).isEqualTo(field);
    }
}
