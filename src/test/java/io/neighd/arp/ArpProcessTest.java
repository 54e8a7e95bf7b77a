package io.neighd.arp;

import io.neighd.ip.NetDevice;
import io.neighd.ip.RouteSpec;
import io.neighd.ip.Scope;
import io.neighd.neighbour.Neighbour;
import io.neighd.neighbour.NudState;
import io.neighd.testkit.EngineFixture;
import io.neighd.testkit.RecordingTransmitter.Sent;
import io.neighd.wire.ArpOp;
import io.neighd.wire.ArpPacket;
import io.neighd.wire.Ipv4Address;
import io.neighd.wire.Ipv4Cidr;
import io.neighd.wire.MacAddress;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static io.neighd.testkit.EngineFixture.OTHER_MAC;
import static io.neighd.testkit.EngineFixture.OUR_MAC;
import static io.neighd.testkit.EngineFixture.PEER_MAC;
import static io.neighd.testkit.EngineFixture.broadcastReply;
import static io.neighd.testkit.EngineFixture.dadProbe;
import static io.neighd.testkit.EngineFixture.garpReply;
import static io.neighd.testkit.EngineFixture.garpRequest;
import static io.neighd.testkit.EngineFixture.ip;
import static io.neighd.testkit.EngineFixture.reply;
import static io.neighd.testkit.EngineFixture.request;
import static io.neighd.testkit.EngineFixture.unicastRequest;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * arp_process() (net/ipv4/arp.c) under each knob. Two interfaces: nd0 (02:aa:00:00:00:01,
 * 10.0.0.1/24) and nd1 (02:aa:00:00:01:01, 10.1.0.1/24); peers speak on nd0 from 10.0.0.2.
 */
class ArpProcessTest {
    private static final MacAddress ND1_MAC = MacAddress.parse("02:aa:00:00:01:01");

    private EngineFixture fx;
    private NetDevice nd1;

    @BeforeEach
    void setUp() {
        fx = new EngineFixture();
        nd1 = fx.addInterface("nd1", 3, ND1_MAC, "10.1.0.1/24");
    }

    private Sent onlyFrame() {
        assertThat(fx.tx.arp()).hasSize(1);
        return fx.tx.drain().get(0);
    }

    private static void assertReply(Sent s, MacAddress from, String spa, MacAddress to, String tpa) {
        assertThat(s.ethDst()).isEqualTo(to);
        assertThat(s.arp().op()).isEqualTo(ArpOp.REPLY);
        assertThat(s.arp().senderMac()).isEqualTo(from);
        assertThat(s.arp().senderIp()).isEqualTo(Ipv4Address.parse(spa));
        assertThat(s.arp().targetMac()).isEqualTo(to);
        assertThat(s.arp().targetIp()).isEqualTo(Ipv4Address.parse(tpa));
    }

    private long dropped(Reason r) {
        return fx.engine.arpStats().of(fx.nd0.ifindex()).count(r);
    }

    @Nested
    class ArpIgnore {
        @Test
        void level0RepliesForAnyLocalAddressEvenOfAnotherInterface() {
            assertThat(fx.receive(request(PEER_MAC, "10.0.0.2", "10.1.0.1"))).isEqualTo(Reason.REPLIED);
            assertReply(onlyFrame(), OUR_MAC, "10.1.0.1", PEER_MAC, "10.0.0.2");
            assertThat(fx.state("10.0.0.2")).isEqualTo(NudState.STALE);
        }

        @Test
        void level1RefusesAddressesOfOtherInterfacesAndDoesNotLearn() {
            fx.sysctl("net.ipv4.conf.nd0.arp_ignore", 1);

            assertThat(fx.receive(request(PEER_MAC, "10.0.0.2", "10.1.0.1"))).isEqualTo(Reason.ARP_IGNORE_NOT_ON_INGRESS);
            assertThat(fx.tx.all()).isEmpty();
            assertThat(fx.entry("10.0.0.2")).as("refused requests teach nothing").isNull();

            assertThat(fx.receive(request(PEER_MAC, "10.0.0.2", "10.0.0.1"))).isEqualTo(Reason.REPLIED);
            assertThat(dropped(Reason.ARP_IGNORE_NOT_ON_INGRESS)).isEqualTo(1);
        }

