package io.neighd.api;

import io.neighd.service.EngineRuntime;
import io.neighd.service.StateStore;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.assertj.MvcTestResult;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The API with IPv6 destinations over a real engine: nd_tbl entries beside arp_tbl's, the family
 * filter and field, IPv6 addresses with their DAD flags, IPv6 proxy entries (which need an
 * interface, as in Linux), ping6's interface for link-scoped destinations, the ndisc_cache
 * statistics and the net.ipv6 knobs with their ranges.
 */
@ApiSliceTest
class Ipv6ApiTest {
    @Autowired
    MockMvcTester mvc;

    @Autowired
    EngineRuntime service;

    @BeforeEach
    void emptyTable() throws Exception {
        EngineSlice.emptyTable(service);
    }

    private MvcTestResult post(String uri, String json) {
        return mvc.post().uri(uri).header("Authorization", EngineSlice.BEARER).contentType(MediaType.APPLICATION_JSON)
                .content(json).exchange();
    }

    private MvcTestResult delete(String uri) {
        return mvc.delete().uri(uri).header("Authorization", EngineSlice.BEARER).exchange();
    }

    @Test
    void ipv6EntriesLiveBesideIpv4OnesAndTheFamilyFilterSelects() {
        assertThat(post("/api/v1/neighbours", "{\"dst\":\"2001:db8::9\",\"dev\":\"nd0\",\"lladdr\":\"02:bb:00:00:00:09\","
                + "\"router\":true}")).hasStatus(HttpStatus.CREATED)
                .hasHeader("Location", "/api/v1/neighbours/nd0/2001:db8::9").bodyJson().isLenientlyEqualTo("""
                        {"dst":"2001:db8::9","family":"inet6","dev":"nd0","lladdr":"02:bb:00:00:00:09",
                         "state":["PERMANENT"],"router":true}""");
        post("/api/v1/neighbours", "{\"dst\":\"10.77.0.9\",\"dev\":\"nd0\",\"lladdr\":\"02:bb:00:00:00:09\"}");

        assertThat(mvc.get().uri("/api/v1/neighbours")).bodyJson().extractingPath("$[*].dst").asArray()
                .containsExactly("10.77.0.9", "2001:db8::9");
        assertThat(mvc.get().uri("/api/v1/neighbours?family=inet6")).bodyJson().extractingPath("$[*].dst").asArray()
                .containsExactly("2001:db8::9");
        assertThat(mvc.get().uri("/api/v1/neighbours?family=ipx")).hasStatus(HttpStatus.BAD_REQUEST).bodyJson()
                .extractingPath("$.field").isEqualTo("family");
        assertThat(mvc.get().uri("/api/v1/neighbours/nd0/2001:0db8::0009")).hasStatusOk().bodyJson()
                .extractingPath("$.dst").isEqualTo("2001:db8::9");
        assertThat(service.state().current().neighbours()).contains(
                new StateStore.NeighRecord("nd0", "2001:db8::9", "02:bb:00:00:00:09", "PERMANENT", true, false));

        assertThat(delete("/api/v1/neighbours?family=inet6&state=all")).hasStatusOk().bodyJson()
                .extractingPath("$.flushed").isEqualTo(1);
        assertThat(mvc.get().uri("/api/v1/neighbours?state=all")).bodyJson().extractingPath("$[*].dst").asArray()
                .containsExactly("10.77.0.9");
    }

    @Test
    void badIpv6TextNamesTheField() {
        assertThat(mvc.get().uri("/api/v1/neighbours/nd0/2001:db8::g")).hasStatus(HttpStatus.BAD_REQUEST).bodyJson()
                .isLenientlyEqualTo("""
                        {"type":"https://neighd.io/problems/invalid-ip","field":"ip","value":"2001:db8::g"}""");
    }

    @Test
    void anIpv6AddressIsTentativeUntilDadPassesAndThenValid() {
        assertThat(post("/api/v1/interfaces/nd0/addresses", "{\"address\":\"2001:db8::1/64\"}"))
                .hasStatus(HttpStatus.CREATED).bodyJson().isLenientlyEqualTo("""
                        {"family":"inet6","local":"2001:db8::1","prefixlen":64,"scope":"global","flags":["tentative"]}""");
        Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(mvc.get().uri("/api/v1/interfaces/nd0")).bodyJson()
                        .extractingPath("$.addresses[?(@.local=='2001:db8::1')].flags[*]").asArray().isEmpty());
        assertThat(mvc.get().uri("/api/v1/interfaces/nd0")).bodyJson().extractingPath("$.groups6").asArray()
                .contains("ff02::1", "ff02::1:ff00:1");
        assertThat(post("/api/v1/interfaces/nd0/addresses", "{\"address\":\"2001:db8::1/64\"}"))
                .hasStatus(HttpStatus.CONFLICT);
        assertThat(post("/api/v1/interfaces/nd0/addresses", "{\"address\":\"ff02::7/64\"}"))
                .hasStatus(HttpStatus.BAD_REQUEST).bodyJson().extractingPath("$.type")
                .isEqualTo("https://neighd.io/problems/invalid-address");
        assertThat(post("/api/v1/interfaces/nd0/addresses", "{\"address\":\"2001:db8::7\"}"))
                .hasStatus(HttpStatus.BAD_REQUEST).bodyJson().extractingPath("$.field").isEqualTo("address");
        assertThat(service.state().current().addresses())
                .contains(new StateStore.AddressRecord("nd0", "2001:db8::1/64", "add"));

