package io.neighd.api;

import io.neighd.engine.EngineListener;
import io.neighd.engine.NeighEvent;
import io.neighd.service.EngineAccess;
import io.neighd.service.EngineRuntime;
import io.neighd.service.NeighbourService;
import io.neighd.service.ServiceException;
import io.neighd.service.StateStore;
import io.neighd.wire.Ipv4Address;
import io.neighd.wire.MacAddress;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.assertj.MvcTestResult;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 10, defect 5: a write whose caller stops waiting either never starts (it was cancelled
 * before the engine took it, and the caller is told nothing changed) or is applied <em>and</em>
 * saved, whoever is still waiting. Before, {@code EngineAccess} gave up after 5 s and the command
 * still ran later, unsaved: the client saw 503, a retry got 409, and a restart lost the entry.
 */
@ApiSliceTest
class StalledEngineWriteTest {
    private static final String X = "10.77.0.91";
    private static final String X_MAC = "02:bb:00:00:00:91";

    @Autowired
    MockMvcTester mvc;

    @Autowired
    EngineRuntime service;

    @Autowired
    NeighbourService neighbours;

    /** Holds the engine thread while the test wants it stalled. */
    private final CountDownLatch release = new CountDownLatch(1);
    private EngineListener blocker;

    @BeforeEach
    void emptyTable() throws Exception {
        EngineSlice.emptyTable(service);
    }

    @AfterEach
    void unstall() throws Exception {
        release.countDown();
        if (blocker != null) {
            EngineListener l = blocker;
            service.loop().execute(nl -> nl.removeListener(l)).get(30, TimeUnit.SECONDS);
        }
        idle();
    }

    private MvcTestResult add() {
        return mvc.post().uri("/api/v1/neighbours").header("Authorization", EngineSlice.BEARER)
                .contentType(MediaType.APPLICATION_JSON)
                .content("{\"dst\":\"" + X + "\",\"dev\":\"nd0\",\"lladdr\":\"" + X_MAC + "\"}").exchange();
    }

    /** Until every task queued so far has run. */
    private void idle() throws Exception {
        service.loop().submit(nl -> null).get(30, TimeUnit.SECONDS);
    }

    private boolean saved() {
        return service.state().current().neighbours().stream().anyMatch(r -> r.dst().equals(X));
    }

    private boolean onDisk() throws Exception {
        return new StateStore(service.state().file()).load().neighbours().stream().anyMatch(r -> r.dst().equals(X));
    }

    @Test
    void aWriteTheEngineNeverTookIsCancelledAndTheClientToldNothingChanged() throws Exception {
        service.loop().execute(nl -> awaitRelease());

        MvcTestResult r = add();
        assertThat(r).hasStatus(HttpStatus.SERVICE_UNAVAILABLE).hasContentType(MediaType.APPLICATION_PROBLEM_JSON);
        assertThat(r).bodyJson().extractingPath("$.detail").asString().contains("nothing was changed");

        release.countDown();
        idle();
        assertThat(mvc.get().uri("/api/v1/neighbours/nd0/" + X)).as("the cancelled write never ran")
                .hasStatus(HttpStatus.NOT_FOUND);
        assertThat(saved()).isFalse();
        assertThat(add()).as("so a retry is a new add, not a conflict").hasStatus(HttpStatus.CREATED);
        assertThat(onDisk()).isTrue();
    }

    @Test
    void aWriteTheEngineStartedIsAnsweredOnceAppliedAndSavedHoweverLongItTakes() throws Exception {
        stallWhenXChanges();
        CompletableFuture<MvcTestResult> r = CompletableFuture.supplyAsync(this::add);
        // past the engine timeout, with the write under way on the engine thread
        Thread.sleep(EngineAccess.ENGINE_TIMEOUT.toMillis() + 500);
        release.countDown();

        assertThat(r.get(30, TimeUnit.SECONDS)).hasStatus(HttpStatus.CREATED);
        assertThat(saved()).isTrue();
        assertThat(onDisk()).isTrue();
    }

    @Test
    void aWriteTheEngineStartedIsSavedWhenNobodyWaitsForItAnyMore() throws Exception {
        stallWhenXChanges();
        AtomicReference<Throwable> callerSaw = new AtomicReference<>();
        Thread caller = new Thread(() -> {
            try {
                neighbours.add("nd0", Ipv4Address.parse(X),
                        new NeighbourService.Spec(MacAddress.parse(X_MAC), null, null, null, null));
            } catch (ServiceException e) {
                callerSaw.set(e);
            }
        });
        caller.start();
        Thread.sleep(500);
        caller.interrupt(); // the caller goes away (a client that hung up)
        caller.join(TimeUnit.SECONDS.toMillis(10));
        release.countDown();
        idle();

        assertThat(mvc.get().uri("/api/v1/neighbours/nd0/" + X)).hasStatus(HttpStatus.OK);
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!onDisk() && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(onDisk()).as("applied, so saved, although its caller left (it saw %s)", callerSaw.get()).isTrue();
    }

    /** The engine thread stops, in the middle of the write, when it notifies X's new entry. */
    private void stallWhenXChanges() throws Exception {
        blocker = new EngineListener() {
            @Override
            public void event(NeighEvent e) {
                if (e.entry().dst().toString().equals(X)) {
                    awaitRelease();
                }
            }
        };
        EngineListener l = blocker;
        service.loop().execute(nl -> nl.addListener(l)).get(5, TimeUnit.SECONDS);
    }

    private void awaitRelease() {
        try {
            release.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
