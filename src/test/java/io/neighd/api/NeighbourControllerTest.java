package io.neighd.api;

import io.neighd.service.EngineRuntime;
import io.neighd.service.StateStore;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.assertj.MvcTestResult;


import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code /api/v1/neighbours} over a real engine: the verbs of {@code ip neigh} and the problems
 * their misuse earns, each naming the field at fault.
 */
@ApiSliceTest
class NeighbourControllerTest {
    @Autowired
    MockMvcTester mvc;

    @Autowired
    EngineRuntime service;

    @BeforeEach
    void emptyTable() throws Exception {
        EngineSlice.emptyTable(service);
    }

    private MvcTestResult add(String json) {
        return mvc.post().uri("/api/v1/neighbours").header("Authorization", EngineSlice.BEARER)
                .contentType(MediaType.APPLICATION_JSON).content(json).exchange();
    }

    @Test
    void addDefaultsToPermanentAndAnswersCreatedWithTheEntry() {
        MvcTestResult r = add("{\"dst\":\"10.77.0.9\",\"dev\":\"nd0\",\"lladdr\":\"02:BB:00:00:00:09\",\"router\":true}");
        assertThat(r).hasStatus(HttpStatus.CREATED).hasHeader("Location", "/api/v1/neighbours/nd0/10.77.0.9");
        assertThat(r).bodyJson().isLenientlyEqualTo("""
                {"dst":"10.77.0.9","dev":"nd0","lladdr":"02:bb:00:00:00:09","state":["PERMANENT"],"router":true,
                 "extern_learn":false,"managed":false,"probes":0,"used":0,"confirmed":0,"updated":0,"refcnt":0,
                 "queue_len_bytes":0}""");
        assertThat(service.state().current().neighbours()).containsExactly(
                new StateStore.NeighRecord("nd0", "10.77.0.9", "02:bb:00:00:00:09", "PERMANENT", true, false));
    }

    @Test
    void addOfAnExistingEntryIsAConflict() {
        add("{\"dst\":\"10.77.0.9\",\"dev\":\"nd0\",\"lladdr\":\"02:bb:00:00:00:09\"}");
        MvcTestResult r = add("{\"dst\":\"10.77.0.9\",\"dev\":\"nd0\",\"lladdr\":\"02:bb:00:00:00:10\"}");
        assertThat(r).hasStatus(HttpStatus.CONFLICT).hasContentType(MediaType.APPLICATION_PROBLEM_JSON);
        assertThat(r).bodyJson().isLenientlyEqualTo("""
                {"type":"https://neighd.io/problems/entry-exists","title":"Entry exists","status":409,
                 "field":"dst","value":"10.77.0.9"}""");
        assertThat(mvc.get().uri("/api/v1/neighbours/nd0/10.77.0.9")).bodyJson()
                .extractingPath("$.lladdr").isEqualTo("02:bb:00:00:00:09");
    }

