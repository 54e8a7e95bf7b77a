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

import java.util.HexFormat;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code /api/v1/explain}, {@code /api/v1/ping}, {@code /api/v1/stats} and the events endpoint's refusals. */
@ApiSliceTest
class DiagnosticsControllerTest {
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

    @Test
    void statsCountFramesByOpAndReason() throws Exception {
        long sha = MacAddress.parse("02:bb:00:00:00:70").bits();
        EngineSlice.link(service).inject(ArpPacket.frame(1, MacAddress.BROADCAST.bits(), sha, -1, sha,
                Ipv4Address.parseBits("10.77.0.70"), 0, Ipv4Address.parseBits("10.77.0.1")));
        EngineSlice.link(service).inject(ArpPacket.frame(1, MacAddress.BROADCAST.bits(), sha, 9, sha,
                Ipv4Address.parseBits("10.77.0.70"), 0, Ipv4Address.parseBits("10.77.0.1")));
        service.loop().submit(e -> null).get(5, TimeUnit.SECONDS);

        assertThat(mvc.get().uri("/api/v1/stats")).hasStatusOk().bodyJson().satisfies(json -> {
            assertThat(json).extractingPath("$.arp_cache.entries").asNumber().isNotNull();
            assertThat(json).extractingPath("$.arp_cache.table_fulls").isEqualTo(0);
            assertThat(json).extractingPath("$.interfaces[0].dev").isEqualTo("nd0");
            assertThat(json).extractingPath("$.interfaces[0].received.request").asNumber().isNotEqualTo(0);
            assertThat(json).extractingPath("$.interfaces[0].sent.reply").asNumber().isNotEqualTo(0);
            assertThat(json).extractingPath("$.interfaces[0].reasons.REPLIED.kind").isEqualTo("used");
            assertThat(json).extractingPath("$.interfaces[0].reasons.VLAN_MISMATCH.kind").isEqualTo("ignored");
            assertThat(json).extractingPath("$.interfaces[0].capture.received").asNumber().isNotEqualTo(0);
            assertThat(json).extractingPath("$.engine.frames_dropped").isEqualTo(0);
        });
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
