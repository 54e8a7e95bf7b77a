package io.neighd.service;

import io.neighd.config.NeighdProperties;
import io.neighd.engine.AddressEvent;
import io.neighd.engine.NeighEvent;
import io.neighd.ip.DeviceId;
import io.neighd.neighbour.NeighSnapshot;
import io.neighd.neighbour.NudState;
import io.neighd.wire.Ipv4Address;
import io.neighd.wire.Ipv6Cidr;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The fan-out of {@code ip monitor neigh}. The engine thread (here, the test's) appends to one
 * shared ring and wakes the delivery threads; subscribers read at their own cursor through sinks
 * that never block (a sink that cannot take more says so and is woken when it can).
 *
 * <pre>
 * | subscriber                                   | gets                                      |
 * |----------------------------------------------|-------------------------------------------|
 * | keeps up                                     | every event of its interface, in order    |
 * | notices (CONFLICT, FLIPFLOP, VIP)            | those of its interface, in the same order |
 * | not ready for more than the ring             | cut off: lost(overrun, behind), counted   |
 * | takes nothing for stall-timeout              | cut off: lost(stalled), counted           |
 * | beyond max-subscribers                       | refused: TOO_MANY_SUBSCRIBERS, counted    |
 * | its sink throws                              | ended, slot freed                         |
 * </pre>
 */
class EventHubTest {
    private static final int BUFFER = 16;
    private static final Duration WAIT = Duration.ofSeconds(10);

    private EngineRuntime service;
    private EventHub hub;

    private EventHub start(int maxSubscribers, Duration stall, ThreadFactory threads) {
        NeighdProperties props = props(new NeighdProperties.Events(BUFFER, maxSubscribers, 2, stall, Duration.ofMillis(500)));
        service = new EngineRuntime(props, new StateStore(null));
        service.start();
        hub = new EventHub(service, props, threads);
        hub.start();
        return hub;
    }

    private EventHub start() {
        return start(64, Duration.ofSeconds(60), Thread::new);
    }

    @AfterEach
    void stop() {
        if (hub != null) {
            hub.stop();
        }
        if (service != null) {
            service.stop();
        }
    }

    @Test
    void aSubscriberKeepingUpGetsEveryEventOfItsInterfaceInOrder() {
        start();
        RecordingSink sink = new RecordingSink();
        hub.subscribe("nd0", sink);
        for (int seq = 1; seq <= 100; seq++) {
            hub.event(event(seq, seq % 2 == 0 ? "nd0" : "nd1"));
            int expected = seq / 2;
            Awaitility.await().atMost(WAIT).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(1))
                    .until(() -> sink.events().size() == expected);
        }
        assertThat(sink.events()).hasSize(50).startsWith("EVENT 2", "EVENT 4").endsWith("EVENT 100");
        assertThat(sink.seen).first().isEqualTo("HEARTBEAT");
        assertThat(hub.droppedEvents()).isZero();
    }

    /** Notices come from other threads; they go through the engine thread, the ring's one writer. */
    @Test
    void noticesReachTheSubscribersOfTheirInterfaceInOrderWithTheTableChanges() {
        start();
        RecordingSink nd0 = new RecordingSink();
        RecordingSink all = new RecordingSink();
        hub.subscribe("nd0", nd0);
        hub.subscribe(null, all);
        EngineAccess.await(service.loop().execute(nl -> hub.event(event(1, "nd0"))), WAIT);
        hub.publish(new EventHub.Notice("CONFLICT", "nd0", "10.0.0.1"));
        hub.publish(new EventHub.Notice("VIP", "nd1", "10.0.1.100"));
        EngineAccess.await(service.loop().execute(nl -> hub.event(event(2, "nd0"))), WAIT);

        Awaitility.await().atMost(WAIT).until(() -> all.seen.contains("EVENT 2") && nd0.seen.contains("EVENT 2"));
        assertThat(nd0.seen.stream().filter(x -> !x.equals("HEARTBEAT")))
                .containsExactly("EVENT 1", "NOTICE CONFLICT 10.0.0.1", "EVENT 2");
        assertThat(all.seen.stream().filter(x -> !x.equals("HEARTBEAT")))
                .containsExactly("EVENT 1", "NOTICE CONFLICT 10.0.0.1", "NOTICE VIP 10.0.1.100", "EVENT 2");
    }

    @Test
    void ipv6AddressEventsShareTheRingAndOrderWithNeighbourEventsFilteredByInterface() {
        start();
        RecordingSink nd0 = new RecordingSink();
        RecordingSink all = new RecordingSink();
        hub.subscribe("nd0", nd0);
        hub.subscribe(null, all);
        hub.event(event(1, "nd0"));
        hub.address(address(2, AddressEvent.Type.NEWADDR, "nd0"));
        hub.address(address(3, AddressEvent.Type.DADFAILED, "nd1"));
        hub.event(event(4, "nd1"));
        hub.address(address(5, AddressEvent.Type.DELADDR, "nd0"));
        Awaitility.await().atMost(WAIT).untilAsserted(() -> assertThat(all.events()).hasSize(5));
        Awaitility.await().atMost(WAIT).untilAsserted(() -> assertThat(nd0.events()).hasSize(3));
        assertThat(all.events()).containsExactly("EVENT 1", "EVENT NEWADDR 2", "EVENT DADFAILED 3", "EVENT 4",
                "EVENT DELADDR 5");
        assertThat(nd0.events()).containsExactly("EVENT 1", "EVENT NEWADDR 2", "EVENT DELADDR 5");
    }

    @Test
    void aSubscriberMoreThanTheRingBehindIsCutOffWithLostAndCounted() {
        start();
        RecordingSink slow = new RecordingSink();
        RecordingSink fast = new RecordingSink();
        hub.subscribe(null, slow);
        hub.subscribe(null, fast);
        Awaitility.await().atMost(WAIT).until(() -> slow.seen.contains("HEARTBEAT"));
        slow.ready.set(false);

        for (int seq = 1; seq <= BUFFER + 5; seq++) {
            hub.event(event(seq, "nd0"));
            int n = seq;
            Awaitility.await().atMost(WAIT).until(() -> fast.events().size() == n);
        }
        slow.ready.set(true);
        hub.subscribe(null, new RecordingSink()).close(); // any wake-up will do; the cut needs none
        Awaitility.await().atMost(WAIT).until(() -> slow.closed.get());

        // cut off as soon as its delivery thread found it more than the ring behind
        String lost = slow.seen.get(slow.seen.size() - 1);
        assertThat(lost).startsWith("LOST overrun ").endsWith(" -1");
        long behind = Long.parseLong(lost.split(" ")[2]);
        assertThat(behind).isBetween((long) BUFFER + 1, (long) BUFFER + 5);
        assertThat(slow.events()).isEmpty();
        assertThat(fast.events()).hasSize(BUFFER + 5);
        assertThat(fast.closed).isFalse();
        assertThat(hub.subscribersCutOff("overrun")).isEqualTo(1);
        assertThat(hub.droppedEvents()).isEqualTo(behind);
        Awaitility.await().atMost(WAIT).until(() -> hub.subscriberCount() == 1);
    }

    @Test
    void aSubscriberThatTakesNothingForTheStallTimeoutIsCutOff() {
        start(64, Duration.ofSeconds(1), Thread::new);
        RecordingSink stuck = new RecordingSink();
        stuck.ready.set(false);
        hub.subscribe(null, stuck);
        hub.event(event(1, "nd0"));

        Awaitility.await().atMost(WAIT).until(() -> hub.subscribersCutOff("stalled") == 1);
        stuck.ready.set(true);
        hub.subscribe(null, new RecordingSink()).close();
        Awaitility.await().atMost(WAIT).until(() -> stuck.closed.get());
        assertThat(stuck.seen).containsExactly("LOST stalled 1 -1");
    }

    @Test
    void beyondMaxSubscribersASubscriptionIsRefusedAndCounted() {
        start(2, Duration.ofSeconds(60), Thread::new);
        EventHub.Subscription a = hub.subscribe(null, new RecordingSink());
        hub.subscribe(null, new RecordingSink());

        assertThatThrownBy(() -> hub.subscribe(null, new RecordingSink())).isInstanceOfSatisfying(
                ServiceException.class, e -> assertThat(e.kind()).isEqualTo(ServiceException.Kind.TOO_MANY_SUBSCRIBERS));
        assertThatThrownBy(() -> hub.checkSubscribe(null)).isInstanceOf(ServiceException.class);
        assertThat(hub.subscribersRefused()).isEqualTo(1);

        a.close();
        Awaitility.await().atMost(WAIT).until(() -> hub.subscriberCount() == 1);
        assertThatCode(() -> hub.subscribe(null, new RecordingSink())).doesNotThrowAnyException();
    }

    @Test
    void aSinkThatFailsEndsItsSubscription() {
        start();
        RecordingSink failing = new RecordingSink() {
            @Override
            public void event(NeighEvent e) throws IOException {
                throw new IOException("client went away");
            }
        };
        hub.subscribe(null, failing);
        hub.event(event(1, "nd0"));
        Awaitility.await().atMost(WAIT).until(() -> failing.closed.get());
        assertThat(hub.subscriberCount()).isZero();
    }

    @Test
    void anUnknownInterfaceIsRefused() {
        start();
        assertThatThrownBy(() -> hub.subscribe("eth9", new RecordingSink()))
                .isInstanceOfSatisfying(ServiceException.class,
                        e -> assertThat(e.kind()).isEqualTo(ServiceException.Kind.UNKNOWN_INTERFACE));
    }

    /**
     * Threads are made when the hub starts and never again: once they exist, a factory that can
     * make no more (what an OutOfMemoryError "unable to create native thread" means) is never
     * called, least of all from the engine thread, however many subscribe and however fast.
     */
    @Test
    void noThreadIsMadeAfterStartSoThreadCreationCannotFailOnTheEngine() {
        AtomicBoolean exhausted = new AtomicBoolean();
        AtomicInteger made = new AtomicInteger();
        start(64, Duration.ofSeconds(60), r -> {
            if (exhausted.get()) {
                throw new OutOfMemoryError("unable to create native thread: possibly out of memory");
            }
            made.incrementAndGet();
            return new Thread(r);
        });
        exhausted.set(true);
        List<RecordingSink> sinks = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            RecordingSink s = new RecordingSink();
            sinks.add(s);
            hub.subscribe(null, s);
        }
        assertThatCode(() -> {
            for (int seq = 1; seq <= 1000; seq++) {
                hub.event(event(seq, "nd0"));
            }
        }).doesNotThrowAnyException();
        Awaitility.await().atMost(WAIT).until(() -> sinks.stream().allMatch(s -> s.closed.get()
                || s.events().size() == 1000));
        assertThat(made).hasValue(2);
    }

    /**
     * What the engine thread spends per event does not grow with the subscribers: measured as the
     * bytes it allocates (deterministic, unlike time), for 2,000 events with 1 and with 500
     * subscribers that keep up.
     */
    @Test
    void theEngineThreadsCostPerEventDoesNotGrowWithTheSubscribers() {
        start(1000, Duration.ofSeconds(60), Thread::new);
        long one = allocatedForEvents(1);
        long many = allocatedForEvents(500);
        assertThat(many).as("bytes allocated by 2,000 events with 500 subscribers (1 subscriber: %d)", one)
                .isLessThan(one * 2 + 64 * 1024);
    }

    private long allocatedForEvents(int subscribers) {
        List<EventHub.Subscription> subs = new ArrayList<>();
        for (int i = 0; i < subscribers; i++) {
            subs.add(hub.subscribe(null, new CountingSink()));
        }
        List<NeighEvent> events = new ArrayList<>();
        for (int seq = 0; seq < 2000; seq++) {
            events.add(event(seq, "nd0"));
        }
        for (int warm = 0; warm < 3; warm++) {
            events.forEach(hub::event);
        }
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long before = mx.getCurrentThreadAllocatedBytes();
        events.forEach(hub::event);
        long bytes = mx.getCurrentThreadAllocatedBytes() - before;
        subs.forEach(EventHub.Subscription::close);
        Awaitility.await().atMost(WAIT).until(() -> hub.subscriberCount() == 0);
        return bytes;
    }

    /** Records what it was given, in order: "EVENT seq", "NOTICE name data", "HEARTBEAT", "LOST reason behind lastSeq". */
    private static class RecordingSink implements EventHub.Sink {
        final List<String> seen = new CopyOnWriteArrayList<>();
        final AtomicBoolean ready = new AtomicBoolean(true);
        final AtomicBoolean closed = new AtomicBoolean();

        List<String> events() {
            return seen.stream().filter(s -> s.startsWith("EVENT")).toList();
        }

        @Override
        public boolean ready() {
            return ready.get();
        }

        @Override
        public void event(NeighEvent e) throws IOException {
            seen.add("EVENT " + e.seq());
        }

        @Override
        public void notice(EventHub.Notice n) {
            seen.add("NOTICE " + n.name() + " " + n.data());
        }

        @Override
        public void address(AddressEvent e) {
            seen.add("EVENT " + e.type() + " " + e.seq());
        }

        @Override
        public void flush() {
        }

        @Override
        public void heartbeat() {
            seen.add("HEARTBEAT");
        }

        @Override
        public void lost(EventHub.Lost why) {
            seen.add("LOST " + why.reason().label() + " " + why.behind() + " " + why.lastSeq());
        }

        @Override
        public void closed() {
            closed.set(true);
        }
    }

    /** Takes everything, keeps nothing. */
    private static final class CountingSink extends RecordingSink {
        final AtomicInteger count = new AtomicInteger();

        @Override
        public void event(NeighEvent e) {
            count.incrementAndGet();
        }

        @Override
        public void heartbeat() {
        }
    }

    private static NeighEvent event(long seq, String dev) {
        return new NeighEvent(seq, NeighEvent.Type.NEWNEIGH, new NeighSnapshot(dev, 2, Ipv4Address.parse("10.0.0.2"),
                null, NudState.INCOMPLETE, 0, 0, 0, 0, 0, 0, 0, 0));
    }

    private static AddressEvent address(long seq, AddressEvent.Type type, String dev) {
        return new AddressEvent(seq, type, new DeviceId(dev.equals("nd0") ? 2 : 3, dev, false),
                Ipv6Cidr.parse("2001:db8::1/64"), "global", List.of("tentative"), null);
    }

    private static NeighdProperties props(NeighdProperties.Events events) {
        return new NeighdProperties(List.of(new NeighdProperties.InterfaceProperties("nd0", List.of(),
                "02:aa:00:00:00:01", null, null, null, true, null, null, null)), List.of(), null,
                // no IPv6: the engine's own address event when its link-local's DAD ends would come a second
                // after start and race the test's events in the ring (one writer: the engine thread)
                Map.of("net.ipv6.conf.all.disable_ipv6", "1", "net.ipv6.conf.default.disable_ipv6", "1"), null,
                new NeighdProperties.Api("test-token-0123456789"), 250, events);
    }
}