        assertThat(delete("/api/v1/interfaces/nd0/addresses/2001:db8::1")).hasStatus(HttpStatus.NO_CONTENT);
        assertThat(service.state().current().addresses())
                .doesNotContain(new StateStore.AddressRecord("nd0", "2001:db8::1/64", "add"));
    }

    @Test
    void anIpv6ProxyEntryNeedsAnInterface() {
        assertThat(post("/api/v1/proxy-neighbours", "{\"dst\":\"2001:db8::50\"}")).hasStatus(HttpStatus.BAD_REQUEST)
                .bodyJson().extractingPath("$.field").isEqualTo("dev");
        assertThat(post("/api/v1/proxy-neighbours", "{\"dst\":\"2001:db8::50\",\"dev\":\"nd0\",\"router\":true}"))
                .hasStatus(HttpStatus.CREATED).bodyJson().isLenientlyEqualTo("""
                        {"dst":"2001:db8::50","dev":"nd0","router":true}""");
        assertThat(mvc.get().uri("/api/v1/proxy-neighbours")).bodyJson().extractingPath("$[*].dst").asArray()
                .contains("2001:db8::50");
        assertThat(mvc.get().uri("/api/v1/interfaces/nd0")).bodyJson().extractingPath("$.groups6").asArray()
                .as("pndisc_constructor joins its solicited-node group").contains("ff02::1:ff00:50");
        assertThat(delete("/api/v1/proxy-neighbours/2001:db8::50?dev=nd0")).hasStatus(HttpStatus.NO_CONTENT);
        assertThat(mvc.get().uri("/api/v1/interfaces/nd0")).bodyJson().extractingPath("$.groups6").asArray()
                .doesNotContain("ff02::1:ff00:50");
    }

    @Test
    void aLinkLocalPingNeedsTheInterface() {
        assertThat(post("/api/v1/ping", "{\"dst\":\"fe80::2\"}")).hasStatus(HttpStatus.BAD_REQUEST).bodyJson()
                .extractingPath("$.field").isEqualTo("dev");
        assertThat(post("/api/v1/ping", "{\"dst\":\"fe80::2\",\"dev\":\"eth9\",\"timeout_ms\":10}"))
                .hasStatus(HttpStatus.NOT_FOUND);
        assertThat(post("/api/v1/ping", "{\"dst\":\"2001:db9::2\",\"timeout_ms\":10}")).hasStatusOk().bodyJson()
                .extractingPath("$.probes[0].status").as("no IPv6 route there").isEqualTo("no_route");
    }

    @Test
    void statsCarryNdiscCacheAndTheIpv6Counters() {
        assertThat(mvc.get().uri("/api/v1/stats")).hasStatusOk().bodyJson().isLenientlyEqualTo("""
                {"ndisc_cache":{"rcv_probes_mcast":0},
                 "interfaces":[{"dev":"nd0","ndisc":{"received":{"ns":0,"na":0},"sent":{},"addresses":{}}}]}""");
    }

    @Test
    void ipv6KnobsHaveLinuxsDefaultsAndRanges() {
        assertThat(mvc.get().uri("/api/v1/sysctl?prefix=net.ipv6.conf.all.accept_dad")).bodyJson()
                .extractingPath("$[0].value").isEqualTo(0);
        assertThat(mvc.get().uri("/api/v1/sysctl?prefix=net.ipv6.conf.nd0.accept_dad")).bodyJson()
                .extractingPath("$[0].value").isEqualTo(1);
        assertThat(mvc.get().uri("/api/v1/sysctl?prefix=net.ipv6.neigh.nd0.retrans_time_ms")).bodyJson()
                .extractingPath("$[0].value").isEqualTo(1000);
        assertThat(mvc.get().uri("/api/v1/sysctl?prefix=net.ipv6.neigh.nd0.locktime")).bodyJson()
                .extractingPath("$[0].value").isEqualTo(0);
        assertThat(mvc.patch().uri("/api/v1/sysctl").header("Authorization", EngineSlice.BEARER)
                .contentType(MediaType.APPLICATION_JSON).content("{\"net.ipv6.conf.nd0.accept_untracked_na\": 3}"))
                .hasStatus(HttpStatus.BAD_REQUEST).bodyJson().isLenientlyEqualTo("""
                        {"type":"https://neighd.io/problems/invalid-sysctl",
                         "field":"net.ipv6.conf.nd0.accept_untracked_na"}""");
    }
}
