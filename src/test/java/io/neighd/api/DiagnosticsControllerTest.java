package io.neighd.api;

import io.neighd.service.EngineRuntime;
import io.neighd.wire.ArpPacket;
import io.neighd.wire.Ipv4Address;
import io.neighd.wire.MacAddress;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.assertj.MvcTestResult;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code /api/v1/explain}, {@code /api/v1/ping}, {@code /api/v1/stats} and the events endpoint's refusals. */
@ApiSliceTest
class DiagnosticsControllerTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Autowired
    MockMvcTester mvc;

    @Autowired
    EngineRuntime service;

    @Test
    void explainsARequestForALocalAddressWithoutSideEffects() throws Exception {
        EngineSlice.link(service).clearSent();
        MvcTestResult r = post("/api/v1/explain", """
                {"dev":"nd0","sender_mac":"02:bb:00:00:00:40","sender_ip":"10.77.0.40","target_ip":"10.77.0.1"}""");
        assertThat(r).hasStatusOk().bodyJson().isLenientlyEqualTo("""
                {"dev":"nd0","reason":"REPLIED","kind":"used",
                 "arp":{"op":"REQUEST","hardware_type":1,"protocol_type":"0x0800","sender_mac":"02:bb:00:00:00:40",
                        "sender_ip":"10.77.0.40","target_mac":"00:00:00:00:00:00","target_ip":"10.77.0.1"}}""");
        assertThat(r).bodyJson().extractingPath("$.steps[*].check").asArray().isNotEmpty();
        assertThat(service.loop().submit(nl -> nl.neighbour("nd0", Ipv4Address.parse("10.77.0.40")).value())
                .get(5, TimeUnit.SECONDS)).as("nothing learned").isNull();
        assertThat(EngineSlice.link(service).sent()).as("nothing sent").isEmpty();
    }

    @Test
    void explainsAHexFrameAndSaysWhyItIsIgnored() {
        byte[] f = ArpPacket.frame(1, MacAddress.BROADCAST.bits(), MacAddress.parse("02:bb:00:00:00:41").bits(), -1,
                MacAddress.parse("02:bb:00:00:00:41").bits(), Ipv4Address.parseBits("10.77.0.41"), 0,
                Ipv4Address.parseBits("10.77.0.99"));
        String hex = HexFormat.ofDelimiter(" ").formatHex(f);
        assertThat(post("/api/v1/explain", "{\"dev\":\"nd0\",\"hex\":\"" + hex + "\"}")).hasStatusOk().bodyJson()
                .isLenientlyEqualTo("{\"reason\":\"NOT_FOR_US\",\"kind\":\"ignored\"}");
        assertThat(post("/api/v1/explain", "{\"dev\":\"nd0\",\"hex\":\"" + hex.substring(0, 20 * 3 - 1) + "\"}"))
                .hasStatusOk().bodyJson().isLenientlyEqualTo("{\"reason\":\"MALFORMED_TRUNCATED\",\"kind\":\"dropped\"}");
    }

    @Test
    void explainRefusesBadInput() {
        assertThat(post("/api/v1/explain", "{\"dev\":\"nd0\",\"hex\":\"zz\"}")).hasStatus(HttpStatus.BAD_REQUEST)
                .bodyJson().isLenientlyEqualTo("{\"type\":\"https://neighd.io/problems/invalid-frame\",\"field\":\"hex\"}");
        assertThat(post("/api/v1/explain", "{\"dev\":\"nd0\",\"sender_mac\":\"02:bb:00:00:00:40\","
                + "\"sender_ip\":\"10.77.0.40\",\"target_ip\":\"10.77.0.1\",\"op\":\"hello\"}"))
                .hasStatus(HttpStatus.BAD_REQUEST).bodyJson().extractingPath("$.field").isEqualTo("op");
        assertThat(post("/api/v1/explain", "{\"dev\":\"nd0\",\"sender_ip\":\"10.77.0.40\",\"target_ip\":\"10.77.0.1\"}"))
                .hasStatus(HttpStatus.BAD_REQUEST).bodyJson().extractingPath("$.field").isEqualTo("sender_mac");
        assertThat(post("/api/v1/explain", "{\"sender_ip\":\"10.77.0.40\"}"))
                .hasStatus(HttpStatus.BAD_REQUEST).bodyJson().extractingPath("$.field").isEqualTo("dev");
        assertThat(post("/api/v1/explain", "{\"dev\":\"nd0\",\"sender_mac\":\"02:bb:00:00:00:40\","
                + "\"sender_ip\":\"10.77.0.400\",\"target_ip\":\"10.77.0.1\"}"))
                .hasStatus(HttpStatus.BAD_REQUEST).bodyJson().extractingPath("$.field").isEqualTo("sender_ip");
    }

    @Test
    void pingValidatesItsParametersAndReportsEveryProbe() {
        assertThat(post("/api/v1/ping", "{\"dst\":\"10.77.0.60\",\"count\":0}")).hasStatus(HttpStatus.BAD_REQUEST)
                .bodyJson().isLenientlyEqualTo("{\"type\":\"https://neighd.io/problems/invalid-request\",\"field\":\"count\"}");
        assertThat(post("/api/v1/ping", "{\"dst\":\"10.77.0.60\",\"size\":9000}")).hasStatus(HttpStatus.BAD_REQUEST)
                .bodyJson().extractingPath("$.field").isEqualTo("size");
        assertThat(post("/api/v1/ping", "{\"dst\":\"nowhere\"}")).hasStatus(HttpStatus.BAD_REQUEST)
                .bodyJson().extractingPath("$.type").isEqualTo("https://neighd.io/problems/invalid-ip");

        // nobody answers on the slice's link: the probe times out while the entry is still INCOMPLETE
        MvcTestResult r = post("/api/v1/ping", "{\"dst\":\"10.77.0.60\",\"timeout_ms\":50}");
        assertThat(r).hasStatusOk().bodyJson().isLenientlyEqualTo("""
                {"dst":"10.77.0.60","src":"10.77.0.1","transmitted":1,"received":0,
                 "probes":[{"seq":1,"status":"timeout"}],
                 "neighbour":{"dst":"10.77.0.60","state":["INCOMPLETE"]}}""");
        assertThat(post("/api/v1/ping", "{\"dst\":\"192.0.2.1\"}")).hasStatusOk().bodyJson()
                .isLenientlyEqualTo("{\"probes\":[{\"seq\":1,\"status\":\"no_route\"}]}");
    }

    /**
     * The counters are shared by every test of the slice, so each is checked by the exact change
     * these two frames cause: a request for 10.77.0.1 (received, replied to, sender learnt) and the
     * same request tagged for VLAN 9 (ignored before arp_rcv, so not an ARP frame received).
     */
    @Test
    void statsCountFramesByOpAndReason() throws Exception {
        JsonNode before = stats();
        long sha = MacAddress.parse("02:bb:00:00:00:70").bits();
        EngineSlice.link(service).inject(ArpPacket.frame(1, MacAddress.BROADCAST.bits(), sha, -1, sha,
                Ipv4Address.parseBits("10.77.0.70"), 0, Ipv4Address.parseBits("10.77.0.1")));
        EngineSlice.link(service).inject(ArpPacket.frame(1, MacAddress.BROADCAST.bits(), sha, 9, sha,
                Ipv4Address.parseBits("10.77.0.70"), 0, Ipv4Address.parseBits("10.77.0.1")));
        service.loop().submit(e -> null).get(5, TimeUnit.SECONDS);
        JsonNode after = stats();

        assertThat(after.at("/interfaces/0/dev").asString()).isEqualTo("nd0");
        Map<String, Long> moved = new TreeMap<>();
        for (String p : List.of("/arp_cache/allocs", "/arp_cache/lookups", "/arp_cache/table_fulls",
                "/arp_cache/entries", "/interfaces/0/received/request", "/interfaces/0/received/reply",
                "/interfaces/0/sent/reply", "/interfaces/0/sent/request", "/interfaces/0/reasons/REPLIED/count",
                "/interfaces/0/reasons/VLAN_MISMATCH/count", "/interfaces/0/capture/received",
                "/engine/frames_dropped")) {
            moved.put(p, after.at(p).asLong(0) - before.at(p).asLong(0));
        }
        assertThat(moved).containsExactlyInAnyOrderEntriesOf(Map.ofEntries(
                Map.entry("/arp_cache/allocs", 1L), Map.entry("/arp_cache/entries", 1L),
                // neigh_event_ns: __neigh_lookup, a miss, then the creation (no second lookup)
                Map.entry("/arp_cache/lookups", 1L), Map.entry("/arp_cache/table_fulls", 0L),
                Map.entry("/interfaces/0/received/request", 1L), Map.entry("/interfaces/0/received/reply", 0L),
                Map.entry("/interfaces/0/sent/reply", 1L), Map.entry("/interfaces/0/sent/request", 0L),
                Map.entry("/interfaces/0/reasons/REPLIED/count", 1L),
                Map.entry("/interfaces/0/reasons/VLAN_MISMATCH/count", 1L),
                Map.entry("/interfaces/0/capture/received", 2L), Map.entry("/engine/frames_dropped", 0L)));
        assertThat(after.at("/interfaces/0/reasons/REPLIED/kind").asString()).isEqualTo("used");
        assertThat(after.at("/interfaces/0/reasons/VLAN_MISMATCH/kind").asString()).isEqualTo("ignored");
    }

    private JsonNode stats() {
        MvcTestResult r = mvc.get().uri("/api/v1/stats").exchange();
        assertThat(r).hasStatusOk();
        return JSON.readTree(r.getResponse().getContentAsByteArray());
    }

    @Test
    void eventsOfAnUnknownInterfaceAreAProblem() {
        assertThat(mvc.get().uri("/api/v1/events?dev=eth9").accept(MediaType.TEXT_EVENT_STREAM))
                .hasStatus(HttpStatus.NOT_FOUND).bodyJson().extractingPath("$.type")
                .isEqualTo("https://neighd.io/problems/unknown-interface");
    }

    private MvcTestResult post(String uri, String json) {
        return mvc.post().uri(uri).header("Authorization", EngineSlice.BEARER).contentType(MediaType.APPLICATION_JSON)
                .content(json).exchange();
    }
}