        @Test
        void level1OnTheSecondInterfaceRefusesTheFirstOnesAddress() {
            fx.sysctl("net.ipv4.conf.nd1.arp_ignore", 1);

            assertThat(fx.receive(nd1, request(PEER_MAC, "10.1.0.2", "10.0.0.1")))
                    .isEqualTo(Reason.ARP_IGNORE_NOT_ON_INGRESS);
            assertThat(fx.receive(request(PEER_MAC, "10.0.0.2", "10.1.0.1"))).as("nd0 still at 0")
                    .isEqualTo(Reason.REPLIED);
        }

        @Test
        void level2AlsoNeedsTheSenderOnTheTargetsSubnet() {
            fx.sysctl("net.ipv4.conf.nd0.arp_ignore", 2);

            assertThat(fx.receive(request(PEER_MAC, "10.9.9.9", "10.0.0.1")))
                    .isEqualTo(Reason.ARP_IGNORE_SENDER_NOT_ON_SUBNET);
            assertThat(fx.receive(request(PEER_MAC, "10.0.0.2", "10.1.0.1"))).isEqualTo(Reason.ARP_IGNORE_NOT_ON_INGRESS);
            assertThat(fx.receive(request(PEER_MAC, "10.0.0.2", "10.0.0.1"))).isEqualTo(Reason.REPLIED);
        }

        @Test
        void level3RefusesScopeHostAddresses() {
            fx.engine.addAddress(fx.nd0, Ipv4Cidr.parse("10.0.0.50/32"), Scope.HOST);
            assertThat(fx.receive(request(PEER_MAC, "10.0.0.2", "10.0.0.50"))).isEqualTo(Reason.REPLIED);

            fx.sysctl("net.ipv4.conf.nd0.arp_ignore", 3);

            assertThat(fx.receive(request(PEER_MAC, "10.0.0.2", "10.0.0.50"))).isEqualTo(Reason.ARP_IGNORE_SCOPE_HOST);
            assertThat(fx.receive(request(PEER_MAC, "10.0.0.2", "10.1.0.1"))).as("global scope on another interface")
                    .isEqualTo(Reason.REPLIED);
        }

        @ParameterizedTest(name = "arp_ignore={0} behaves as 0")
        @ValueSource(ints = {4, 5, 6, 7})
        void reservedLevelsReplyLikeZero(int level) {
            fx.sysctl("net.ipv4.conf.nd0.arp_ignore", level);
            assertThat(fx.receive(request(PEER_MAC, "10.0.0.2", "10.1.0.1"))).isEqualTo(Reason.REPLIED);
        }

        @Test
        void level8NeverReplies() {
            fx.sysctl("net.ipv4.conf.nd0.arp_ignore", 8);
            assertThat(fx.receive(request(PEER_MAC, "10.0.0.2", "10.0.0.1"))).isEqualTo(Reason.ARP_IGNORE_NEVER);
            assertThat(fx.tx.all()).isEmpty();
        }

        @Test
        void allAndInterfaceCombineByMax() {
            fx.sysctl("net.ipv4.conf.all.arp_ignore", 1);
            assertThat(fx.receive(request(PEER_MAC, "10.0.0.2", "10.1.0.1"))).isEqualTo(Reason.ARP_IGNORE_NOT_ON_INGRESS);
            fx.sysctl("net.ipv4.conf.nd0.arp_ignore", 8);
            assertThat(fx.receive(request(PEER_MAC, "10.0.0.2", "10.0.0.1"))).isEqualTo(Reason.ARP_IGNORE_NEVER);
        }
    }

    @Nested
    class ArpAnnounce {
        @BeforeEach
        void secondaryAddress() {
            fx.engine.addAddress(fx.nd0, Ipv4Cidr.parse("10.0.0.9/24"));
        }

        private Ipv4Address probeSourceFor(String src) {
            fx.send(src, "10.0.0.2");
            return onlyFrame().arp().senderIp();
        }

        @Test
        void level0UsesThePacketsSourceIfLocal() {
            assertThat(probeSourceFor("10.1.0.1")).isEqualTo(Ipv4Address.parse("10.1.0.1"));
        }

        @Test
        void level1UsesThePacketsSourceOnlyIfOnTheTargetsSubnet() {
            fx.sysctl("net.ipv4.conf.nd0.arp_announce", 1);
            assertThat(probeSourceFor("10.1.0.1")).isEqualTo(Ipv4Address.parse("10.0.0.1"));
        }

