package io.neighd.api;

import io.neighd.service.EngineRuntime;
import io.neighd.service.StateStore;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.assertj.MvcTestResult;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code /api/v1/routes} and {@code /api/v1/sysctl}: {@code ip route} and {@code sysctl}. */
@ApiSliceTest
class RouteAndSysctlControllerTest {
    @Autowired
    MockMvcTester mvc;

    @Autowired
    EngineRuntime service;

    @Test
    void listsConnectedAndStaticRoutes() {
        assertThat(mvc.get().uri("/api/v1/routes")).hasStatusOk().bodyJson().isLenientlyEqualTo("""
                [{"dst":"10.77.0.0/24","dev":"nd0","protocol":"kernel","scope":"link","prefsrc":"10.77.0.1"},
                 {"dst":"10.88.0.0/24","gateway":"10.77.0.254","dev":"nd0","protocol":"static",
                  "spec":"10.88.0.0/24 via 10.77.0.254 dev nd0"}]""");
    }

    @Test
    void addsAndDeletesStaticRoutes() {
        MvcTestResult added = write("POST", "/api/v1/routes", "{\"route\":\"default via 10.77.0.254\"}");
        assertThat(added).hasStatus(HttpStatus.CREATED).bodyJson().isLenientlyEqualTo("""
                {"dst":"default","gateway":"10.77.0.254","dev":"nd0","protocol":"static"}""");
        assertThat(service.state().current().routes()).contains(new StateStore.RouteRecord("default via 10.77.0.254", "add"));
        assertThat(write("POST", "/api/v1/routes", "{\"route\":\"default via 10.77.0.254\"}"))
                .hasStatus(HttpStatus.CONFLICT).bodyJson().extractingPath("$.type")
                .isEqualTo("https://neighd.io/problems/route-exists");

        assertThat(write("DELETE", "/api/v1/routes?dst=default", null)).hasStatusOk().bodyJson()
                .extractingPath("$[*].dst").asArray().containsExactly("default");
        assertThat(service.state().current().routes()).containsExactly(new StateStore.RouteRecord("0.0.0.0/0", "del"));
        assertThat(write("DELETE", "/api/v1/routes?dst=default", null)).hasStatus(HttpStatus.NOT_FOUND).bodyJson()
                .extractingPath("$.type").isEqualTo("https://neighd.io/problems/no-such-route");
    }

    @Test
    void refusesRoutesThatDoNotParseOrCannotBeReached() {
        assertThat(write("POST", "/api/v1/routes", "{\"route\":\"10.99.0.0/24 via 10.55.0.1\"}"))
                .hasStatus(HttpStatus.BAD_REQUEST).bodyJson().isLenientlyEqualTo("""
                        {"type":"https://neighd.io/problems/invalid-route","field":"route",
                         "detail":"invalid route '10.99.0.0/24 via 10.55.0.1': gateway 10.55.0.1 is not on a connected subnet"}""");
        assertThat(write("POST", "/api/v1/routes", "{\"route\":\"10.99.0.1/24 dev nd0\"}"))
                .hasStatus(HttpStatus.BAD_REQUEST).bodyJson().extractingPath("$.detail").asString()
                .contains("host bits set");
        assertThat(write("DELETE", "/api/v1/routes?dst=far", null)).hasStatus(HttpStatus.BAD_REQUEST).bodyJson()
                .isLenientlyEqualTo("{\"type\":\"https://neighd.io/problems/invalid-route\",\"field\":\"dst\"}");
        assertThat(write("DELETE", "/api/v1/routes", null)).hasStatus(HttpStatus.BAD_REQUEST).bodyJson()
                .isLenientlyEqualTo("{\"type\":\"https://neighd.io/problems/invalid-request\",\"field\":\"dst\"}");
    }

    @Test
    void listsKnobsByPrefixWithTheirRanges() {
        assertThat(mvc.get().uri("/api/v1/sysctl?prefix=net.ipv4.conf.nd0.arp_ig")).hasStatusOk().bodyJson()
                .isLenientlyEqualTo("""
                        [{"name":"net.ipv4.conf.nd0.arp_ignore","value":0,"min":0,"max":8}]""");
        assertThat(mvc.get().uri("/api/v1/sysctl")).bodyJson().extractingPath("$[*].name").asArray()
                .contains("net.ipv4.conf.all.arp_ignore", "net.ipv4.neigh.default.gc_thresh3",
                        "net.ipv4.neigh.nd0.base_reachable_time_ms");
    }

