package io.neighd.cluster;

import io.neighd.time.ManualClock;
import io.neighd.wire.Ipv4Address;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Bursts, forms, refresh and pacing of gratuitous ARP, on a manual clock. */
class AnnouncerTest {
    final ManualClock clock = new ManualClock();
    final RecordingPort port = new RecordingPort(clock::nanos);
    final Announcer announcer = new Announcer(port, new ClusterListener() {
    }, 2_000_000);

    void runUntil(long ms) {
        while (true) {
            announcer.tick(clock.nanos());
            long next = announcer.nextDue();
            if (next > ms * 1_000_000L) {
                clock.set(ms * 1_000_000L);
                announcer.tick(clock.nanos());
                return;
            }
            clock.set(next);
        }
    }

    @Test
    void requestFormOnlySendsRequestsAtEachRound() {
        announcer.start("a", "nd0", Ipv4Address.parse("10.77.0.100"),
                new Announce(2, Duration.ofMillis(500), Announce.Form.REQUEST, Duration.ZERO), 0);
        runUntil(5000);
        assertThat(port.gratuitous()).containsExactly("garp request nd0 10.77.0.100 at 0",
                "garp request nd0 10.77.0.100 at 500");
        assertThat(announcer.nextDue()).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void refreshKeepsAnnouncingAfterTheBurst() {
        announcer.start("a", "nd0", Ipv4Address.parse("10.77.0.100"),
                new Announce(1, Duration.ofMillis(500), Announce.Form.REPLY, Duration.ofSeconds(30)), 0);
        runUntil(90_000);
        assertThat(port.gratuitous()).containsExactly("garp reply nd0 10.77.0.100 at 0",
                "garp reply nd0 10.77.0.100 at 30000", "garp reply nd0 10.77.0.100 at 60000",
                "garp reply nd0 10.77.0.100 at 90000");
    }

    @Test
    void manyAddressesOnOneInterfaceArePacedOneFrameEveryTwoMilliseconds() {
        for (int i = 0; i < 100; i++) {
            announcer.start("k" + i, "nd0", new Ipv4Address(0x0a4d0000 | (100 + i)), Announce.DEFAULT, 0);
        }
        announcer.start("other", "nd1", Ipv4Address.parse("10.78.0.100"), Announce.DEFAULT, 0);
        runUntil(1000);
        List<String> nd0 = port.gratuitous().stream().filter(s -> s.contains(" nd0 ")).toList();
        assertThat(nd0).hasSize(200);
        for (int i = 0; i < nd0.size(); i++) {
            assertThat(nd0.get(i)).endsWith(" at " + (2 * i));
        }
        // the other interface is paced on its own
        assertThat(port.gratuitous().stream().filter(s -> s.contains(" nd1 ")))
                .containsExactly("garp request nd1 10.78.0.100 at 0", "garp reply nd1 10.78.0.100 at 2");
    }

    @Test
    void stoppingAnAddressDropsItsQueuedFrames() {
        announcer.start("a", "nd0", Ipv4Address.parse("10.77.0.100"), Announce.DEFAULT, 0);
        announcer.start("b", "nd0", Ipv4Address.parse("10.77.0.101"), Announce.DEFAULT, 0);
        announcer.tick(0);
        announcer.stop("b");
        runUntil(10_000);
        assertThat(port.gratuitous()).noneMatch(s -> s.contains("10.77.0.101 at") && !s.endsWith(" at 0"))
                .allMatch(s -> s.contains("10.77.0.100") || s.equals("garp request nd0 10.77.0.101 at 0"));
        assertThat(port.gratuitous()).filteredOn(s -> s.contains("10.77.0.100")).hasSize(6);
    }
}