    @Test
    void badInputNamesTheField() {
        assertThat(add("{\"dst\":\"10.77.0.256\",\"dev\":\"nd0\",\"lladdr\":\"02:bb:00:00:00:09\"}"))
                .hasStatus(HttpStatus.BAD_REQUEST).bodyJson().isLenientlyEqualTo("""
                        {"type":"https://neighd.io/problems/invalid-ip","field":"dst","value":"10.77.0.256"}""");
        assertThat(add("{\"dst\":\"10.77.0.9\",\"dev\":\"nd0\",\"lladdr\":\"02:bb:00:00:09\"}"))
                .hasStatus(HttpStatus.BAD_REQUEST).bodyJson().isLenientlyEqualTo("""
                        {"type":"https://neighd.io/problems/invalid-mac","field":"lladdr","value":"02:bb:00:00:09"}""");
        assertThat(add("{\"dst\":\"10.77.0.9\",\"dev\":\"nd0\",\"lladdr\":\"02:bb:00:00:00:09\",\"state\":\"gone\"}"))
                .hasStatus(HttpStatus.BAD_REQUEST).bodyJson().isLenientlyEqualTo("""
                        {"type":"https://neighd.io/problems/invalid-state","field":"state","value":"gone"}""");
        assertThat(add("{\"dst\":\"10.77.0.9\",\"dev\":\"eth9\",\"lladdr\":\"02:bb:00:00:00:09\"}"))
                .hasStatus(HttpStatus.NOT_FOUND).bodyJson().isLenientlyEqualTo("""
                        {"type":"https://neighd.io/problems/unknown-interface","field":"dev","value":"eth9",
                         "detail":"no interface named 'eth9' (known: nd0)"}""");
        // EINVAL: a PERMANENT entry needs an address
        assertThat(add("{\"dst\":\"10.77.0.9\",\"dev\":\"nd0\"}"))
                .hasStatus(HttpStatus.BAD_REQUEST).bodyJson().isLenientlyEqualTo("""
                        {"type":"https://neighd.io/problems/invalid-request","field":"lladdr"}""");
        assertThat(add("{not json")).hasStatus(HttpStatus.BAD_REQUEST).bodyJson()
                .extractingPath("$.type").isEqualTo("https://neighd.io/problems/invalid-request");
        assertThat(mvc.get().uri("/api/v1/neighbours/nd0/ten")).hasStatus(HttpStatus.BAD_REQUEST).bodyJson()
                .isLenientlyEqualTo("{\"type\":\"https://neighd.io/problems/invalid-ip\",\"field\":\"ip\"}");
        assertThat(mvc.get().uri("/api/v1/neighbours?state=sleepy")).hasStatus(HttpStatus.BAD_REQUEST)
                .bodyJson().extractingPath("$.field").isEqualTo("state");
        assertThat(service.state().current().neighbours()).isEmpty();
    }

    @Test
    void listHidesNoarpAndNoneUnlessAsked() {
        add("{\"dst\":\"10.77.0.9\",\"dev\":\"nd0\",\"lladdr\":\"02:bb:00:00:00:09\"}");
        add("{\"dst\":\"10.77.0.10\",\"dev\":\"nd0\",\"lladdr\":\"02:bb:00:00:00:0a\",\"state\":\"noarp\"}");
        assertThat(mvc.get().uri("/api/v1/neighbours")).bodyJson().extractingPath("$[*].dst").asArray()
                .containsExactly("10.77.0.9");
        assertThat(mvc.get().uri("/api/v1/neighbours?state=all")).bodyJson().extractingPath("$[*].dst").asArray()
                .containsExactly("10.77.0.9", "10.77.0.10");
        assertThat(mvc.get().uri("/api/v1/neighbours?dev=nd0&state=noarp,STALE")).bodyJson()
                .extractingPath("$[*].dst").asArray().containsExactly("10.77.0.10");
        assertThat(service.state().current().neighbours()).extracting(StateStore.NeighRecord::state)
                .containsExactly("PERMANENT", "NOARP");
    }

    @Test
    void replaceCreatesThenOverwrites() {
        MvcTestResult created = mvc.put().uri("/api/v1/neighbours/nd0/10.77.0.11").header("Authorization",
                EngineSlice.BEARER).contentType(MediaType.APPLICATION_JSON)
                .content("{\"lladdr\":\"02:bb:00:00:00:11\"}").exchange();
        assertThat(created).hasStatus(HttpStatus.CREATED);
        MvcTestResult replaced = mvc.put().uri("/api/v1/neighbours/nd0/10.77.0.11").header("Authorization",
                EngineSlice.BEARER).contentType(MediaType.APPLICATION_JSON)
                .content("{\"lladdr\":\"02:bb:00:00:00:12\",\"state\":\"stale\"}").exchange();
        assertThat(replaced).hasStatus(HttpStatus.OK).bodyJson().isLenientlyEqualTo("""
                {"lladdr":"02:bb:00:00:00:12","state":["STALE"]}""");
        // no longer administrative: it left the state file, as a learned entry would never be in it
        assertThat(service.state().current().neighbours()).isEmpty();
    }

