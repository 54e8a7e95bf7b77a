package io.neighd.api;

import io.neighd.link.MemoryLink;
import io.neighd.service.StateStore;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a user of the API meets, from the HTTP request to the frames on the wire and the events on
 * the stream: adds, resolves (the test's peer answers), changes, flushes and deletes entries while
 * watching /api/v1/events; resolution that times out or fails; ping; announce.
 */
class NeighdApiApplicationTest extends RunningNeighd {
    @Test
    void addResolveChangeFlushAndDeleteWhileWatchingEvents() throws Exception {
        try (SseStream events = new SseStream(api.uri("/api/v1/events?dev=nd0"))) {
            assertThat(events.status).isEqualTo(200);
            assertThat(events.contentType).startsWith("text/event-stream");

            ApiClient.Response added = api.post("/api/v1/neighbours",
                    "{\"dst\":\"10.77.0.9\",\"dev\":\"nd0\",\"lladdr\":\"02:bb:00:00:00:09\"}");
            assertThat(added.status()).isEqualTo(201);
            assertThat(added.header("Location")).isEqualTo("/api/v1/neighbours/nd0/10.77.0.9");
            assertThat(added.json().path("state").path(0).asString()).isEqualTo("PERMANENT");
            assertThat(events.await(e -> e.name().equals("NEWNEIGH") && e.dst().equals("10.77.0.9")).state())
                    .isEqualTo("PERMANENT");
            assertThat(stateFile().neighbours()).extracting(StateStore.NeighRecord::dst).contains("10.77.0.9");

            ApiClient.Response resolved = api.post("/api/v1/neighbours/nd0/10.77.0.2/resolve?timeout_ms=5000", null);
            assertThat(resolved.status()).as(resolved.raw().body()).isEqualTo(200);
            assertThat(resolved.json().path("lladdr").asString()).isEqualTo("02:bb:00:00:00:02");
            assertThat(resolved.json().path("state").path(0).asString()).isEqualTo("REACHABLE");
            events.await(e -> e.name().equals("NEWNEIGH") && e.dst().equals("10.77.0.2")
                    && e.state().equals("REACHABLE"));

            ApiClient.Response changed = api.patch("/api/v1/neighbours/nd0/10.77.0.2", "{\"state\":\"stale\"}");
            assertThat(changed.status()).isEqualTo(200);
            assertThat(changed.json().path("state").path(0).asString()).isEqualTo("STALE");
            assertThat(changed.json().path("lladdr").asString()).isEqualTo("02:bb:00:00:00:02");

            int entries = api.get("/api/v1/neighbours?state=all&dev=nd0").json().size();
            ApiClient.Response flushed = api.delete("/api/v1/neighbours?dev=nd0");
            // the context is shared: other tests' entries go too, so count what went, not what this test made
            assertThat(flushed.json().path("flushed").asInt())
                    .isEqualTo(entries - api.get("/api/v1/neighbours?state=all&dev=nd0").json().size())
                    .isGreaterThanOrEqualTo(1);
            events.await(e -> e.name().equals("DELNEIGH") && e.dst().equals("10.77.0.2"));
            // the default flush keeps PERMANENT (and NOARP) entries, as ip neigh flush does
            assertThat(api.get("/api/v1/neighbours").json()).extracting(n -> n.path("dst").asString())
                    .contains("10.77.0.9").doesNotContain("10.77.0.2");

            assertThat(api.delete("/api/v1/neighbours/nd0/10.77.0.9").status()).isEqualTo(204);
            events.await(e -> e.name().equals("DELNEIGH") && e.dst().equals("10.77.0.9"));
            ApiClient.Response gone = api.get("/api/v1/neighbours/nd0/10.77.0.9");
            assertThat(gone.status()).isEqualTo(404);
            assertThat(gone.json().path("type").asString()).isEqualTo("https://neighd.io/problems/no-such-entry");
            assertThat(stateFile().neighbours()).extracting(StateStore.NeighRecord::dst).doesNotContain("10.77.0.9");
        }
    }

    @Test
    void resolveOfAnAbsentHostTimesOutThenFails() {
        ApiClient.Response knobs = api.patch("/api/v1/sysctl", "{\"net.ipv4.neigh.nd0.retrans_time_ms\": 100}");
        assertThat(knobs.status()).isEqualTo(200);
        try {
            ApiClient.Response timeout = api.post("/api/v1/neighbours/nd0/10.77.0.77/resolve?timeout_ms=20", null);
            assertThat(timeout.status()).isEqualTo(504);
            assertThat(timeout.json().path("type").asString()).isEqualTo("https://neighd.io/problems/resolve-timeout");
            assertThat(timeout.json().path("field").asString()).isEqualTo("timeout_ms");

            ApiClient.Response failed = api.post("/api/v1/neighbours/nd0/10.77.0.78/resolve?timeout_ms=5000", null);
            assertThat(failed.status()).isEqualTo(404);
            assertThat(failed.json().path("type").asString()).isEqualTo("https://neighd.io/problems/unresolved");
            assertThat(api.get("/api/v1/neighbours/nd0/10.77.0.78").json().path("state").path(0).asString())
                    .isEqualTo("FAILED");
        } finally {
            api.patch("/api/v1/sysctl", "{\"net.ipv4.neigh.nd0.retrans_time_ms\": 1000}");
        }
    }

    @Test
    void pingResolvesTheGatewayAndCountsReplies() {
        ApiClient.Response ping = api.post("/api/v1/ping",
                "{\"dst\":\"10.88.0.5\",\"count\":2,\"interval_ms\":10,\"timeout_ms\":300}");
        assertThat(ping.status()).as(ping.raw().body()).isEqualTo(200);
        // 10.88.0.5 itself does not answer echo; its gateway answers ARP
        assertThat(ping.json().path("transmitted").asInt()).isEqualTo(2);
        assertThat(ping.json().path("src").asString()).isEqualTo("10.77.0.1");
        assertThat(ping.json().path("neighbour").path("dst").asString()).isEqualTo("10.77.0.254");
        assertThat(ping.json().path("neighbour").path("lladdr").asString()).isEqualTo("02:bb:00:00:00:fe");

        peers.host("10.77.0.3", "02:bb:00:00:00:03");
        ApiClient.Response echo = api.post("/api/v1/ping", "{\"dst\":\"10.77.0.3\",\"count\":1}");
        assertThat(echo.json().path("received").asInt()).isEqualTo(1);
        assertThat(echo.json().path("probes").path(0).path("status").asString()).isEqualTo("reply");
        assertThat(echo.json().path("probes").path(0).path("rtt_ms").asDouble()).isGreaterThanOrEqualTo(0.0);
    }

    @Test
    void announceSendsAGratuitousRequestPerAddressAndAnUnsolicitedNaPerValidIpv6Address() {
        // nd0's link-local is tentative until its DAD ends (about a second after start): announce skips
        // a tentative address, as ndisc_send_unsol_na does, so wait for it rather than race it
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).until(() -> {
            var addresses = api.get("/api/v1/interfaces/nd0").json().path("addresses");
            for (var a : addresses) {
                if (!a.path("flags").isEmpty()) {
                    return false;
                }
            }
            return addresses.size() == 2;
        });
        MemoryLink link = link();
        link.clearSent();
        ApiClient.Response r = api.post("/api/v1/interfaces/nd0/announce", null);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().path("sent").asInt()).as("10.77.0.1 and the link-local").isEqualTo(2);
        assertThat(link.sent()).hasSize(2).anySatisfy(f -> {
            assertThat(f[12]).isEqualTo((byte) 0x08);
            assertThat(f[13]).isEqualTo((byte) 0x06);
            assertThat(java.util.Arrays.copyOfRange(f, 28, 32)).containsExactly(10, 77, 0, 1);
            assertThat(java.util.Arrays.copyOfRange(f, 38, 42)).containsExactly(10, 77, 0, 1);
        }).anySatisfy(f -> {
            assertThat(f[12]).isEqualTo((byte) 0x86);
            assertThat(f[13]).isEqualTo((byte) 0xdd);
            assertThat(f[14 + 40] & 0xff).as("ICMPv6 neighbour advertisement").isEqualTo(136);
        });
    }
}
