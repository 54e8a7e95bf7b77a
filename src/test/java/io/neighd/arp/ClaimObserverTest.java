package io.neighd.arp;

import io.neighd.ip.NetDevice;
import io.neighd.testkit.EngineFixture;
import org.junit.jupiter.api.Test;

import static io.neighd.testkit.EngineFixture.OTHER_MAC;
import static io.neighd.testkit.EngineFixture.OUR_MAC;
import static io.neighd.testkit.EngineFixture.PEER_MAC;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * arp_process() reports, through its actions, frames from another MAC whose sender IP is an
 * address of this host (RFC 5227 section 2.4); the receive path passes them to the listeners,
 * the explain path does not (EngineFixture.receive explains every frame first and fails if that
 * reported anything), and the decision is the one Linux takes, claim or not.
 *
 * <pre>
 * | Frame                                                   | Claim? | Reason (as Linux)   |
 * |---------------------------------------------------------|--------|---------------------|
 * | gratuitous request from another MAC for our 10.0.0.1    | yes    | NOT_FOR_US          |
 * | reply from another MAC with sender 10.0.0.1             | yes    | NOT_FOR_US          |
 * | request from another MAC, sender 10.0.0.1, for 10.0.0.1 | yes    | as without the hook |
 * | our own gratuitous request (our MAC)                    | no     |                     |
 * | a peer's request from its own address                   | no     |                     |
 * | a duplicate address probe (sender 0.0.0.0)              | no     |                     |
 * | another MAC claiming nd1's address, received on nd0     | yes    |                     |
 * </pre>
 */
class ClaimObserverTest {
    final EngineFixture f = new EngineFixture();

    @Test
    void gratuitousRequestFromAnotherMacForOurAddressIsAClaim() {
        Reason r = f.receive(EngineFixture.garpRequest(PEER_MAC, "10.0.0.1"));
        assertThat(f.events.claims()).containsExactly("nd0 10.0.0.1 " + PEER_MAC);
        // and arp_process goes on as in Linux: no entry for our own address
        assertThat(r).isEqualTo(Reason.NOT_FOR_US);
    }

    @Test
    void replyFromAnotherMacNamingOurAddressAsSenderIsAClaim() {
        f.receive(EngineFixture.reply(OTHER_MAC, "10.0.0.1", "10.0.0.9"));
        assertThat(f.events.claims()).containsExactly("nd0 10.0.0.1 " + OTHER_MAC);
    }

    @Test
    void theDecisionIsTheSameWithAndWithoutAListener() {
        EngineFixture quiet = new EngineFixture();
        quiet.engine.removeListener(quiet.events);
        byte[] frame = EngineFixture.request(PEER_MAC, "10.0.0.1", "10.0.0.1");
        assertThat(f.receive(frame)).isEqualTo(quiet.receive(frame));
        assertThat(f.tx.all()).hasSameSizeAs(quiet.tx.all());
        assertThat(f.events.claims()).hasSize(1);
    }

    @Test
    void ourOwnMacOtherSendersAndProbesAreNot() {
        f.receive(EngineFixture.garpRequest(OUR_MAC, "10.0.0.1"));
        f.receive(EngineFixture.request(PEER_MAC, "10.0.0.2", "10.0.0.1"));
        f.receive(EngineFixture.dadProbe(PEER_MAC, "10.0.0.1"));
        assertThat(f.events.claims()).isEmpty();
    }

    @Test
    void anAddressOfAnotherInterfaceIsStillOurs() {
        NetDevice nd1 = f.addInterface("nd1", 3, io.neighd.wire.MacAddress.parse("02:aa:00:00:00:02"), "10.9.0.1/24");
        assertThat(nd1.isUp()).isTrue();
        f.receive(EngineFixture.garpRequest(PEER_MAC, "10.9.0.1"));
        assertThat(f.events.claims()).containsExactly("nd0 10.9.0.1 " + PEER_MAC);
    }

    @Test
    void explainDoesNotReportIt() {
        f.engine.explain(f.nd0, EngineFixture.garpRequest(PEER_MAC, "10.0.0.1"));
        assertThat(f.events.claims()).isEmpty();
    }
}