        @Test
        void level1KeepsASecondaryOnTheSubnet() {
            fx.sysctl("net.ipv4.conf.nd0.arp_announce", 1);
            assertThat(probeSourceFor("10.0.0.9")).isEqualTo(Ipv4Address.parse("10.0.0.9"));
        }

        @Test
        void level2AlwaysPicksThePrimary() {
            fx.sysctl("net.ipv4.conf.all.arp_announce", 2);
            assertThat(probeSourceFor("10.0.0.9")).isEqualTo(Ipv4Address.parse("10.0.0.1"));
        }
    }

    @Nested
    class ArpFilter {
        @BeforeEach
        void on() {
            fx.sysctl("net.ipv4.conf.nd0.arp_filter", 1);
        }

        @Test
        void repliesWhenTheRouteBackLeavesThroughTheReceivingInterface() {
            assertThat(fx.receive(request(PEER_MAC, "10.0.0.2", "10.0.0.1"))).isEqualTo(Reason.REPLIED);
        }

        @Test
        void dropsWhenTheRouteBackLeavesElsewhere() {
            assertThat(fx.receive(request(PEER_MAC, "10.1.0.7", "10.0.0.1"))).isEqualTo(Reason.ARP_FILTER_ROUTE_MISMATCH);
            assertThat(fx.tx.all()).isEmpty();
        }

        @Test
        void dropsWhenThereIsNoRouteBack() {
            assertThat(fx.receive(request(PEER_MAC, "192.168.5.5", "10.0.0.1"))).isEqualTo(Reason.ARP_FILTER_NO_ROUTE);
        }

        @Test
        void offByDefault() {
            fx.sysctl("net.ipv4.conf.nd0.arp_filter", 0);
            assertThat(fx.receive(request(PEER_MAC, "10.1.0.7", "10.0.0.1"))).isEqualTo(Reason.REPLIED);
        }
    }

    @Nested
    class ArpAccept {
        @Test
        void level0CreatesNothingFromUnsolicitedArp() {
            assertThat(fx.receive(garpRequest(PEER_MAC, "10.0.0.2"))).isEqualTo(Reason.NOT_FOR_US);
            assertThat(fx.receive(reply(PEER_MAC, "10.0.0.2", "10.0.0.1"))).isEqualTo(Reason.NOT_FOR_US);
            assertThat(fx.entry("10.0.0.2")).isNull();
        }

        @Test
        void level0StillUpdatesExistingEntries() {
            fx.receive(request(PEER_MAC, "10.0.0.2", "10.0.0.1"));
            fx.advanceMs(2000);

            assertThat(fx.receive(garpRequest(OTHER_MAC, "10.0.0.2"))).isEqualTo(Reason.UPDATED);

            assertThat(fx.entry("10.0.0.2").ha()).isEqualTo(OTHER_MAC.bits());
        }

        @Test
        void level1CreatesFromGratuitousRequestAndReply() {
            fx.sysctl("net.ipv4.conf.nd0.arp_accept", 1);

            assertThat(fx.receive(garpRequest(PEER_MAC, "10.0.0.2"))).isEqualTo(Reason.CREATED_BY_ARP_ACCEPT);
            assertThat(fx.receive(garpReply(OTHER_MAC, "10.0.0.3"))).isEqualTo(Reason.CREATED_BY_ARP_ACCEPT);

            assertThat(fx.state("10.0.0.2")).isEqualTo(NudState.STALE);
            assertThat(fx.state("10.0.0.3")).as("a broadcast reply asserts nothing").isEqualTo(NudState.STALE);
        }

        @Test
        void level1CreatesReachableFromAUnicastReply() {
            fx.sysctl("net.ipv4.conf.nd0.arp_accept", 1);
            assertThat(fx.receive(reply(PEER_MAC, "10.0.0.2", "10.0.0.1"))).isEqualTo(Reason.CREATED_BY_ARP_ACCEPT);
            assertThat(fx.state("10.0.0.2")).isEqualTo(NudState.REACHABLE);
        }

        @Test
        void level1DoesNotCreateFromAPlainRequestForSomeoneElse() {
            fx.sysctl("net.ipv4.conf.nd0.arp_accept", 1);
            assertThat(fx.receive(request(PEER_MAC, "10.0.0.2", "10.0.0.77"))).isEqualTo(Reason.NOT_FOR_US);
        }

