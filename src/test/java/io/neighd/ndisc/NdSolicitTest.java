package io.neighd.ndisc;

import io.neighd.engine.ResolveOutcome;
import io.neighd.ip.Pinger;
import io.neighd.neighbour.NudState;
import io.neighd.testkit.Nd6;
import io.neighd.wire.Icmpv6;
import io.neighd.wire.Ipv6Address;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static io.neighd.ndisc.Nd6Fixture.LL;
import static io.neighd.ndisc.Nd6Fixture.OURS;
import static io.neighd.ndisc.Nd6Fixture.OUR_MAC;
import static io.neighd.ndisc.Nd6Fixture.PEER;
import static io.neighd.ndisc.Nd6Fixture.PEER_MAC;
import static io.neighd.testkit.Nd6.O;
import static io.neighd.testkit.Nd6.S;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * ndisc_solicit() on nd_tbl's NUD machine (the machine itself is NudTransitionTest's; these are the
 * rows where IPv6 differs): where each probe goes and from which address, and the arp_queue
 * equivalent a ping6 waits on.
 *
 * <pre>
 * | State      | Probe                                                   | Source                                  | Mirrors          |
 * |------------|---------------------------------------------------------|-----------------------------------------|------------------|
 * | INCOMPLETE | multicast NS to the solicited-node group, mcast_solicit | the queued packet's if ours, else the   | ndisc_solicit    |
 * |            | times retrans_time apart, then FAILED                   | link-local address; none without one    | ndisc_send_ns    |
 * | PROBE      | unicast NS to the cached address, ucast_solicit times   | as above                                | probes &lt; ucast  |
 * | app_solicit| RTM_GETNEIGH ("miss") between unicast and multicast     |                                         | neigh_app_ns     |
 * </pre>
 */
class NdSolicitTest {
    final Nd6Fixture t = new Nd6Fixture();
    final List<ResolveOutcome> outcomes = new ArrayList<>();

    private void resolve(String ip) {
        t.fx.engine.resolve(t.fx.nd0, Ipv6Address.parse(ip), outcomes::add);
    }

    @Test
    void resolutionSolicitsTheSolicitedNodeGroupMcastSolicitTimesThenFails() {
        resolve(PEER);

        assertThat(t.state(PEER)).isEqualTo(NudState.INCOMPLETE);
        assertThat(t.sent()).singleElement().satisfies(ns -> {
            assertThat(ns.dst()).hasToString("ff02::1:ff00:2");
            assertThat(ns.ethDst()).isEqualTo(0x3333ff000002L);
            assertThat(ns.src()).as("no packet queued: the link-local address").hasToString(LL);
            assertThat(ns.target()).hasToString(PEER);
            assertThat(ns.lladdrOption()).isEqualTo(OUR_MAC.bits());
        });
        t.fx.advanceJiffies(251);
        assertThat(t.sent()).hasSize(2);
        t.fx.advanceJiffies(251);
        assertThat(t.sent()).hasSize(3);
        t.fx.advanceJiffies(251);

        assertThat(t.state(PEER)).isEqualTo(NudState.FAILED);
        assertThat(t.sent()).hasSize(3);
        assertThat(outcomes).containsExactly(ResolveOutcome.FAILED);
        assertThat(t.stats().resFailed).isEqualTo(1);
    }

    @Test
    void withoutALinkLocalAddressNothingCanBeSolicited() {
        t.fx.engine.deleteAddress6(t.fx.nd0, Ipv6Address.parse(LL));
        resolve(PEER);

        assertThat(t.state(PEER)).isEqualTo(NudState.INCOMPLETE);
        assertThat(t.sent()).as("ndisc_send_ns: no source, no solicitation").isEmpty();
    }

    @Test
    void ping6WaitsOnTheEntryAndItsSourceSolicits() {
        List<Pinger.Result> results = new ArrayList<>();
        t.fx.engine.ping(Ipv6Address.parse(PEER), null, 1, 1000, 1000, 56, results::add);

        assertThat(t.entry(PEER).queueLenPackets()).isEqualTo(1);
        assertThat(t.sent()).singleElement().satisfies(ns -> assertThat(ns.src()).hasToString(OURS));
        t.fx.tx.clear();

        t.receive(Nd6.na(PEER_MAC, PEER, OURS, PEER, S | O, PEER_MAC.bits(), OUR_MAC));
        assertThat(t.sent()).singleElement().satisfies(echo -> {
            assertThat(echo.type()).isEqualTo(Icmpv6.ECHO_REQUEST);
            assertThat(echo.src()).hasToString(OURS);
            assertThat(echo.dst()).hasToString(PEER);
            assertThat(echo.ethDst()).isEqualTo(PEER_MAC.bits());
            assertThat(echo.hopLimit()).isEqualTo(64);
        });
        byte[] reply = io.neighd.wire.NdMessage.echo(Icmpv6.ECHO_REPLY, 0, 64, Ipv6Address.parse(PEER).hi(),
                Ipv6Address.parse(PEER).lo(), Ipv6Address.parse(OURS).hi(), Ipv6Address.parse(OURS).lo(),
                icmpId(t.fx.tx.all().get(0).frame()), 1, new byte[56], 0, 56);
        t.receive(Nd6.frame(OUR_MAC.bits(), PEER_MAC, reply));
        assertThat(results).singleElement().satisfies(r -> {
            assertThat(r.received()).isEqualTo(1);
            assertThat(r.src()).hasToString(OURS);
        });
    }

    private static int icmpId(byte[] frame) {
        return Icmpv6.identifier(frame, 14 + 40);
    }

    @Test
    void probeStateSendsUnicastSolicitationsToTheCachedAddress() {
        t.receive(Nd6.ns(PEER_MAC, PEER, OURS));
        assertThat(t.state(PEER)).isEqualTo(NudState.DELAY);
        t.fx.tx.clear();
        t.fx.advanceJiffies(1251);

        assertThat(t.state(PEER)).isEqualTo(NudState.PROBE);
        assertThat(t.sent()).singleElement().satisfies(ns -> {
            assertThat(ns.dst()).hasToString(PEER);
            assertThat(ns.ethDst()).isEqualTo(PEER_MAC.bits());
            assertThat(ns.target()).hasToString(PEER);
        });
        t.fx.advanceJiffies(251 * 3);
        assertThat(t.sent()).hasSize(3);
        assertThat(t.state(PEER)).isEqualTo(NudState.FAILED);
    }

    @Test
    void appSolicitAsksUserSpaceBetweenTheUnicastAndMulticastProbes() {
        t.sysctl("net.ipv6.neigh.nd0.app_solicit", 1);
        t.sysctl("net.ipv6.neigh.nd0.mcast_resolicit", 1);
        t.receive(Nd6.ns(PEER_MAC, PEER, OURS));
        t.fx.tx.clear();
        t.fx.events.clear();
        t.fx.advanceJiffies(1251 + 251 * 4);

        assertThat(t.sent()).extracting(s -> s.dst().toString())
                .containsExactly(PEER, PEER, PEER, "ff02::1:ff00:2");
        assertThat(t.fx.events.events()).contains("GETNEIGH 2001:db8::2 PROBE");
    }
}
