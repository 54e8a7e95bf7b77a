package io.neighd.api;

import io.neighd.service.EngineRuntime;
import io.neighd.service.StateStore;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.assertj.MvcTestResult;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code /api/v1/interfaces}: link facts, knobs, capture counters, owned addresses, announce. */
@ApiSliceTest
class InterfaceControllerTest {
    @Autowired
    MockMvcTester mvc;

    @Autowired
    EngineRuntime service;

    @Test
    void showsLinkFactsKnobsAndCaptureCounters() {
        assertThat(mvc.get().uri("/api/v1/interfaces/nd0")).hasStatusOk().bodyJson().isLenientlyEqualTo("""
                {"name":"nd0","ifindex":7,"lladdr":"02:aa:00:00:00:01","mtu":1500,"carrier":true,"up":true,
                 "addresses":[{"family":"inet","local":"10.77.0.1","prefixlen":24,"scope":"global",
                               "secondary":false},
                              {"family":"inet6","local":"fe80::aa:ff:fe00:1","prefixlen":64,"scope":"link"}],
                 "conf":{"arp_ignore":0,"arp_announce":0,"arp_evict_nocarrier":1},
                 "conf_raw":{"arp_ignore":0},
                 "capture":{"capturing":true,"dropped":0,"if_dropped":0}}""");
        assertThat(mvc.get().uri("/api/v1/interfaces")).hasStatusOk().bodyJson().extractingPath("$[*].name")
                .asArray().containsExactly("nd0");
        assertThat(mvc.get().uri("/api/v1/interfaces/eth9")).hasStatus(HttpStatus.NOT_FOUND).bodyJson()
                .isLenientlyEqualTo("""
                        {"type":"https://neighd.io/problems/unknown-interface","status":404,"field":"dev",
                         "value":"eth9"}""");
    }

    @Test
    void effectiveKnobsCombineAllWithTheInterface() {
        patchSysctl("{\"net.ipv4.conf.all.arp_ignore\": 2}");
        try {
            assertThat(mvc.get().uri("/api/v1/interfaces/nd0")).bodyJson().isLenientlyEqualTo("""
                    {"conf":{"arp_ignore":2},"conf_raw":{"arp_ignore":0}}""");
        } finally {
            patchSysctl("{\"net.ipv4.conf.all.arp_ignore\": 0}");
        }
    }

    @Test
    void addsAndRemovesOwnedAddressesKeepingThemInTheStateFile() {
        MvcTestResult added = post("/api/v1/interfaces/nd0/addresses", "{\"address\":\"10.77.0.5/24\"}");
        assertThat(added).hasStatus(HttpStatus.CREATED).bodyJson().isLenientlyEqualTo("""
                {"local":"10.77.0.5","prefixlen":24,"secondary":true}""");
        assertThat(service.state().current().addresses())
                .contains(new StateStore.AddressRecord("nd0", "10.77.0.5/24", "add"));
        assertThat(post("/api/v1/interfaces/nd0/addresses", "{\"address\":\"10.77.0.5/24\"}"))
                .hasStatus(HttpStatus.CONFLICT).bodyJson().extractingPath("$.type")
                .isEqualTo("https://neighd.io/problems/address-exists");

        assertThat(mvc.delete().uri("/api/v1/interfaces/nd0/addresses/10.77.0.5")
                .header("Authorization", EngineSlice.BEARER)).hasStatus(HttpStatus.NO_CONTENT);
        // an add and its del cancel out in the file
        assertThat(service.state().current().addresses()).noneMatch(a -> a.address().startsWith("10.77.0.5/"));
        assertThat(mvc.delete().uri("/api/v1/interfaces/nd0/addresses/10.77.0.5")
                .header("Authorization", EngineSlice.BEARER)).hasStatus(HttpStatus.NOT_FOUND).bodyJson()
                .extractingPath("$.type").isEqualTo("https://neighd.io/problems/no-such-address");
    }

    @Test
    void refusesAddressesThatAreNotAddressesWithPrefix() {
        assertThat(post("/api/v1/interfaces/nd0/addresses", "{\"address\":\"10.77.0.5\"}"))
                .hasStatus(HttpStatus.BAD_REQUEST).bodyJson().isLenientlyEqualTo("""
                        {"type":"https://neighd.io/problems/invalid-address","field":"address","value":"10.77.0.5"}""");
        assertThat(post("/api/v1/interfaces/nd0/addresses", "{\"address\":\"224.0.0.1/4\"}"))
                .hasStatus(HttpStatus.BAD_REQUEST).bodyJson().extractingPath("$.type")
                .isEqualTo("https://neighd.io/problems/invalid-address");
        assertThat(post("/api/v1/interfaces/nd0/addresses", "{\"address\":\"10.77.0.6/24\",\"scope\":\"galaxy\"}"))
                .hasStatus(HttpStatus.BAD_REQUEST).bodyJson().extractingPath("$.field").isEqualTo("scope");
    }

    @Test
    void announceSendsAGratuitousRequestForEachAddress() {
        EngineSlice.link(service).clearSent();
        assertThat(post("/api/v1/interfaces/nd0/announce", null)).hasStatusOk().bodyJson()
                .isLenientlyEqualTo("{\"arp\":1}");
        // the link-local address's unsolicited NA too, once its DAD has passed
        assertThat(EngineSlice.link(service).sent().stream().filter(f -> f[12] == 8 && f[13] == 6))
                .singleElement().satisfies(f -> {
            assertThat(f).hasSize(42);
            assertThat(f[21]).as("opcode request").isEqualTo((byte) 1);
        });
    }

    private MvcTestResult post(String uri, String json) {
        var req = mvc.post().uri(uri).header("Authorization", EngineSlice.BEARER);
        return json == null ? req.exchange() : req.contentType(MediaType.APPLICATION_JSON).content(json).exchange();
    }

    private void patchSysctl(String json) {
        assertThat(mvc.patch().uri("/api/v1/sysctl").header("Authorization", EngineSlice.BEARER)
                .contentType(MediaType.APPLICATION_JSON).content(json)).hasStatusOk();
    }
}