        /** A reply creates only for a unicast sender: not for a broadcast address, gratuitous-shaped or not. */
        @Test
        void level1CreatesNothingForABroadcastSender() {
            fx.sysctl("net.ipv4.conf.nd0.arp_accept", 1);

            assertThat(fx.receive(reply(PEER_MAC, "10.0.0.255", "10.0.0.1"))).isEqualTo(Reason.NOT_FOR_US);
            assertThat(fx.receive(garpReply(PEER_MAC, "10.0.0.255"))).isEqualTo(Reason.NOT_FOR_US);

            assertThat(fx.entry("10.0.0.255")).isNull();
            assertThat(fx.engine.table().entries()).isZero();
        }

        /** __neigh_lookup(creat=1) may find no room: the frame is counted as a full table, and explain says so first. */
        @Test
        void level1WithAFullTableCreatesNothing() {
            fx.sysctl("net.ipv4.neigh.default.gc_thresh3", 1);
            fx.sysctl("net.ipv4.neigh.default.gc_thresh2", 1);
            fx.receive(request(PEER_MAC, "10.0.0.2", "10.0.0.1"));
            fx.sysctl("net.ipv4.conf.nd0.arp_accept", 1);

            assertThat(fx.receive(garpRequest(OTHER_MAC, "10.0.0.3"))).isEqualTo(Reason.TABLE_FULL);

            assertThat(fx.entry("10.0.0.3")).isNull();
            assertThat(dropped(Reason.TABLE_FULL)).isEqualTo(1);
        }

        @Test
        void level2CreatesOnlyForSendersOnALocalSubnet() {
            fx.sysctl("net.ipv4.conf.nd0.arp_accept", 2);

            assertThat(fx.receive(garpRequest(PEER_MAC, "10.9.9.9"))).isEqualTo(Reason.NOT_FOR_US);
            assertThat(fx.receive(garpRequest(PEER_MAC, "10.0.0.2"))).isEqualTo(Reason.CREATED_BY_ARP_ACCEPT);
        }
    }

    @Test
    void dropGratuitousArpDropsEvenForKnownSenders() {
        fx.receive(request(PEER_MAC, "10.0.0.2", "10.0.0.1"));
        fx.sysctl("net.ipv4.conf.all.drop_gratuitous_arp", 1);
        fx.advanceMs(2000);

        assertThat(fx.receive(garpRequest(OTHER_MAC, "10.0.0.2"))).isEqualTo(Reason.GRATUITOUS_DROPPED);

        assertThat(fx.entry("10.0.0.2").ha()).isEqualTo(PEER_MAC.bits());
        assertThat(dropped(Reason.GRATUITOUS_DROPPED)).isEqualTo(1);
    }

    @Nested
    class Locktime {
        @BeforeEach
        void knownSender() {
            fx.receive(request(PEER_MAC, "10.0.0.2", "10.0.0.1"));
        }

        @Test
        void theFirstReplyWinsWithinLocktime() {
            fx.advanceMs(996);
            fx.receive(reply(OTHER_MAC, "10.0.0.2", "10.0.0.1"));
            assertThat(fx.entry("10.0.0.2").ha()).isEqualTo(PEER_MAC.bits());
        }

        @Test
        void aReplyAfterLocktimeOverrides() {
            fx.advanceMs(1004);
            fx.receive(reply(OTHER_MAC, "10.0.0.2", "10.0.0.1"));
            assertThat(fx.entry("10.0.0.2").ha()).isEqualTo(OTHER_MAC.bits());
            assertThat(fx.state("10.0.0.2")).isEqualTo(NudState.REACHABLE);
        }

        /** time_after(jiffies, updated + locktime) is strict: a reply exactly 250 jiffies later is still refused. */
        @Test
        void aReplyExactlyLocktimeLaterIsStillRefused() {
            fx.advanceMs(1000);
            fx.receive(reply(OTHER_MAC, "10.0.0.2", "10.0.0.1"));
            assertThat(fx.entry("10.0.0.2").ha()).isEqualTo(PEER_MAC.bits());
        }