    @Test
    void writesKnobsAllOrNothingAndKeepsThem() {
        MvcTestResult ok = write("PATCH", "/api/v1/sysctl",
                "{\"net.ipv4.neigh.nd0.retrans_time_ms\": 250, \"net.ipv4.conf.nd0.arp_announce\": \"2\"}");
        // 250 ms rounds through jiffies as on Linux (HZ 250)
        assertThat(ok).hasStatusOk().bodyJson().isLenientlyEqualTo("""
                [{"name":"net.ipv4.neigh.nd0.retrans_time_ms","value":252},
                 {"name":"net.ipv4.conf.nd0.arp_announce","value":2}]""");
        assertThat(service.state().current().sysctl()).containsAllEntriesOf(Map.of(
                "net.ipv4.neigh.nd0.retrans_time_ms", 250L, "net.ipv4.conf.nd0.arp_announce", 2L));

        // Linux's proc_dointvec refuses what does not fit an int
        MvcTestResult bad = write("PATCH", "/api/v1/sysctl",
                "{\"net.ipv4.conf.nd0.arp_announce\": 0, \"net.ipv4.conf.nd0.arp_ignore\": 2147483648}");
        assertThat(bad).hasStatus(HttpStatus.BAD_REQUEST).bodyJson().isLenientlyEqualTo("""
                {"type":"https://neighd.io/problems/invalid-sysctl","field":"net.ipv4.conf.nd0.arp_ignore",
                 "value":2147483648,
                 "detail":"net.ipv4.conf.nd0.arp_ignore: 2147483648 is out of range (allowed: 0..8 integer)"}""");
        assertThat(mvc.get().uri("/api/v1/sysctl?prefix=net.ipv4.conf.nd0.arp_announce")).bodyJson()
                .extractingPath("$[0].value").as("nothing written").isEqualTo(2);

        assertThat(write("PATCH", "/api/v1/sysctl", "{\"net.ipv4.conf.nd0.arp_fancy\": 1}"))
                .hasStatus(HttpStatus.BAD_REQUEST).bodyJson().isLenientlyEqualTo("""
                        {"type":"https://neighd.io/problems/invalid-sysctl","field":"net.ipv4.conf.nd0.arp_fancy"}""");
        assertThat(write("PATCH", "/api/v1/sysctl", "{\"net.ipv4.conf.nd0.arp_ignore\": \"high\"}"))
                .hasStatus(HttpStatus.BAD_REQUEST).bodyJson().isLenientlyEqualTo("""
                        {"type":"https://neighd.io/problems/invalid-sysctl","field":"net.ipv4.conf.nd0.arp_ignore",
                         "value":"high"}""");
        write("PATCH", "/api/v1/sysctl",
                "{\"net.ipv4.neigh.nd0.retrans_time_ms\": 1000, \"net.ipv4.conf.nd0.arp_announce\": 0}");
    }

    /** Issue 10, defect 3: a value Linux stores overflowed is written as Linux stores it, and the answer says so. */
    @Test
    void anOverflowedKnobIsWrittenAsLinuxStoresItWithAWarning() {
        MvcTestResult ok = write("PATCH", "/api/v1/sysctl", "{\"net.ipv4.neigh.nd0.locktime\": 900000000}");

        assertThat(ok).hasStatusOk().bodyJson().isLenientlyEqualTo("""
                [{"name":"net.ipv4.neigh.nd0.locktime","value":-817986918,"max":858993459}]""");
        assertThat(ok).bodyJson().extractingPath("$[0].warnings[0]").asString()
                .contains("900000000 is outside 0..858993459", "stores -2044967296 jiffies");
        assertThat(write("PATCH", "/api/v1/sysctl", "{\"net.ipv4.neigh.nd0.locktime\": 100}")).hasStatusOk()
                .bodyJson().extractingPath("$[0]").asMap().doesNotContainKey("warnings");
    }

    private MvcTestResult write(String method, String uri, String json) {
        var req = mvc.method(org.springframework.http.HttpMethod.valueOf(method)).uri(uri)
                .header("Authorization", EngineSlice.BEARER);
        return json == null ? req.exchange() : req.contentType(MediaType.APPLICATION_JSON).content(json).exchange();
    }
}
