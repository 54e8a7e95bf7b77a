package io.neighd.api;

import io.neighd.service.EngineRuntime;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.assertj.MvcTestResult;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 10, defect 2: the table dump. Before, every {@code GET /api/v1/neighbours} copied the whole
 * table on the engine thread, so N readers at once cost the engine N copies (and starved the ARP
 * responder), nothing could be paged, and nothing bounded the whole-table answers in flight. Now
 * readers share one dump the engine takes a slice per turn; {@code limit} and {@code cursor} page
 * it; whole-table answers beyond {@code neighd.api.max-full-dumps} ({@link DumpLimitTest}) at once are 503 with Retry-After.
 */
@ApiSliceTest
class TableDumpTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Autowired
    MockMvcTester mvc;

    @Autowired
    EngineRuntime service;

    @Autowired
    DumpLimit dumpLimit;

    private final CountDownLatch release = new CountDownLatch(1);

    @BeforeEach
    void emptyTable() throws Exception {
        EngineSlice.emptyTable(service);
    }

    @AfterEach
    void unstall() throws Exception {
        release.countDown();
        service.loop().submit(nl -> null).get(30, TimeUnit.SECONDS);
    }

    @Test
    void twentyReadersAtOnceCostTheEngineWhatOneDoes() throws Exception {
        fill(3000);
        Thread engine = service.loop().submit(nl -> Thread.currentThread()).get(5, TimeUnit.SECONDS);
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        readersAtOnce(1); // warm

        long before = mx.getThreadAllocatedBytes(engine.getId());
        readersAtOnce(1);
        long one = mx.getThreadAllocatedBytes(engine.getId()) - before;

        before = mx.getThreadAllocatedBytes(engine.getId());
        readersAtOnce(20);
        long twenty = mx.getThreadAllocatedBytes(engine.getId()) - before;

        System.out.printf("[dumps] engine-thread bytes for 3,000 entries: one reader %d, 20 readers at once %d%n",
                one, twenty);
        assertThat(twenty).as("engine-thread bytes for 20 readers at once (one reader: %d)", one)
                .isLessThan(one + one / 2 + 64 * 1024);
    }

    /** {@code n} reads of the whole table (one page of it) that all reach neighd while the engine is busy. */
    private void readersAtOnce(int n) throws Exception {
        CountDownLatch go = new CountDownLatch(1);
        service.loop().execute(nl -> await(go));
        List<CompletableFuture<MvcTestResult>> reads = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            reads.add(CompletableFuture.supplyAsync(() -> mvc.get().uri("/api/v1/neighbours?limit=10000").exchange(),
                    runnable -> new Thread(runnable).start()));
        }
        Thread.sleep(300); // every reader waits for the engine
        go.countDown();
        for (CompletableFuture<MvcTestResult> r : reads) {
            MvcTestResult got = r.get(30, TimeUnit.SECONDS);
            assertThat(got).hasStatusOk();
            assertThat(JSON.readTree(got.getResponse().getContentAsString()).size()).isEqualTo(3000);
        }
    }

    @Test
    void pagesWithLimitAndCursorCoverTheTableOnce() throws Exception {
        fill(25);
        List<String> seen = new ArrayList<>();
        String uri = "/api/v1/neighbours?limit=10";
        int pages = 0;
        while (uri != null) {
            MvcTestResult r = mvc.get().uri(uri).exchange();
            assertThat(r).hasStatusOk();
            JsonNode body = JSON.readTree(r.getResponse().getContentAsString());
            assertThat(body.size()).isLessThanOrEqualTo(10);
            body.forEach(e -> seen.add(e.get("dst").asString()));
            pages++;
            String link = r.getResponse().getHeader("Link");
            String cursor = r.getResponse().getHeader("Neighd-Next-Cursor");
            if (link == null) {
                assertThat(cursor).isNull();
                uri = null;
            } else {
                assertThat(link).endsWith("; rel=\"next\"").contains("limit=10");
                uri = "/api/v1/neighbours?limit=10&cursor=" + cursor;
            }
        }
        assertThat(pages).isEqualTo(3);
        JsonNode all = JSON.readTree(mvc.get().uri("/api/v1/neighbours").exchange().getResponse().getContentAsString());
        List<String> whole = new ArrayList<>();
        all.forEach(e -> whole.add(e.get("dst").asString()));
        assertThat(seen).hasSize(25).containsExactlyElementsOf(whole);
    }

    @Test
    void aBadLimitOrCursorIsAProblemNamingIt() {
        for (String bad : List.of("0", "-1", "10001", "x")) {
            assertThat(mvc.get().uri("/api/v1/neighbours?limit=" + bad)).hasStatus(HttpStatus.BAD_REQUEST)
                    .hasContentType(MediaType.APPLICATION_PROBLEM_JSON).bodyJson().extractingPath("$.field")
                    .isEqualTo("limit");
        }
        for (String bad : List.of("nd0", "nd0/", "/10.77.0.1", "nd0/10.77.0.999")) {
            assertThat(mvc.get().uri("/api/v1/neighbours?limit=5&cursor={c}", bad)).hasStatus(HttpStatus.BAD_REQUEST)
                    .bodyJson().extractingPath("$.field").isEqualTo("cursor");
        }
    }

    @Test
    void wholeTableAnswersBeyondTheBoundAre503WithRetryAfter() throws Exception {
        service.loop().execute(nl -> await(release));
        List<CompletableFuture<MvcTestResult>> held = new ArrayList<>();
        for (int i = 0; i < dumpLimit.max(); i++) {
            held.add(CompletableFuture.supplyAsync(() -> mvc.get().uri("/api/v1/neighbours").exchange(),
                    runnable -> new Thread(runnable).start()));
        }
        Thread.sleep(500);

        MvcTestResult refused = mvc.get().uri("/api/v1/neighbours").exchange();
        assertThat(refused).hasStatus(HttpStatus.SERVICE_UNAVAILABLE).hasContentType(MediaType.APPLICATION_PROBLEM_JSON)
                .bodyJson().extractingPath("$.type").isEqualTo("https://neighd.io/problems/too-many-dumps");
        assertThat(refused.getResponse().getHeader("Retry-After")).matches("\\d+");

        release.countDown();
        for (CompletableFuture<MvcTestResult> r : held) {
            assertThat(r.get(30, TimeUnit.SECONDS)).hasStatusOk();
        }
        assertThat(mvc.get().uri("/api/v1/neighbours")).as("slots are given back").hasStatusOk();
    }

    private void fill(int n) {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < n; i++) {
            b.append(i == 0 ? "" : ",").append("{\"dst\":\"10.91.").append(i / 250).append('.').append(1 + i % 250)
                    .append("\",\"dev\":\"nd0\",\"lladdr\":\"02:bb:00:00:00:01\"}");
        }
        assertThat(mvc.post().uri("/api/v1/neighbours/batch").header("Authorization", EngineSlice.BEARER)
                .contentType(MediaType.APPLICATION_JSON).content(b.append(']').toString())).hasStatus(HttpStatus.OK);
    }

    private static void await(CountDownLatch l) {
        try {
            l.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
