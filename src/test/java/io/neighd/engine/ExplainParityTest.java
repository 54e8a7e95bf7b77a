package io.neighd.engine;

import io.neighd.arp.Reason;
import io.neighd.testkit.EngineFixture;
import io.neighd.wire.IcmpEcho;
import io.neighd.wire.Ipv4Packet;
import io.neighd.wire.MacAddress;
import io.neighd.wire.EthernetFrame;
import io.neighd.wire.EtherType;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static io.neighd.testkit.EngineFixture.OUR_MAC;
import static io.neighd.testkit.EngineFixture.PEER_MAC;
import static io.neighd.testkit.EngineFixture.ip;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Receive and explain take one path: every frame an engine test receives through
 * {@link EngineFixture#receive} is explained first and must get the same reason, with nothing
 * changed by the explanation (the arp_process table in ArpProcessTest and the malformed-frame
 * table in MalformedFrameTest included). These are the cases where the two used to disagree or
 * where only acting on the frame could tell, plus the control that the check can fail.
 */
class ExplainParityTest {
    private EngineFixture fx;

    @BeforeEach
    void setUp() {
        fx = new EngineFixture();
    }

    private static byte[] echoRequest(int vlan) {
        byte[] msg = IcmpEcho.build(IcmpEcho.TYPE_ECHO_REQUEST, 7, 1, new byte[8], 0, 8);
        byte[] pkt = Ipv4Packet.build(ip("10.0.0.2"), ip("10.0.0.1"), Ipv4Packet.PROTO_ICMP, 1, 64, msg);
        return EthernetFrame.wrap(OUR_MAC.bits(), PEER_MAC.bits(), vlan, EtherType.IPV4, pkt);
    }

    @Test
    void aNonArpFrameOnTheWrongVlanIsAVlanMismatchOnBothPaths() {
        assertThat(fx.receive(echoRequest(7))).isEqualTo(Reason.VLAN_MISMATCH);
        assertThat(fx.engine.explain(fx.nd0, echoRequest(7)).steps()).extracting(Explanation.Step::check)
                .containsExactly("__netif_receive_skb_core");
    }

    @Test
    void anEchoRequestIsExplainedAsTheReplyItGets() {
        Explanation e = fx.engine.explain(fx.nd0, echoRequest(-1));

        assertThat(e.reason()).isEqualTo(Reason.ICMP_ECHO_REPLIED);
        assertThat(fx.tx.all()).as("explaining sends nothing").isEmpty();
        assertThat(fx.receive(echoRequest(-1))).isEqualTo(Reason.ICMP_ECHO_REPLIED);
    }

    @Test
    void aMalformedArpFrameOnANoarpInterfaceIsConsumedByArpRcvFirst() {
        fx.engine.setNoarp(fx.nd0, true);
        byte[] truncated = Arrays.copyOf(EngineFixture.request(PEER_MAC, "10.0.0.2", "10.0.0.1"), 30);

        assertThat(fx.receive(truncated)).isEqualTo(Reason.DEVICE_NOARP);
    }

    @Test
    void aFullTableIsPredictedWithoutCreatingAnything() {
        fx.sysctl("net.ipv4.neigh.default.gc_thresh3", 1);
        fx.sysctl("net.ipv4.neigh.default.gc_thresh2", 1);
        assertThat(fx.receive(EngineFixture.request(PEER_MAC, "10.0.0.2", "10.0.0.1"))).isEqualTo(Reason.REPLIED);

        Explanation e = fx.engine.explain(fx.nd0,
                EngineFixture.request(MacAddress.parse("02:bb:00:00:00:03"), "10.0.0.3", "10.0.0.1"));

        assertThat(e.reason()).isEqualTo(Reason.TABLE_FULL);
        assertThat(e.steps()).extracting(Explanation.Step::check).endsWith("neigh_event_ns");
        assertThat(fx.engine.table().entries()).isEqualTo(1);
        assertThat(fx.receive(EngineFixture.request(MacAddress.parse("02:bb:00:00:00:03"), "10.0.0.3", "10.0.0.1")))
                .isEqualTo(Reason.TABLE_FULL);
    }

    /** The control: the fixture's comparison fails when the two paths disagree. */
    @Test
    void theComparisonFailsWhenExplainAndReceiveDisagree() {
        Explanation said = fx.engine.explain(fx.nd0, EngineFixture.request(PEER_MAC, "10.0.0.2", "10.0.0.1"));

        assertThatThrownBy(() -> EngineFixture.checkParity(said, Reason.NOT_FOR_US))
                .isInstanceOf(AssertionError.class).hasMessageContaining("predicted REPLIED but receive did NOT_FOR_US");
    }
}
