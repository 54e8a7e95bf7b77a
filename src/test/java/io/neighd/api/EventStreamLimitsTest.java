package io.neighd.api;

import io.neighd.service.EventHub;
import io.neighd.service.EngineRuntime;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.StringJoiner;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code GET /api/v1/events} as a hostile client meets it (here with neighd.events.buffer=16 and
 * max-subscribers=2): beyond the limit the answer is 503 with Retry-After; HEAD subscribes
 * nobody; a subscriber that stops reading is cut off once it is more than the ring behind, with
 * a final {@code lost} event and a counter, and its slot is free again.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "neighd.interfaces[0].name=nd0",
        "neighd.interfaces[0].memory=true",
        "neighd.interfaces[0].mac=02:aa:00:00:00:01",
        "neighd.interfaces[0].addresses[0]=10.77.0.1/24",
        "neighd.state-file=",
        "neighd.api.token=" + EventStreamLimitsTest.TOKEN,
        "neighd.events.buffer=16",
        "neighd.events.max-subscribers=2",
        "neighd.events.heartbeat=500ms"})
class EventStreamLimitsTest {
    static final String TOKEN = "event-limits-token-0123";
    private static final Duration WAIT = Duration.ofSeconds(30);

    @LocalServerPort
    int port;

    @Autowired
    EngineRuntime service;

    @Autowired
    EventHub hub;

    ApiClient api;

    @BeforeEach
    void connect() throws Exception {
        api = new ApiClient(port, TOKEN);
        EngineSlice.emptyTable(service);
        Awaitility.await().atMost(WAIT).until(() -> hub.subscriberCount() == 0);
    }

    @Test
    void beyondMaxSubscribersTheAnswerIs503WithRetryAfter() throws Exception {
        try (SseStream a = new SseStream(api.uri("/api/v1/events")); SseStream b = new SseStream(api.uri("/api/v1/events"))) {
            assertThat(a.status).isEqualTo(200);
            assertThat(b.status).isEqualTo(200);

            try (SseStream third = new SseStream(api.uri("/api/v1/events"))) {
                assertThat(third.status).isEqualTo(503);
                assertThat(third.contentType).startsWith("application/problem+json");
                assertThat(third.headers.firstValue("Retry-After")).hasValueSatisfying(v -> assertThat(v).matches("\\d+"));
            }
            RawHttp.Response refused = new RawHttp(port).send(RawHttp.request("GET", "/api/v1/events", null, null));
            assertThat(refused.json().path("type").asString())
                    .isEqualTo("https://neighd.io/problems/too-many-subscribers");
        }
        Awaitility.await().atMost(WAIT).until(() -> hub.subscriberCount() == 0);
        try (SseStream again = new SseStream(api.uri("/api/v1/events"))) {
            assertThat(again.status).as("a closed stream frees its slot").isEqualTo(200);
        }
    }

    @Test
    void headAnswersLikeGetAndSubscribesNobody() {
        RawHttp raw = new RawHttp(port);
        for (int i = 0; i < 5; i++) {
            RawHttp.Response r = raw.send(RawHttp.request("HEAD", "/api/v1/events", null, null));
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.contentType()).startsWith("text/event-stream");
        }
        assertThat(raw.send(RawHttp.request("HEAD", "/api/v1/events?dev=eth9", null, null)).status()).isEqualTo(404);
        assertThat(hub.subscriberCount()).isZero();
    }

    @Test
    void aSubscriberThatStopsReadingIsCutOffWithALostEventAndCounted() throws Exception {
        double before = metric("neighd_events_subscribers_cut_off_total{reason=\"overrun\"}");
        try (Socket s = new Socket()) {
            s.setReceiveBufferSize(4096);
            s.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            s.getOutputStream().write(RawHttp.request("GET", "/api/v1/events", "Accept: text/event-stream", null)
                    .getBytes(StandardCharsets.ISO_8859_1));
            Awaitility.await().atMost(WAIT).until(() -> hub.subscriberCount() == 1);

            // it reads nothing while the table churns: far more than the ring and every socket buffer hold
            String cut = "neighd_events_subscribers_cut_off_total{reason=\"overrun\"}";
            for (int round = 0; round < 20 && metric(cut) == before; round++) {
                assertThat(api.post("/api/v1/neighbours/batch", batch(round, 2000)).status()).isEqualTo(200);
                assertThat(api.delete("/api/v1/neighbours?state=all").status()).isEqualTo(200);
            }
            Awaitility.await().atMost(WAIT).until(() -> metric(cut) == before + 1);

            // when it reads again, what it gets ends with the lost event, and then the stream ends
            s.setSoTimeout(30_000);
            RawHttp.Response r = RawHttp.read(s.getInputStream(), false, true);
            assertThat(r.status()).isEqualTo(200);
            String stream = r.text().replace("event: ", "event:").replace("\"reason\": ", "\"reason\":");
            int lost = stream.lastIndexOf("event:lost");
            assertThat(lost).as("a final lost event").isPositive();
            assertThat(stream.substring(lost)).contains("\"reason\":\"overrun\"").doesNotContain("event:NEWNEIGH");
        }
        Awaitility.await().atMost(WAIT).until(() -> hub.subscriberCount() == 0);
        try (SseStream again = new SseStream(api.uri("/api/v1/events"))) {
            assertThat(again.status).isEqualTo(200);
        }
    }

    private static String batch(int round, int n) {
        StringJoiner all = new StringJoiner(",", "[", "]");
        for (int i = 0; i < n; i++) {
            all.add("{\"dst\":\"10.77." + (2 + i / 250) + "." + (1 + i % 250) + "\",\"dev\":\"nd0\",\"lladdr\":\"02:bb:00:"
                    + String.format("%02x:%02x:%02x", round, i >> 8, i & 0xff) + "\"}");
        }
        return all.toString();
    }

    private double metric(String series) {
        String text = api.get("/actuator/prometheus").raw().body();
        Matcher m = Pattern.compile("^" + Pattern.quote(series) + " (\\S+)$", Pattern.MULTILINE).matcher(text);
        assertThat(m.find()).as("%s in the scrape", series).isTrue();
        return Double.parseDouble(m.group(1));
    }
}