        /** arp_is_garp(): a gratuitous reply needs tha == sha, and then overrides within locktime. */
        @Test
        void aGratuitousReplyOverridesWithinLocktime() {
            fx.advanceMs(100);
            fx.receive(garpReply(OTHER_MAC, "10.0.0.2"));
            assertThat(fx.entry("10.0.0.2").ha()).isEqualTo(OTHER_MAC.bits());
        }

        @Test
        void aReplyAboutItselfWithAnotherTargetMacIsNotGratuitous() {
            fx.advanceMs(100);
            byte[] f = ArpPacket.frame(2, MacAddress.BROADCAST.bits(), OTHER_MAC.bits(), -1,
                    OTHER_MAC.bits(), ip("10.0.0.2"), MacAddress.BROADCAST.bits(), ip("10.0.0.2"));

            assertThat(fx.receive(f)).isEqualTo(Reason.UPDATED);

            assertThat(fx.entry("10.0.0.2").ha()).isEqualTo(PEER_MAC.bits());
        }

        @Test
        void gratuitousArpOverridesWithinLocktime() {
            fx.advanceMs(100);
            fx.receive(garpRequest(OTHER_MAC, "10.0.0.2"));
            assertThat(fx.entry("10.0.0.2").ha()).isEqualTo(OTHER_MAC.bits());
        }

        @Test
        void locktimeIsAKnob() {
            fx.sysctl("net.ipv4.neigh.nd0.locktime", 0);
            fx.advanceMs(4);
            fx.receive(reply(OTHER_MAC, "10.0.0.2", "10.0.0.1"));
            assertThat(fx.entry("10.0.0.2").ha()).isEqualTo(OTHER_MAC.bits());
        }
    }

    @Nested
    class DuplicateAddressDetection {
        @Test
        void aProbeForALocalAddressIsAnsweredWithoutLearning() {
            assertThat(fx.receive(dadProbe(PEER_MAC, "10.0.0.1"))).isEqualTo(Reason.DAD_REPLIED);

            Sent s = onlyFrame();
            assertThat(s.ethDst()).isEqualTo(PEER_MAC);
            assertThat(s.arp().op()).isEqualTo(ArpOp.REPLY);
            assertThat(s.arp().senderMac()).isEqualTo(OUR_MAC);
            assertThat(s.arp().senderIp()).isEqualTo(Ipv4Address.parse("10.0.0.1"));
            assertThat(s.arp().targetMac()).isEqualTo(PEER_MAC);
            assertThat(s.arp().targetIp()).isEqualTo(Ipv4Address.ANY);
            assertThat(fx.engine.table().entries()).isZero();
        }

        @Test
        void aProbeForSomeoneElsesAddressIsIgnored() {
            assertThat(fx.receive(dadProbe(PEER_MAC, "10.0.0.77"))).isEqualTo(Reason.DAD_NOT_LOCAL);
            assertThat(fx.tx.all()).isEmpty();
        }

        @Test
        void arpIgnoreGatesTheAnswer() {
            fx.sysctl("net.ipv4.conf.nd0.arp_ignore", 1);
            assertThat(fx.receive(dadProbe(PEER_MAC, "10.1.0.1"))).isEqualTo(Reason.DAD_ARP_IGNORE);
            assertThat(fx.receive(dadProbe(PEER_MAC, "10.0.0.1"))).isEqualTo(Reason.DAD_REPLIED);
        }
    }

    @Nested
    class ProxyArp {
        @BeforeEach
        void routerOnNd0() {
            fx.sysctl("net.ipv4.conf.nd0.forwarding", 1);
            fx.sysctl("net.ipv4.conf.nd0.proxy_arp", 1);
        }

        @Test
        void repliesAtOnceWithProxyDelayZero() {
            fx.sysctl("net.ipv4.neigh.nd0.proxy_delay", 0);

            assertThat(fx.receive(request(PEER_MAC, "10.0.0.2", "10.1.0.5"))).isEqualTo(Reason.PROXY_REPLIED);

            assertReply(onlyFrame(), OUR_MAC, "10.1.0.5", PEER_MAC, "10.0.0.2");
            assertThat(fx.state("10.0.0.2")).isEqualTo(NudState.STALE);
            assertThat(fx.engine.arpStats().of(fx.nd0.ifindex()).sent(TxKind.PROXY_REPLY)).isEqualTo(1);
        }

