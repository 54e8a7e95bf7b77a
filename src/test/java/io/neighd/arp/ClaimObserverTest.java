package io.neighd.arp;

import io.neighd.testkit.EngineFixture;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The receive path tells its claim observer of frames from another MAC naming one of our addresses as sender. */
class ClaimObserverTest {
    final EngineFixture f = new EngineFixture();
    final List<String> claims = new ArrayList<>();

    ClaimObserverTest() {
        f.engine.setClaimObserver((dev, sip, sha) -> claims.add(dev.name() + " "
                + io.neighd.wire.Ipv4Address.toString(sip) + " " + io.neighd.wire.MacAddress.toString(sha)));
    }

    @Test
    void gratuitousRequestFromAnotherMacForOurAddressIsAClaim() {
        Reason r = f.receive(EngineFixture.garpRequest(EngineFixture.PEER_MAC, "10.0.0.1"));
        assertThat(claims).containsExactly("nd0 10.0.0.1 " + EngineFixture.PEER_MAC);
        // and arp_process goes on as in Linux
        assertThat(r).isNotNull();
    }

    @Test
    void replyFromAnotherMacNamingOurAddressAsSenderIsAClaim() {
        f.receive(EngineFixture.reply(EngineFixture.OTHER_MAC, "10.0.0.1", "10.0.0.9"));
        assertThat(claims).containsExactly("nd0 10.0.0.1 " + EngineFixture.OTHER_MAC);
    }

    @Test
    void ourOwnMacOtherSendersAndProbesAreNot() {
        f.receive(EngineFixture.garpRequest(EngineFixture.OUR_MAC, "10.0.0.1"));
        f.receive(EngineFixture.request(EngineFixture.PEER_MAC, "10.0.0.2", "10.0.0.1"));
        f.receive(EngineFixture.dadProbe(EngineFixture.PEER_MAC, "10.0.0.1"));
        assertThat(claims).isEmpty();
    }

    @Test
    void explainDoesNotTellTheObserver() {
        f.engine.explain(f.nd0, EngineFixture.garpRequest(EngineFixture.PEER_MAC, "10.0.0.1"));
        assertThat(claims).isEmpty();
    }
}
