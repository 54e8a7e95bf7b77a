package io.neighd.engine;

import io.neighd.arp.Reason;
import io.neighd.testkit.EngineFixture;
import io.neighd.wire.Ipv4Cidr;
import org.junit.jupiter.api.Test;

import static io.neighd.testkit.EngineFixture.PEER_MAC;
import static io.neighd.testkit.EngineFixture.reply;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The explain endpoint on a reply to a running scan's probe: the scan step is named before the
 * entry it creates. (Whether arp_rcv's "accepted" step should come first, as on the other replies,
 * is open: the scan path does not record it today.)
 */
class ExplainScanReplyTest {
    @Test
    void theScanStepIsNamed() {
        EngineFixture fx = new EngineFixture();
        fx.engine.scan(fx.nd0, Ipv4Cidr.parse("10.0.0.4/30"), 0, 0, 500, r -> {
        });

        Explanation e = fx.engine.explain(fx.nd0, reply(PEER_MAC, "10.0.0.5", "10.0.0.1"));

        assertThat(e.steps()).extracting(s -> s.check() + " | " + s.detail()).containsSubsequence(
                "arp_scan | no entry for 10.0.0.5, but it answers a running scan's probe: create its entry",
                "neigh_update | would create 10.0.0.5 REACHABLE with 02:bb:00:00:00:02");
        assertThat(e.reason()).isEqualTo(Reason.CREATED_BY_SCAN);
        assertThat(fx.receive(reply(PEER_MAC, "10.0.0.5", "10.0.0.1"))).isEqualTo(Reason.CREATED_BY_SCAN);
    }
}