        @Test
        void delaysBroadcastRequestsByARandomTimeBelowProxyDelay() {
            fx.random.next(50);

            assertThat(fx.receive(request(PEER_MAC, "10.0.0.2", "10.1.0.5"))).isEqualTo(Reason.PROXY_QUEUED);
            assertThat(fx.tx.all()).isEmpty();
            assertThat(fx.engine.table().proxyQueueLength()).isEqualTo(1);

            fx.advanceJiffies(50);
            assertThat(fx.tx.all()).isEmpty();
            fx.advanceJiffies(1);
            assertReply(onlyFrame(), OUR_MAC, "10.1.0.5", PEER_MAC, "10.0.0.2");
            assertThat(fx.engine.table().proxyQueueLength()).isZero();
        }

        @Test
        void answersUnicastRequestsAtOnce() {
            assertThat(fx.receive(unicastRequest(PEER_MAC, "10.0.0.2", "10.1.0.5", OUR_MAC)))
                    .isEqualTo(Reason.PROXY_REPLIED);
        }

        @Test
        void needsForwardingOnTheReceivingInterface() {
            fx.sysctl("net.ipv4.conf.nd0.forwarding", 0);
            assertThat(fx.receive(request(PEER_MAC, "10.0.0.2", "10.1.0.5"))).isEqualTo(Reason.NOT_FOR_US);
        }

        @Test
        void doesNotProxyBackOutOfTheSameInterface() {
            assertThat(fx.receive(request(PEER_MAC, "10.0.0.2", "10.0.0.77"))).isEqualTo(Reason.NOT_FOR_US);
        }

        @Test
        void privateVlanProxiesBackOutOfTheSameInterface() {
            fx.sysctl("net.ipv4.conf.nd0.proxy_arp", 0);
            fx.sysctl("net.ipv4.conf.nd0.proxy_arp_pvlan", 1);
            fx.sysctl("net.ipv4.neigh.nd0.proxy_delay", 0);

            assertThat(fx.receive(request(PEER_MAC, "10.0.0.2", "10.0.0.3"))).isEqualTo(Reason.PROXY_REPLIED);
            assertThat(fx.receive(garpRequest(PEER_MAC, "10.0.0.2"))).as("self-probes are not proxied")
                    .isNotEqualTo(Reason.PROXY_REPLIED);
        }

        @Test
        void mediumIdLimitsProxyingToOtherMedia() {
            fx.sysctl("net.ipv4.neigh.nd0.proxy_delay", 0);
            fx.sysctl("net.ipv4.conf.nd0.medium_id", 1);
            fx.sysctl("net.ipv4.conf.nd1.medium_id", 1);
            assertThat(fx.receive(request(PEER_MAC, "10.0.0.2", "10.1.0.5"))).isEqualTo(Reason.NOT_FOR_US);

            fx.sysctl("net.ipv4.conf.nd1.medium_id", 2);
            assertThat(fx.receive(request(PEER_MAC, "10.0.0.2", "10.1.0.5"))).isEqualTo(Reason.PROXY_REPLIED);

            fx.sysctl("net.ipv4.conf.nd0.medium_id", -1);
            assertThat(fx.receive(request(OTHER_MAC, "10.0.0.3", "10.1.0.5"))).isEqualTo(Reason.NOT_FOR_US);
            assertThat(fx.receive(request(PEER_MAC, "10.0.0.2", "10.1.0.5")))
                    .as("not proxied, but the known sender is still updated").isEqualTo(Reason.UPDATED);
        }

        @Test
        void proxyEntriesWorkWithoutProxyArp() {
            fx.sysctl("net.ipv4.conf.nd0.proxy_arp", 0);
            fx.sysctl("net.ipv4.neigh.nd0.proxy_delay", 0);
            assertThat(fx.receive(request(PEER_MAC, "10.0.0.2", "10.1.0.5"))).isEqualTo(Reason.NOT_FOR_US);

            fx.engine.admin().addProxy(ip("10.1.0.5"), fx.nd0, false);
            assertThat(fx.receive(request(PEER_MAC, "10.0.0.2", "10.1.0.5"))).isEqualTo(Reason.PROXY_REPLIED);
            assertThat(fx.receive(request(OTHER_MAC, "10.0.0.3", "10.1.0.6"))).isEqualTo(Reason.NOT_FOR_US);

            fx.engine.admin().deleteProxy(ip("10.1.0.5"), fx.nd0);
            fx.engine.admin().addProxy(ip("10.1.0.5"), null, true);
            assertThat(fx.receive(request(PEER_MAC, "10.0.0.2", "10.1.0.5"))).as("a device-less entry matches any")
                    .isEqualTo(Reason.PROXY_REPLIED);
        }

