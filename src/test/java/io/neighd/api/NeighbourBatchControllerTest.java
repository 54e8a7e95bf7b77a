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

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.StringJoiner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code POST /api/v1/neighbours/batch}, {@code ip -force -batch} of {@code ip neigh add}: a
 * malformed batch is refused whole; a well-formed one is tried entry by entry, the refused ones
 * answered with the problem a single add would have earned, the rest added and saved.
 */
@ApiSliceTest
class NeighbourBatchControllerTest {
    @Autowired
    MockMvcTester mvc;

    @Autowired
    EngineRuntime service;

    @BeforeEach
    void emptyTable() throws Exception {
        EngineSlice.emptyTable(service);
    }

    private MvcTestResult batch(String json) {
        return mvc.post().uri("/api/v1/neighbours/batch").header("Authorization", EngineSlice.BEARER)
                .contentType(MediaType.APPLICATION_JSON).content(json).exchange();
    }

    private static String entry(int host, String extra) {
        return String.format("{\"dst\":\"10.77.%d.%d\",\"dev\":\"nd0\",\"lladdr\":\"02:bb:00:00:%02x:%02x\"%s}",
                host >> 8, host & 0xff, host >> 8, host & 0xff, extra);
    }

    private void assertTableEmpty() {
        assertThat(mvc.get().uri("/api/v1/neighbours?state=all")).bodyJson().isStrictlyEqualTo("[]");
    }

    @Test
    void addsEveryEntryInOrderAndSavesTheAdministrativeOnes() {
        MvcTestResult r = batch("[" + entry(9, ",\"router\":true") + "," + entry(10, ",\"state\":\"noarp\"") + ","
                + entry(11, ",\"state\":\"stale\"") + "]");

        assertThat(r).hasStatusOk().bodyJson().isStrictlyEqualTo("{\"added\":3,\"refused\":[]}");
        assertThat(mvc.get().uri("/api/v1/neighbours?state=all")).bodyJson().extractingPath("$[*].state[0]")
                .asArray().containsExactly("PERMANENT", "NOARP", "STALE");
        // a learned-looking entry (STALE) is not kept, as Linux keeps no dynamic entry across a restart
        assertThat(service.state().current().neighbours()).containsExactly(
                new StateStore.NeighRecord("nd0", "10.77.0.9", "02:bb:00:00:00:09", "PERMANENT", true, false),
                new StateStore.NeighRecord("nd0", "10.77.0.10", "02:bb:00:00:00:0a", "NOARP", false, false));
    }

    @Test
    void entriesTheTableRefusesAreListedAndTheOthersAdded() {
        batch("[" + entry(9, "") + "]");

        MvcTestResult r = batch("[" + entry(8, "") + ",{\"dst\":\"10.77.0.9\",\"dev\":\"nd0\",\"lladdr\":\"02:bb:00:00:00:99\"},"
                + entry(12, ",\"managed\":true") + "," + entry(13, "") + "]");

        assertThat(r).hasStatusOk().bodyJson().isLenientlyEqualTo("""
                {"added":2,"refused":[
                  {"index":1,"dst":"10.77.0.9","dev":"nd0","type":"https://neighd.io/problems/entry-exists",
                   "title":"Entry exists","status":409,"field":"[1].dst"},
                  {"index":2,"dst":"10.77.0.12","dev":"nd0","type":"https://neighd.io/problems/invalid-request",
                   "status":400}]}""");
        // the existing entry is untouched, and only what was added is saved
        assertThat(mvc.get().uri("/api/v1/neighbours/nd0/10.77.0.9")).bodyJson().extractingPath("$.lladdr")
                .isEqualTo("02:bb:00:00:00:09");
        assertThat(service.state().current().neighbours()).extracting(StateStore.NeighRecord::dst)
                .containsExactly("10.77.0.9", "10.77.0.8", "10.77.0.13");
    }

    @Test
    void aMalformedEntryRefusesTheWholeBatch() {
        String good = entry(9, "");
        assertThat(batch("[" + good + ",{\"dst\":\"10.77.0.256\",\"dev\":\"nd0\",\"lladdr\":\"02:bb:00:00:00:01\"}]"))
                .hasStatus(HttpStatus.BAD_REQUEST).bodyJson().isLenientlyEqualTo("""
                        {"type":"https://neighd.io/problems/invalid-ip","field":"[1].dst","value":"10.77.0.256"}""");
        assertThat(batch("[" + good + "," + entry(10, ",\"state\":\"gone\"") + "]"))
                .hasStatus(HttpStatus.BAD_REQUEST).bodyJson().isLenientlyEqualTo("""
                        {"type":"https://neighd.io/problems/invalid-state","field":"[1].state","value":"gone"}""");
        assertThat(batch("[" + good + "," + entry(10, "").replace("\"nd0\"", "\"eth9\"") + "]"))
                .hasStatus(HttpStatus.NOT_FOUND).bodyJson().isLenientlyEqualTo("""
                        {"type":"https://neighd.io/problems/unknown-interface","field":"[1].dev","value":"eth9"}""");
        assertThat(batch("[null]")).hasStatus(HttpStatus.BAD_REQUEST).bodyJson().isLenientlyEqualTo("""
                {"type":"https://neighd.io/problems/invalid-request","field":"[0]"}""");
        assertThat(batch("[{\"dst\":\"10.77.0.9\"}]")).hasStatus(HttpStatus.BAD_REQUEST).bodyJson()
                .isLenientlyEqualTo("{\"type\":\"https://neighd.io/problems/invalid-request\",\"field\":\"[0].dev\"}");
        assertThat(batch("{\"dst\":\"10.77.0.9\"}")).hasStatus(HttpStatus.BAD_REQUEST);

        assertTableEmpty();
        assertThat(service.state().current().neighbours()).isEmpty();
    }

    @Test
    void aBatchLargerThanAnEngineTaskIsAddedWholeAndSavedOnce() throws Exception {
        int n = 5000; // more than two engine tasks' worth
        StringJoiner all = new StringJoiner(",", "[", "]");
        for (int i = 1; i <= n; i++) {
            all.add(entry(i, ""));
        }

        assertThat(batch(all.toString())).hasStatusOk().bodyJson()
                .isStrictlyEqualTo("{\"added\":" + n + ",\"refused\":[]}");
        assertThat(service.state().current().neighbours()).hasSize(n)
                .first().extracting(StateStore.NeighRecord::dst).isEqualTo("10.77.0.1");
        String file = Files.readString(service.state().file(), StandardCharsets.UTF_8);
        assertThat(file).contains("\"10.77.19.136\"").contains("\"10.77.0.1\"");
        assertThat(mvc.get().uri("/api/v1/neighbours")).bodyJson().extractingPath("$.length()").isEqualTo(n);
    }

    @Test
    void withoutTheTokenNothingIsAdded() {
        assertThat(mvc.post().uri("/api/v1/neighbours/batch").contentType(MediaType.APPLICATION_JSON)
                .content("[" + entry(9, "") + "]")).hasStatus(HttpStatus.UNAUTHORIZED);
        assertTableEmpty();
    }
}
