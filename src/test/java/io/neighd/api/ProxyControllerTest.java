package io.neighd.api;

import io.neighd.service.EngineRuntime;
import io.neighd.service.StateStore;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.assertj.MockMvcTester;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code /api/v1/proxy-neighbours}: {@code ip neigh add|del|show proxy}. */
@ApiSliceTest
class ProxyControllerTest {
    @Autowired
    MockMvcTester mvc;

    @Autowired
    EngineRuntime service;

    @Test
    void addsListsAndDeletesProxyEntries() {
        assertThat(add("{\"dst\":\"10.77.0.50\",\"dev\":\"nd0\"}")).hasStatus(HttpStatus.CREATED);
        assertThat(add("{\"dst\":\"10.77.0.50\",\"dev\":\"nd0\"}")).as("as in Linux, no EEXIST").hasStatusOk();
        assertThat(add("{\"dst\":\"10.77.0.51\"}")).hasStatus(HttpStatus.CREATED);
        assertThat(mvc.get().uri("/api/v1/proxy-neighbours")).hasStatusOk().bodyJson().isEqualTo("""
                [{"dst":"10.77.0.50","dev":"nd0"},{"dst":"10.77.0.51"}]""");
        assertThat(service.state().current().proxies()).containsExactlyInAnyOrder(
                new StateStore.ProxyRecord("10.77.0.50", "nd0"), new StateStore.ProxyRecord("10.77.0.51", null));

        assertThat(mvc.delete().uri("/api/v1/proxy-neighbours/10.77.0.51?dev=nd0")
                .header("Authorization", EngineSlice.BEARER)).as("the device must match").hasStatus(HttpStatus.NOT_FOUND)
                .bodyJson().extractingPath("$.type").isEqualTo("https://neighd.io/problems/no-such-entry");
        assertThat(mvc.delete().uri("/api/v1/proxy-neighbours/10.77.0.51")
                .header("Authorization", EngineSlice.BEARER)).hasStatus(HttpStatus.NO_CONTENT);
        assertThat(mvc.delete().uri("/api/v1/proxy-neighbours/10.77.0.50?dev=nd0")
                .header("Authorization", EngineSlice.BEARER)).hasStatus(HttpStatus.NO_CONTENT);
        assertThat(mvc.get().uri("/api/v1/proxy-neighbours")).bodyJson().isEqualTo("[]");
        assertThat(service.state().current().proxies()).isEmpty();
    }

    @Test
    void badInput() {
        assertThat(add("{\"dev\":\"nd0\"}")).hasStatus(HttpStatus.BAD_REQUEST).bodyJson()
                .isLenientlyEqualTo("{\"type\":\"https://neighd.io/problems/invalid-ip\",\"field\":\"dst\"}");
        assertThat(add("{\"dst\":\"10.77.0.52\",\"dev\":\"eth9\"}")).hasStatus(HttpStatus.NOT_FOUND);
    }

    private org.springframework.test.web.servlet.assertj.MvcTestResult add(String json) {
        return mvc.post().uri("/api/v1/proxy-neighbours").header("Authorization", EngineSlice.BEARER)
                .contentType(MediaType.APPLICATION_JSON).content(json).exchange();
    }
}