        @Test
        void proxyQlenOverflowIsDroppedAndCounted() {
            fx.sysctl("net.ipv4.neigh.nd0.proxy_qlen", 2);

            // pneigh_enqueue refuses only when qlen > proxy_qlen, so proxy_qlen + 1 frames wait
            for (int i = 0; i < 3; i++) {
                assertThat(fx.receive(request(PEER_MAC, "10.0.0.2", "10.1.0." + (10 + i)))).isEqualTo(Reason.PROXY_QUEUED);
            }
            assertThat(fx.receive(request(PEER_MAC, "10.0.0.2", "10.1.0.20"))).isEqualTo(Reason.PROXY_QUEUE_FULL);

            assertThat(dropped(Reason.PROXY_QUEUE_FULL)).isEqualTo(1);
            fx.advanceMs(1000);
            assertThat(fx.tx.arp()).hasSize(3);
        }
    }

    @Nested
    class RouteLocalnet {
        @BeforeEach
        void loopbackNetOnNd0() {
            fx.engine.addAddress(fx.nd0, Ipv4Cidr.parse("127.25.3.4/24"));
        }

        @Test
        void targetsIn127AreDroppedByDefault() {
            assertThat(fx.receive(request(PEER_MAC, "127.25.3.1", "127.25.3.4"))).isEqualTo(Reason.TARGET_LOOPBACK);
        }

        @Test
        void routeLocalnetAnswersEvenWithArpAnnounce2AndArpIgnore3() {
            fx.sysctl("net.ipv4.conf.nd0.route_localnet", 1);
            fx.sysctl("net.ipv4.conf.nd0.arp_ignore", 3);
            fx.sysctl("net.ipv4.conf.nd0.arp_announce", 2);

            assertThat(fx.receive(request(PEER_MAC, "127.25.3.1", "127.25.3.4"))).isEqualTo(Reason.REPLIED);
            assertReply(onlyFrame(), OUR_MAC, "127.25.3.4", PEER_MAC, "127.25.3.1");
        }
    }

    @Nested
    class EarlyDrops {
        @Test
        void multicastTargets() {
            assertThat(fx.receive(request(PEER_MAC, "10.0.0.2", "224.0.0.1"))).isEqualTo(Reason.TARGET_MULTICAST);
        }

        @Test
        void framesForAnotherHostAreNotSeen() {
            byte[] f = unicastRequest(PEER_MAC, "10.0.0.2", "10.0.0.1", OTHER_MAC);
            assertThat(fx.receive(f)).isEqualTo(Reason.NOT_FOR_HOST);
            assertThat(fx.entry("10.0.0.2")).isNull();
        }

        @Test
        void noarpInterfacesConsumeEverything() {
            fx.engine.setNoarp(fx.nd0, true);
            assertThat(fx.receive(request(PEER_MAC, "10.0.0.2", "10.0.0.1"))).isEqualTo(Reason.DEVICE_NOARP);
        }

        @Test
        void repliesFromZeroAreIgnored() {
            assertThat(fx.receive(broadcastReply(PEER_MAC, "0.0.0.0", "10.0.0.1"))).isEqualTo(Reason.DAD_REPLY);
        }

        /** eth_type_trans(): a multicast destination is PACKET_MULTICAST, so a reply to it asserts no reachability. */
        @Test
        void aReplyToAMulticastMacLeavesTheEntryStale() {
            fx.receive(request(PEER_MAC, "10.0.0.2", "10.0.0.1"));
            fx.advanceMs(2000);
            byte[] f = ArpPacket.frame(2, MacAddress.parse("01:00:5e:00:00:01").bits(), PEER_MAC.bits(),
                    -1, PEER_MAC.bits(), ip("10.0.0.2"), OUR_MAC.bits(), ip("10.0.0.1"));

            assertThat(fx.receive(f)).isEqualTo(Reason.UPDATED);

            assertThat(fx.state("10.0.0.2")).isEqualTo(NudState.STALE);
        }