    @Test
    void changeKeepsWhatItIsNotToldAndNeedsAnEntry() {
        add("{\"dst\":\"10.77.0.12\",\"dev\":\"nd0\",\"lladdr\":\"02:bb:00:00:00:12\",\"router\":true}");
        MvcTestResult r = mvc.patch().uri("/api/v1/neighbours/nd0/10.77.0.12").header("Authorization",
                EngineSlice.BEARER).contentType(MediaType.APPLICATION_JSON)
                .content("{\"lladdr\":\"02:bb:00:00:00:13\"}").exchange();
        assertThat(r).hasStatusOk().bodyJson().isLenientlyEqualTo("""
                {"lladdr":"02:bb:00:00:00:13","state":["PERMANENT"],"router":true}""");
        assertThat(service.state().current().neighbours()).singleElement()
                .extracting(StateStore.NeighRecord::lladdr).isEqualTo("02:bb:00:00:00:13");

        MvcTestResult missing = mvc.patch().uri("/api/v1/neighbours/nd0/10.77.0.99").header("Authorization",
                EngineSlice.BEARER).contentType(MediaType.APPLICATION_JSON).content("{\"state\":\"stale\"}").exchange();
        assertThat(missing).hasStatus(HttpStatus.NOT_FOUND).bodyJson().extractingPath("$.type")
                .isEqualTo("https://neighd.io/problems/no-such-entry");
    }

    @Test
    void deleteAndFlush() {
        add("{\"dst\":\"10.77.0.20\",\"dev\":\"nd0\",\"lladdr\":\"02:bb:00:00:00:20\"}");
        add("{\"dst\":\"10.77.0.21\",\"dev\":\"nd0\",\"lladdr\":\"02:bb:00:00:00:21\",\"state\":\"stale\"}");
        add("{\"dst\":\"10.77.0.22\",\"dev\":\"nd0\",\"lladdr\":\"02:bb:00:00:00:22\",\"state\":\"reachable\"}");

        assertThat(mvc.delete().uri("/api/v1/neighbours?dev=nd0").header("Authorization", EngineSlice.BEARER))
                .hasStatusOk().bodyJson().isLenientlyEqualTo("{\"flushed\":2}");
        assertThat(mvc.get().uri("/api/v1/neighbours?state=all")).bodyJson().extractingPath("$[*].dst").asArray()
                .containsExactly("10.77.0.20");

        assertThat(mvc.delete().uri("/api/v1/neighbours?state=permanent").header("Authorization", EngineSlice.BEARER))
                .hasStatusOk().bodyJson().isLenientlyEqualTo("{\"flushed\":1}");
        assertThat(service.state().current().neighbours()).isEmpty();

        assertThat(mvc.delete().uri("/api/v1/neighbours/nd0/10.77.0.20").header("Authorization", EngineSlice.BEARER))
                .hasStatus(HttpStatus.NOT_FOUND).bodyJson().extractingPath("$.type")
                .isEqualTo("https://neighd.io/problems/no-such-entry");
        add("{\"dst\":\"10.77.0.23\",\"dev\":\"nd0\",\"lladdr\":\"02:bb:00:00:00:23\"}");
        assertThat(mvc.delete().uri("/api/v1/neighbours/nd0/10.77.0.23").header("Authorization", EngineSlice.BEARER))
                .hasStatus(HttpStatus.NO_CONTENT);
        assertThat(service.state().current().neighbours()).isEmpty();
    }

    @Test
    void resolveTimeoutIsValidated() {
        assertThat(mvc.post().uri("/api/v1/neighbours/nd0/10.77.0.30/resolve?timeout_ms=0")
                .header("Authorization", EngineSlice.BEARER)).hasStatus(HttpStatus.BAD_REQUEST).bodyJson()
                .isLenientlyEqualTo("{\"type\":\"https://neighd.io/problems/invalid-request\",\"field\":\"timeout_ms\"}");
        assertThat(mvc.post().uri("/api/v1/neighbours/nd0/10.77.0.30/resolve?timeout_ms=soon")
                .header("Authorization", EngineSlice.BEARER)).hasStatus(HttpStatus.BAD_REQUEST).bodyJson()
                .isLenientlyEqualTo("{\"type\":\"https://neighd.io/problems/invalid-request\",\"field\":\"timeout_ms\"}");
    }
}
