package io.neighd.engine;

import io.neighd.arp.Reason;
import io.neighd.arp.ScanResult;
import io.neighd.testkit.EngineFixture;
import io.neighd.wire.Ipv4Cidr;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static io.neighd.testkit.EngineFixture.PEER_MAC;
import static io.neighd.testkit.EngineFixture.reply;
import static org.assertj.core.api.Assertions.assertThat;

/** Answers to a rate-limited scan (one probe a second) while addresses still wait to be probed. */
class ArpScanAnswersTest {
    private EngineFixture fx;
    private final List<ScanResult> done = new ArrayList<>();

    @BeforeEach
    void setUp() {
        fx = new EngineFixture();
        assertThat(fx.engine.scan(fx.nd0, Ipv4Cidr.parse("10.0.0.4/30"), 1, 0, 100, done::add).ok()).isTrue();
    }

    @Test
    void aReplyFromAnAddressNotProbedYetIsNoAnswer() {
        assertThat(fx.receive(reply(PEER_MAC, "10.0.0.6", "10.0.0.1"))).isEqualTo(Reason.NOT_FOR_US);

        assertThat(fx.events.raw()).noneMatch(e -> e.type() == NeighEvent.Type.SCAN_REPLY);
        assertThat(fx.engine.scans().progress(1).responders()).isZero();
    }

    @Test
    void anAnswerAfterTheLatestWaitDoesNotEndAScanWithAddressesLeft() {
        fx.advanceJiffies(100); // .4's wait ended at 100 ms; .5 is probed at 1 s

        assertThat(fx.receive(reply(PEER_MAC, "10.0.0.4", "10.0.0.1"))).isEqualTo(Reason.CREATED_BY_SCAN);

        assertThat(done).isEmpty();
        assertThat(fx.engine.scans().progress(1).done()).isFalse();
        assertThat(fx.engine.scans().running()).isEqualTo(1);
    }
}
