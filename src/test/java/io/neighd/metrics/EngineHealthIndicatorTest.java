package io.neighd.metrics;

import io.neighd.engine.EngineLoop;
import io.neighd.testkit.EngineFixture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code engine} health indicator of the liveness group (issue 10, defect 4): before it, a
 * dead or stuck engine thread left liveness UP and the pod was never restarted.
 */
class EngineHealthIndicatorTest {
    private final EngineLoop loop = new EngineLoop(new EngineFixture().engine, false);
    private final EngineHealthIndicator indicator = new EngineHealthIndicator(() -> loop, Duration.ofMillis(300));

    @AfterEach
    void stop() {
        loop.close();
    }

    @Test
    void upWhileTheLoopGoesRound() throws Exception {
        loop.start();
        loop.submit(nl -> null).get(5, TimeUnit.SECONDS);

        Health h = indicator.health();

        assertThat(h.getStatus()).isEqualTo(Status.UP);
        assertThat(h.getDetails()).containsEntry("state", "RUNNING").containsEntry("failuresSurvived", 0L);
    }

    @Test
    void downWhileOneUnitOfWorkHoldsTheThreadPastTheLimitThenUpAgain() throws Exception {
        loop.start();
        CountDownLatch release = new CountDownLatch(1);
        var held = loop.submit(nl -> {
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return null;
        });
        Thread.sleep(600);

        Health stuck = indicator.health();
        release.countDown();
        held.get(5, TimeUnit.SECONDS);
        loop.submit(nl -> null).get(5, TimeUnit.SECONDS);

        assertThat(stuck.getStatus()).isEqualTo(Status.DOWN);
        assertThat((String) stuck.getDetails().get("problem")).contains("has not gone round", "stuck");
        assertThat(indicator.health().getStatus()).isEqualTo(Status.UP);
    }

    @Test
    void downOnceTheThreadDied() throws Exception {
        loop.start();
        loop.submit(nl -> {
            throw new OutOfMemoryError("simulated");
        }).exceptionally(t -> null).get(5, TimeUnit.SECONDS);
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (loop.liveness().state() != EngineLoop.State.DEAD && System.nanoTime() < end) {
            Thread.onSpinWait();
        }

        Health h = indicator.health();

        assertThat(h.getStatus()).isEqualTo(Status.DOWN);
        assertThat(h.getDetails()).containsEntry("state", "DEAD");
        assertThat((String) h.getDetails().get("problem")).contains("died", "OutOfMemoryError");
    }

    @Test
    void downOnceStopped() {
        loop.start();
        loop.close();

        assertThat(indicator.health().getStatus()).isEqualTo(Status.DOWN);
    }
}
