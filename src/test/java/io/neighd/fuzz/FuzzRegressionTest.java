package io.neighd.fuzz;

import io.neighd.arp.Reason;
import io.neighd.neighbour.NudState;
import io.neighd.testkit.EngineFixture;
import org.junit.jupiter.api.Test;

import static io.neighd.testkit.EngineFixture.OTHER_MAC;
import static io.neighd.testkit.EngineFixture.PEER_MAC;
import static io.neighd.testkit.EngineFixture.ip;
import static io.neighd.testkit.EngineFixture.request;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the frame path fuzzers found, one test each, named for the defect, with the seed (or
 * Jazzer input) that found it. {@link EngineFixture#receive} explains every frame first and fails
 * on a disagreement, which is how most of these showed.
 */
class FuzzRegressionTest {
    /**
     * Seed 3 of FramePathFuzzTest, batch 63: explain said an ARP with room-making GC would create an
     * entry, receive found the table full. neigh_forced_gc() stops after the first unreferenced
     * entry once it has cleaned max_clean = gc_entries - gc_thresh2 (which gc_thresh2 above the
     * entries makes negative), so a removable entry further down the GC list does not count;
     * NeighbourTable.canAllocate looked at all of them.
     */
    @Test
    void explainPredictsForcedGcStoppingAtMaxClean() {
        EngineFixture fx = new EngineFixture();
        fx.sysctl("net.ipv4.neigh.default.gc_thresh3", 2);
        fx.sysctl("net.ipv4.neigh.default.gc_thresh2", Integer.MAX_VALUE);
        fx.receive(request(PEER_MAC, "10.0.0.2", "10.0.0.1"));
        fx.sysctl("net.ipv4.neigh.nd0.mcast_solicit", 0);
        fx.engine.resolve(fx.nd0, ip("10.0.0.3"), o -> {
        });
        assertThat(fx.state("10.0.0.3")).isEqualTo(NudState.FAILED);

        assertThat(fx.receive(request(OTHER_MAC, "10.0.0.4", "10.0.0.1"))).isEqualTo(Reason.TABLE_FULL);
        assertThat(fx.entry("10.0.0.3")).as("forced GC stopped before it").isNotNull();
    }
}
