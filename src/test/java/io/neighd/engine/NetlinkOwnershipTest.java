package io.neighd.engine;

import io.neighd.testkit.EngineFixture;
import org.junit.jupiter.api.Test;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * "Only the engine thread touches engine state", checked: Netlink refuses calls from any thread
 * but the owner — the constructing one until the loop starts, the loop's afterwards.
 */
class NetlinkOwnershipTest {

    @Test
    void beforeTheLoopStartsTheConstructingThreadOwnsTheEngine() throws Exception {
        EngineFixture fx = new EngineFixture();
        assertThat(fx.engine.netlink().hasDevice("nd0")).isTrue();

        CompletableFuture<Object> other = CompletableFuture.supplyAsync(() -> fx.engine.netlink().hasDevice("nd0"));
        assertThatThrownBy(() -> other.get(5, TimeUnit.SECONDS)).hasCauseInstanceOf(IllegalStateException.class)
                .hasMessageContaining("engine state is owned by thread");
    }

    @Test
    void onceTheLoopRunsOnlyItsThreadMayCall() throws Exception {
        EngineFixture fx = new EngineFixture();
        try (EngineLoop loop = new EngineLoop(fx.engine, false)) {
            loop.start();

            assertThat(loop.submit(nl -> nl.hasDevice("nd0")).get(5, TimeUnit.SECONDS)).isTrue();
            assertThatThrownBy(() -> fx.engine.netlink().hasDevice("nd0")).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("neighd-engine");
            assertThatThrownBy(() -> loop.beforeStart(nl -> null)).isInstanceOf(IllegalStateException.class);
        }
    }

    @Test
    void theLoopPublishesWhatTheEngineCounts() throws Exception {
        EngineFixture fx = new EngineFixture();
        try (EngineLoop loop = new EngineLoop(fx.engine, false)) {
            loop.start();
            byte[] request = EngineFixture.request(EngineFixture.PEER_MAC, "10.0.0.2", "10.0.0.1");
            RxPort nd0 = loop.submit(nl -> nl.rxPort("nd0")).get(5, TimeUnit.SECONDS);
            loop.offerFrame(nd0, request, request.length);

            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (loop.published().interfaceStats("nd0").receivedRequests() == 0 && System.nanoTime() < deadline) {
                Thread.sleep(1);
            }
            assertThat(loop.published().interfaceStats("nd0").receivedRequests()).isEqualTo(1);
            assertThat(loop.published().arpCache().entries()).isEqualTo(1);
        }
    }
}
