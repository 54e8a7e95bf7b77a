package io.neighd.service;

import io.neighd.config.NeighdProperties;
import io.neighd.engine.NeighEvent;
import io.neighd.neighbour.NeighSnapshot;
import io.neighd.neighbour.NudState;
import io.neighd.wire.Ipv4Address;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The fan-out of {@code ip monitor neigh}: the engine thread (here, the test's) only appends to
 * each subscriber's bounded buffer; a slow subscriber loses its oldest events, is told how many,
 * and never holds the engine up.
 */
class EventHubTest {
    private static final int BUFFER = 16;
    private static final Duration WAIT = Duration.ofSeconds(10);

    private final EngineRuntime service = new EngineRuntime(props(), new StateStore(null));
    private final EventHub hub = new EventHub(service, props());

    /** What a sink saw, in order: "EVENT seq" or "DROPPED n/total". */
    private final List<String> seen = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() {
        service.start();
    }

    @AfterEach
    void stop() {
        hub.stop();
        service.stop();
    }

    @Test
    void aSlowSubscriberLosesTheOldestEventsIsToldHowManyAndNeverBlocksTheEngine() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        AtomicBoolean blocked = new AtomicBoolean();
        hub.subscribe(null, new RecordingSink() {
            @Override
            public void event(NeighEvent e) throws Exception {
                blocked.set(true);
                release.await(WAIT.toSeconds(), TimeUnit.SECONDS);
                super.event(e);
            }
        });
        hub.event(event(1, "nd0"));
        Awaitility.await().atMost(WAIT).untilTrue(blocked);

        long start = System.nanoTime();
        for (int seq = 2; seq <= 1000; seq++) {
            hub.event(event(seq, "nd0"));
        }
        assertThat(Duration.ofNanos(System.nanoTime() - start)).as("the engine thread never waits")
                .isLessThan(Duration.ofSeconds(1));
        long dropped = 999 - BUFFER;
        assertThat(hub.droppedEvents()).isEqualTo(dropped);

        release.countDown();
        Awaitility.await().atMost(WAIT).until(() -> seen.size() == 2 + BUFFER);
        assertThat(seen.get(0)).isEqualTo("EVENT 1");
        assertThat(seen.get(1)).isEqualTo("DROPPED " + dropped + "/" + dropped);
        assertThat(seen.subList(2, seen.size())).first().isEqualTo("EVENT " + (1001 - BUFFER));
        assertThat(seen).last().isEqualTo("EVENT 1000");
    }

    @Test
    void aSubscriberKeepingUpGetsEveryEventOfItsInterfaceInOrder() {
        hub.subscribe("nd0", new RecordingSink());
        for (int seq = 1; seq <= 100; seq++) {
            hub.event(event(seq, seq % 2 == 0 ? "nd0" : "nd1"));
            // a consumer that keeps up: wait for each before the next
            int expected = seq / 2;
            Awaitility.await().atMost(WAIT).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(1))
                    .until(() -> seen.size() == expected);
        }
        assertThat(seen).hasSize(50).startsWith("EVENT 2", "EVENT 4").endsWith("EVENT 100");
        assertThat(hub.droppedEvents()).isZero();
    }

    @Test
    void aSinkThatFailsEndsItsSubscriptionAndClosingStopsDelivery() {
        AtomicBoolean closed = new AtomicBoolean();
        hub.subscribe(null, new RecordingSink() {
            @Override
            public void event(NeighEvent e) throws Exception {
                throw new java.io.IOException("client went away");
            }

            @Override
            public void closed() {
                closed.set(true);
            }
        });
        hub.event(event(1, "nd0"));
        Awaitility.await().atMost(WAIT).untilTrue(closed);
        assertThat(hub.subscriberCount()).isZero();

        EventHub.Subscription s = hub.subscribe(null, new RecordingSink());
        s.close();
        hub.event(event(2, "nd0"));
        assertThat(hub.subscriberCount()).isZero();
        assertThat(seen).isEmpty();
    }

    @Test
    void anUnknownInterfaceIsRefused() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> hub.subscribe("eth9", new RecordingSink()))
                .isInstanceOfSatisfying(ServiceException.class,
                        e -> assertThat(e.kind()).isEqualTo(ServiceException.Kind.UNKNOWN_INTERFACE));
    }

    private class RecordingSink implements EventHub.Sink {
        @Override
        public void event(NeighEvent e) throws Exception {
            seen.add("EVENT " + e.seq());
        }

        @Override
        public void dropped(long dropped, long total) {
            seen.add("DROPPED " + dropped + "/" + total);
        }
    }

    private static NeighEvent event(long seq, String dev) {
        return new NeighEvent(seq, NeighEvent.Type.NEWNEIGH, new NeighSnapshot(dev, 2, Ipv4Address.parse("10.0.0.2"),
                null, NudState.INCOMPLETE, 0, 0, 0, 0, 0, 0, 0, 0));
    }

    private static NeighdProperties props() {
        return new NeighdProperties(List.of(new NeighdProperties.InterfaceProperties("nd0", List.of(),
                "02:aa:00:00:00:01", null, null, null, true, null, null, null)), List.of(), null, Map.of(), null,
                new NeighdProperties.Api("t"), 250, new NeighdProperties.Events(BUFFER));
    }
}
