package io.neighd.ip;

import io.neighd.neighbour.NudState;
import io.neighd.neighbour.Skb;
import io.neighd.testkit.EngineFixture;
import io.neighd.testkit.RecordingTransmitter.Sent;
import io.neighd.wire.ArpOp;
import io.neighd.wire.Ipv4Address;
import io.neighd.wire.MacAddress;
import io.neighd.wire.RxFrame;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.neighd.ip.Ipv4Output.Result.DROPPED;
import static io.neighd.ip.Ipv4Output.Result.LOCAL;
import static io.neighd.ip.Ipv4Output.Result.NO_ROUTE;
import static io.neighd.ip.Ipv4Output.Result.QUEUED;
import static io.neighd.ip.Ipv4Output.Result.SENT;
import static io.neighd.ip.Ipv4Output.Result.TABLE_FULL;
import static io.neighd.testkit.EngineFixture.OTHER_MAC;
import static io.neighd.testkit.EngineFixture.OUR_MAC;
import static io.neighd.testkit.EngineFixture.PEER_MAC;
import static io.neighd.testkit.EngineFixture.ip;
import static io.neighd.testkit.EngineFixture.reply;
import static io.neighd.testkit.EngineFixture.request;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A locally generated packet on its way out: ip_route_output → ip_finish_output2 →
 * ip_neigh_for_gw (the gateway for an indirect route, else the destination) → neigh_output, with
 * the arp_queue of __neigh_event_send() while the neighbour is INCOMPLETE. A packet of up to 225
 * bytes has the truesize of an skb_small_head_cache head, 576 + 256 = 832 (Skb#truesize).
 *
 * <pre>
 * | Neighbour / route                 | Result   | What happens                                                         |
 * |-----------------------------------|----------|----------------------------------------------------------------------|
 * | none, connected route             | QUEUED   | created, INCOMPLETE, one broadcast probe; more packets only queue    |
 * | INCOMPLETE → REACHABLE            | -        | the queue leaves in order, to the resolved address                   |
 * | queue over unres_qlen_bytes       | QUEUED   | oldest dropped first, unresolved_discards++                          |
 * | INCOMPLETE → FAILED               | -        | neigh_invalidate: dst_link_failure for each queued packet, in order  |
 * | no probes allowed                 | DROPPED  | FAILED at once, the packet freed without an error report             |
 * | REACHABLE                         | SENT     | at once, no ARP                                                      |
 * | STALE                             | SENT     | at once with the cached address; DELAY                               |
 * | indirect route                    | QUEUED   | the gateway is resolved, the packet keeps its destination            |
 * | broadcast destination             | SENT     | NOARP entry with ff:ff:ff:ff:ff:ff (arp_constructor)                 |
 * | local destination                 | LOCAL    | looped back, nothing on the wire, no neighbour                       |
 * | no route                          | NO_ROUTE | nothing created                                                      |
 * | table at gc_thresh3               | TABLE_FULL | neigh_alloc refuses (ENOBUFS)                                      |
 * </pre>
 */
class OutputPathTest {
    private static final String US = "10.0.0.1";
    private static final String PEER = "10.0.0.2";

    private EngineFixture fx;

    @BeforeEach
    void setUp() {
        fx = new EngineFixture();
    }

    private static RxFrame ip4(Sent s) {
        RxFrame f = s.decoded();
        assertThat(f.etherType).isEqualTo(0x0800);
        return f;
    }

    private static int totalLength(Skb skb) {
        return skb.l3().length;
    }

    @Test
    void packetsWaitWhileIncompleteAndLeaveInOrderOnResolution() {
        assertThat(fx.send(US, PEER, 56)).isEqualTo(QUEUED);
        assertThat(fx.send(US, PEER, 57)).isEqualTo(QUEUED);
        assertThat(fx.send(US, PEER, 58)).isEqualTo(QUEUED);

        assertThat(fx.tx.arp()).as("only the first packet probes").hasSize(1);
        assertThat(fx.tx.ipv4()).isEmpty();
        assertThat(fx.entry(PEER).queueLenPackets()).isEqualTo(3);
        assertThat(fx.entry(PEER).queueLenBytes()).isEqualTo(3 * 832);
        fx.tx.clear();

        fx.receive(reply(PEER_MAC, PEER, US));

        List<Sent> sent = fx.tx.ipv4();
        assertThat(sent).extracting(s -> ip4(s).ipTotalLength).containsExactly(84, 85, 86);
        assertThat(sent).allSatisfy(s -> {
            assertThat(s.ethDst()).isEqualTo(PEER_MAC);
            assertThat(s.decoded().ethSrc).isEqualTo(OUR_MAC.bits());
            assertThat(ip4(s).ipDst).isEqualTo(ip(PEER));
        });
        assertThat(fx.entry(PEER).queueLenPackets()).isZero();
        assertThat(fx.entry(PEER).queueLenBytes()).isZero();
        assertThat(fx.engine.stats().unresDiscards).isZero();
    }

    /** unres_qlen = 1 means 2090 bytes: two small packets fit, the third and fourth push out the oldest. */
    @Test
    void aFullQueueDropsTheOldestAndCountsIt() {
        fx.sysctl("net.ipv4.neigh.nd0.unres_qlen", 1);
        for (int payload = 56; payload <= 59; payload++) {
            assertThat(fx.send(US, PEER, payload)).isEqualTo(QUEUED);
        }

        assertThat(fx.engine.stats().unresDiscards).isEqualTo(2);
        assertThat(fx.entry(PEER).queueLenPackets()).isEqualTo(2);
        assertThat(fx.entry(PEER).queueLenBytes()).isEqualTo(2 * 832);

        fx.receive(reply(PEER_MAC, PEER, US));

        assertThat(fx.tx.ipv4()).extracting(s -> ip4(s).ipTotalLength).containsExactly(86, 87);
    }

    /** The while loop empties the queue and still queues a packet bigger than the limit on its own. */
    @Test
    void aPacketBiggerThanTheLimitStillWaitsAlone() {
        fx.sysctl("net.ipv4.neigh.nd0.unres_qlen_bytes", 100);

        fx.send(US, PEER, 56);
        fx.send(US, PEER, 57);

        assertThat(fx.entry(PEER).queueLenPackets()).isEqualTo(1);
        assertThat(fx.entry(PEER).queueLenBytes()).isEqualTo(832);
        assertThat(fx.engine.stats().unresDiscards).isEqualTo(1);
    }

    /** neigh_invalidate(): error_report (arp_error_report → dst_link_failure) for each packet, oldest first. */
    @Test
    void failedResolutionReportsEveryQueuedPacket() {
        fx.send(US, PEER, 56);
        fx.send(US, PEER, 57);
        fx.send(US, PEER, 58);

        fx.advanceJiffies(752);
        assertThat(fx.linkFailures).isEmpty();
        fx.advanceJiffies(1);

        assertThat(fx.state(PEER)).isEqualTo(NudState.FAILED);
        assertThat(fx.linkFailures).extracting(OutputPathTest::totalLength).containsExactly(84, 85, 86);
        assertThat(fx.tx.ipv4()).isEmpty();
        assertThat(fx.engine.stats().resFailed).isEqualTo(1);
    }

    @Test
    void withoutProbesThePacketIsDroppedSilently() {
        fx.sysctl("net.ipv4.neigh.nd0.mcast_solicit", 0);

        assertThat(fx.send(US, PEER)).isEqualTo(DROPPED);

        assertThat(fx.state(PEER)).isEqualTo(NudState.FAILED);
        assertThat(fx.linkFailures).as("kfree_skb, no error report").isEmpty();
        assertThat(fx.tx.all()).isEmpty();
    }

    @Test
    void aReachableNeighbourTakesThePacketAtOnce() {
        fx.send(US, PEER);
        fx.receive(reply(PEER_MAC, PEER, US));
        fx.tx.clear();

        assertThat(fx.send(US, PEER)).isEqualTo(SENT);

        assertThat(fx.tx.all()).singleElement().satisfies(s -> assertThat(s.ethDst()).isEqualTo(PEER_MAC));
    }

    @Test
    void aStaleNeighbourTakesThePacketWithItsCachedAddress() {
        fx.receive(request(OTHER_MAC, PEER, US));
        fx.tx.clear();

        assertThat(fx.send(US, PEER)).isEqualTo(SENT);

        assertThat(fx.tx.all()).singleElement().satisfies(s -> assertThat(s.ethDst()).isEqualTo(OTHER_MAC));
        assertThat(fx.state(PEER)).isEqualTo(NudState.DELAY);
    }

    /** ip_neigh_for_gw(): rt_gw4 for an indirect route; the neighbour is the gateway's. */
    @Test
    void offSubnetDestinationsResolveTheDefaultGateway() {
        fx.engine.addRoute(RouteSpec.parse("default via 10.0.0.254 dev nd0"));

        assertThat(fx.send(US, "8.8.8.8")).isEqualTo(QUEUED);

        assertThat(fx.entry("8.8.8.8")).isNull();
        assertThat(fx.state("10.0.0.254")).isEqualTo(NudState.INCOMPLETE);
        assertThat(fx.tx.arp()).singleElement().satisfies(s -> {
            assertThat(s.ethDst()).isEqualTo(MacAddress.BROADCAST);
            assertThat(s.arp().op()).isEqualTo(ArpOp.REQUEST);
            assertThat(s.arp().senderIp()).isEqualTo(Ipv4Address.parse(US));
            assertThat(s.arp().targetIp()).isEqualTo(Ipv4Address.parse("10.0.0.254"));
        });
        fx.tx.clear();

        fx.receive(reply(OTHER_MAC, "10.0.0.254", US));

        assertThat(fx.tx.ipv4()).singleElement().satisfies(s -> {
            assertThat(s.ethDst()).isEqualTo(OTHER_MAC);
            assertThat(ip4(s).ipDst).isEqualTo(ip("8.8.8.8"));
            assertThat(ip4(s).ipSrc).isEqualTo(ip(US));
        });
        assertThat(fx.send(US, "9.9.9.9")).as("every off-subnet packet shares the gateway's entry").isEqualTo(SENT);
        assertThat(fx.engine.table().entries()).isEqualTo(1);
    }

    @Test
    void aMoreSpecificRouteWinsOverTheDefault() {
        NetDevice nd1 = fx.addInterface("nd1", 3, MacAddress.parse("02:aa:00:00:01:01"), "10.1.0.1/24");
        fx.engine.addRoute(RouteSpec.parse("default via 10.0.0.254 dev nd0"));
        fx.engine.addRoute(RouteSpec.parse("10.88.0.0/16 via 10.1.0.254"));

        fx.send(US, "10.88.1.1");

        assertThat(fx.engine.table().lookupNoref(nd1, ip("10.1.0.254")).nudState()).isEqualTo(NudState.INCOMPLETE);
        assertThat(fx.entry("10.0.0.254")).isNull();
        assertThat(fx.tx.arp()).singleElement().satisfies(s -> {
            assertThat(s.dev()).isEqualTo("nd1");
            assertThat(s.arp().senderIp()).as("arp_announce 0: the packet's source is local")
                    .isEqualTo(Ipv4Address.parse(US));
        });
    }

    @Test
    void noRouteCreatesNothing() {
        assertThat(fx.send(US, "192.168.1.1")).isEqualTo(NO_ROUTE);

        assertThat(fx.engine.table().entries()).isZero();
        assertThat(fx.engine.stats().allocs).isZero();
        assertThat(fx.tx.all()).isEmpty();
    }

    /** arp_constructor(): RTN_BROADCAST → NUD_NOARP with dev->broadcast; CONNECTED, so sent at once. */
    @Test
    void theSubnetBroadcastGoesToTheBroadcastMac() {
        assertThat(fx.send(US, "10.0.0.255")).isEqualTo(SENT);

        assertThat(fx.state("10.0.0.255")).isEqualTo(NudState.NOARP);
        assertThat(fx.tx.all()).singleElement().satisfies(s -> assertThat(s.ethDst()).isEqualTo(MacAddress.BROADCAST));
    }

    @Test
    void aLocalDestinationIsLoopedBack() {
        assertThat(fx.send(US, US)).isEqualTo(LOCAL);
        assertThat(fx.send(US, "127.0.0.1")).isEqualTo(LOCAL);

        assertThat(fx.tx.all()).isEmpty();
        assertThat(fx.engine.table().entries()).isZero();
    }

    /** neigh_alloc() with gc_entries >= gc_thresh3 and nothing to collect: ENOBUFS. */
    @Test
    void aFullTableRefusesTheNeighbour() {
        fx.sysctl("net.ipv4.neigh.default.gc_thresh3", 0);

        assertThat(fx.send(US, PEER)).isEqualTo(TABLE_FULL);

        assertThat(fx.entry(PEER)).isNull();
        assertThat(fx.engine.stats().tableFulls).isEqualTo(1);
        assertThat(fx.tx.all()).isEmpty();
    }

    /** sock_confirm_neigh(): MSG_CONFIRM refreshes confirmed on the neighbour the packet leaves through. */
    @Test
    void msgConfirmRefreshesTheGatewaysConfirmedTime() {
        fx.engine.addRoute(RouteSpec.parse("default via 10.0.0.254 dev nd0"));
        fx.send(US, "8.8.8.8");
        fx.receive(reply(OTHER_MAC, "10.0.0.254", US));
        long resolvedAt = fx.now();
        fx.advanceJiffies(100);
        byte[] msg = io.neighd.wire.IcmpEcho.build(8, 1, 2, new byte[8], 0, 8);
        byte[] pkt = io.neighd.wire.Ipv4Packet.build(ip(US), ip("8.8.8.8"), 1, 3, 64, msg);

        assertThat(fx.engine.output().send(pkt, null, false)).isEqualTo(SENT);
        assertThat(fx.entry("10.0.0.254").confirmed()).isEqualTo(resolvedAt);
        assertThat(fx.engine.output().send(pkt, null, true)).isEqualTo(SENT);

        assertThat(fx.entry("10.0.0.254").confirmed()).isEqualTo(resolvedAt + 100);
    }
}
