package io.neighd.engine;

import io.neighd.neighbour.NudState;
import io.neighd.testkit.EngineFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static io.neighd.testkit.EngineFixture.PEER_MAC;
import static io.neighd.testkit.EngineFixture.ip;
import static io.neighd.testkit.EngineFixture.reply;
import static io.neighd.testkit.EngineFixture.request;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The resolve request of the API (ip_neigh_for_gw + neigh_event_send): told at once when the entry
 * is already VALID or FAILED or there is no room for it, otherwise once resolution ends.
 */
class ResolveOutcomeTest {
    private EngineFixture fx;
    private final List<ResolveOutcome> told = new ArrayList<>();

    @BeforeEach
    void setUp() {
        fx = new EngineFixture();
    }

    private void resolve(String ip) {
        fx.engine.resolve(fx.nd0, ip(ip), told::add);
    }

    @Test
    void aKnownNeighbourIsValidAtOnce() {
        fx.receive(request(PEER_MAC, "10.0.0.2", "10.0.0.1"));

        resolve("10.0.0.2");

        assertThat(told).containsExactly(ResolveOutcome.VALID);
        assertThat(fx.state("10.0.0.2")).as("neigh_event_send on STALE").isEqualTo(NudState.DELAY);
    }

    @Test
    void anUnknownNeighbourIsToldWhenTheReplyComes() {
        resolve("10.0.0.2");

        assertThat(told).isEmpty();
        assertThat(fx.state("10.0.0.2")).isEqualTo(NudState.INCOMPLETE);
        assertThat(fx.tx.arp()).hasSize(1);

        fx.receive(reply(PEER_MAC, "10.0.0.2", "10.0.0.1"));

        assertThat(told).containsExactly(ResolveOutcome.VALID);
    }

    @Test
    void anUnansweredNeighbourIsToldWhenItFails() {
        resolve("10.0.0.2");

        fx.advanceJiffies(752);
        assertThat(told).isEmpty();
        fx.advanceJiffies(1);

        assertThat(told).containsExactly(ResolveOutcome.FAILED);
    }

    @Test
    void withoutProbesItFailsAtOnce() {
        fx.sysctl("net.ipv4.neigh.nd0.mcast_solicit", 0);

        resolve("10.0.0.2");

        assertThat(told).containsExactly(ResolveOutcome.FAILED);
    }

    /** ip neigh del passes through FAILED first (neigh_delete updates before it removes). */
    @Test
    void aDeletedEntryFailed() {
        resolve("10.0.0.2");

        fx.engine.admin().delete(fx.nd0, ip("10.0.0.2"));

        assertThat(told).containsExactly(ResolveOutcome.FAILED);
    }

    /** The device going down flushes the entry without a state change: it is gone. */
    @Test
    void aFlushedEntryIsGone() {
        resolve("10.0.0.2");

        fx.engine.setUp(fx.nd0, false);

        assertThat(told).containsExactly(ResolveOutcome.GONE);
    }

    @Test
    void noRoomIsTableFull() {
        fx.sysctl("net.ipv4.neigh.default.gc_thresh3", 1);
        fx.sysctl("net.ipv4.neigh.default.gc_thresh2", 1);
        fx.receive(request(PEER_MAC, "10.0.0.3", "10.0.0.1"));

        resolve("10.0.0.2");

        assertThat(told).containsExactly(ResolveOutcome.TABLE_FULL);
        assertThat(fx.entry("10.0.0.2")).isNull();
    }
}