        /** The counters are kept per ifindex, however high; an interface that never counted reads as zeros. */
        @Test
        void interfacesWithHighIfindexesAreCounted() {
            NetDevice nd16 = fx.addInterface("nd16", 16, MacAddress.parse("02:aa:00:00:10:01"), "10.16.0.1/24");
            NetDevice nd40 = fx.addInterface("nd40", 40, MacAddress.parse("02:aa:00:00:28:01"), "10.40.0.1/24");
            assertThat(fx.engine.interfaceStats(nd16).receivedRequests()).isZero();

            fx.receive(nd16, request(PEER_MAC, "10.16.0.2", "10.16.0.1"));
            fx.receive(nd40, request(PEER_MAC, "10.40.0.2", "10.40.0.1"));
            fx.receive(nd40, request(PEER_MAC, "10.40.0.2", "10.40.0.1"));

            assertThat(fx.engine.interfaceStats(nd16).receivedRequests()).isEqualTo(1);
            assertThat(fx.engine.interfaceStats(nd40).receivedRequests()).isEqualTo(2);
            assertThat(fx.engine.interfaceStats(nd40).sent(TxKind.REPLY)).isEqualTo(2);
        }

        @Test
        void countsReceivedFramesByOpcode() {
            fx.receive(request(PEER_MAC, "10.0.0.2", "10.0.0.1"));
            fx.receive(reply(PEER_MAC, "10.0.0.2", "10.0.0.1"));
            byte[] unknown = request(PEER_MAC, "10.0.0.2", "10.0.0.1");
            unknown[14 + ArpPacket.OP + 1] = 9;
            assertThat(fx.receive(unknown)).isEqualTo(Reason.UNKNOWN_OP);
            assertThat(fx.receive(unknown)).isEqualTo(Reason.UNKNOWN_OP);
            ArpStats.Device d = fx.engine.arpStats().of(fx.nd0.ifindex());
            assertThat(d.receivedRequests()).isEqualTo(1);
            assertThat(d.receivedReplies()).isEqualTo(1);
            assertThat(d.receivedUnknown()).isEqualTo(2);
            assertThat(d.sent(TxKind.REPLY)).isEqualTo(1);
        }
    }

    @Test
    void theSenderLearnedFromARequestIsStaleAndCounted() {
        // adding an address already looked up (arp_invalidate of its broadcast addresses): count from here
        long lookups = fx.engine.stats().lookups;
        fx.receive(request(PEER_MAC, "10.0.0.2", "10.0.0.1"));
        Neighbour n = fx.entry("10.0.0.2");
        assertThat(n.nudState()).isEqualTo(NudState.STALE);
        assertThat(fx.engine.stats().lookups - lookups).as("neigh_event_ns looks up once").isEqualTo(1);
        assertThat(fx.engine.stats().hits).isZero();
        fx.receive(request(PEER_MAC, "10.0.0.2", "10.0.0.1"));
        assertThat(fx.engine.stats().lookups - lookups).isEqualTo(2);
        assertThat(fx.engine.stats().hits).isEqualTo(1);
    }

    @Test
    void addingAnAddressLooksUpItsBroadcastAddressesAsTheKernelDoes() {
        long lookups = fx.engine.stats().lookups;
        fx.engine.addAddress(fx.nd0, Ipv4Cidr.parse("10.5.0.1/24"));
        assertThat(fx.engine.stats().lookups - lookups).as("ip addr add: the subnet broadcast only").isEqualTo(1);

        fx.engine.devinet().addAddress(fx.nd0, io.neighd.ip.InIfAddr.withBroadcast(Ipv4Cidr.parse("10.6.0.1/24")));
        assertThat(fx.engine.stats().lookups - lookups).as("brd +: explicit and subnet broadcast, the same address")
                .isEqualTo(3);
    }

    @Test
    void staticRoutesSteerProxyArp() {
        fx.sysctl("net.ipv4.conf.nd0.forwarding", 1);
        fx.sysctl("net.ipv4.conf.nd0.proxy_arp", 1);
        fx.sysctl("net.ipv4.neigh.nd0.proxy_delay", 0);
        fx.engine.addRoute(RouteSpec.parse("10.88.0.0/24 via 10.1.0.254 dev nd1"));

        assertThat(fx.receive(request(PEER_MAC, "10.0.0.2", "10.88.0.9"))).isEqualTo(Reason.PROXY_REPLIED);
    }
}
