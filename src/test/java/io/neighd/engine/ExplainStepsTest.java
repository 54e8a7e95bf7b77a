package io.neighd.engine;

import io.neighd.arp.Reason;
import io.neighd.ip.NetDevice;
import io.neighd.testkit.EngineFixture;
import io.neighd.wire.ArpPacket;
import io.neighd.wire.MacAddress;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import static io.neighd.testkit.EngineFixture.OTHER_MAC;
import static io.neighd.testkit.EngineFixture.OUR_MAC;
import static io.neighd.testkit.EngineFixture.PEER_MAC;
import static io.neighd.testkit.EngineFixture.broadcastReply;
import static io.neighd.testkit.EngineFixture.dadProbe;
import static io.neighd.testkit.EngineFixture.garpRequest;
import static io.neighd.testkit.EngineFixture.ip;
import static io.neighd.testkit.EngineFixture.reply;
import static io.neighd.testkit.EngineFixture.request;
import static io.neighd.testkit.EngineFixture.unicastRequest;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the explain endpoint says: every check arp_rcv() and arp_process() made, in order, each
 * named for the kernel function or knob and carrying the values it used, ending in the reason the
 * receive path gets for the same frame. One test per branch of the decision; each explanation is
 * compared whole, and the frame is then received to show the explanation told the truth.
 * nd0 is 02:aa:00:00:00:01 with 10.0.0.1/24, nd1 is 02:aa:00:00:01:01 with 10.1.0.1/24.
 *
 * <pre>
 * | Branch                         | Last check            | Reason                      |
 * |--------------------------------|-----------------------|-----------------------------|
 * | NOARP device / other host      | arp_rcv               | DEVICE_NOARP / NOT_FOR_HOST |
 * | bad hlen                       | arp_rcv               | MALFORMED_HLEN              |
 * | hardware, protocol, opcode     | arp_process           | MALFORMED_* / UNKNOWN_OP    |
 * | multicast or 127/8 target      | arp_process / r._l.   | TARGET_*                    |
 * | sender = target, drop_garp=1   | drop_gratuitous_arp   | GRATUITOUS_DROPPED          |
 * | sender 0.0.0.0                 | dad                   | DAD_*                       |
 * | local target                   | arp_ignore/arp_filter | REPLIED / ARP_*             |
 * | input route fails              | ip_route_input        | then the cache update       |
 * | forwarding                     | proxy_arp, pneigh_eq. | PROXY_* / NOT_FOR_US        |
 * | everything else                | arp_accept, neigh_up. | UPDATED / CREATED / N_F_US  |
 * </pre>
 */
class ExplainStepsTest {
    private static final MacAddress ND1_MAC = MacAddress.parse("02:aa:00:00:01:01");

    private EngineFixture fx;

    @BeforeEach
    void setUp() {
        fx = new EngineFixture();
        fx.addInterface("nd1", 3, ND1_MAC, "10.1.0.1/24");
    }

    /** Explains {@code frame} on nd0, compares the whole explanation, then receives it: same reason. */
    private void explains(byte[] frame, Reason reason, Reason.Kind kind, String... steps) {
        explains(fx.nd0, frame, reason, kind, steps);
    }

    private void explains(NetDevice dev, byte[] frame, Reason reason, Reason.Kind kind, String... steps) {
        Explanation e = fx.engine.explain(dev, frame);

        assertThat(e.steps()).extracting(s -> s.check() + " | " + s.detail()).containsExactly(steps);
        assertThat(e.reason()).isEqualTo(reason);
        assertThat(e.kind()).isEqualTo(kind);
        assertThat(fx.receive(dev, frame)).isEqualTo(reason);
    }

    private static final String ACCEPTED_BROADCAST = "arp_rcv | pkt_type broadcast, hlen 6, plen 4: accepted";
    private static final String ACCEPTED_HOST = "arp_rcv | pkt_type host, hlen 6, plen 4: accepted";
    private static final String LEARN_PEER =
            "neigh_event_ns | would create an entry for 10.0.0.2 as STALE with 02:bb:00:00:00:02";
    private static final String NOTHING_TO_UPDATE =
            "arp_accept | no entry for 10.0.0.2 and arp_accept=0 refuses it: nothing to update";

    @Nested
    class ArpRcvAndTheEarlyDrops {
        @Test
        void aNoarpInterfaceConsumesTheFrameBeforeAnythingElse() {
            fx.engine.setNoarp(fx.nd0, true);

            explains(request(PEER_MAC, "10.0.0.2", "10.0.0.1"), Reason.DEVICE_NOARP, Reason.Kind.IGNORED,
                    "arp_rcv | interface nd0 is NOARP: consumed");
        }

        @Test
        void aFrameForAnotherMacIsNotForThisHost() {
            explains(unicastRequest(PEER_MAC, "10.0.0.2", "10.0.0.1", OTHER_MAC), Reason.NOT_FOR_HOST,
                    Reason.Kind.IGNORED, "arp_rcv | Ethernet destination 02:cc:00:00:00:03 is not nd0's "
                            + "02:aa:00:00:00:01 nor broadcast/multicast: not for this host");
        }

        @Test
        void aBadHardwareLengthIsNamedAsTheDecoderFoundIt() {
            byte[] f = request(PEER_MAC, "10.0.0.2", "10.0.0.1");
            f[14 + ArpPacket.HLN] = 8;

            explains(f, Reason.MALFORMED_HLEN, Reason.Kind.DROPPED, "arp_rcv | malformed ARP header (BAD_HLEN): dropped");
        }

        @Test
        void aHardwareTypeOtherThanEthernetOrIeee802() {
            byte[] f = request(PEER_MAC, "10.0.0.2", "10.0.0.1");
            f[14 + ArpPacket.HRD + 1] = 24;

            explains(f, Reason.MALFORMED_HTYPE, Reason.Kind.DROPPED, ACCEPTED_BROADCAST,
                    "arp_process | hardware type 24 is neither 1 nor 6: dropped");
        }

        @Test
        void aProtocolTypeOtherThanIpv4() {
            byte[] f = request(PEER_MAC, "10.0.0.2", "10.0.0.1");
            f[14 + ArpPacket.PRO] = (byte) 0x86;
            f[14 + ArpPacket.PRO + 1] = (byte) 0xdd;

            explains(f, Reason.MALFORMED_PTYPE, Reason.Kind.DROPPED, ACCEPTED_BROADCAST,
                    "arp_process | protocol type 0x86dd is not IPv4: dropped");
        }

        @Test
        void anOpcodeOtherThanRequestOrReply() {
            byte[] f = request(PEER_MAC, "10.0.0.2", "10.0.0.1");
            f[14 + ArpPacket.OP + 1] = 9;

            explains(f, Reason.UNKNOWN_OP, Reason.Kind.DROPPED, ACCEPTED_BROADCAST,
                    "arp_process | opcode 9 is neither request nor reply: dropped");
        }

        @Test
        void aMulticastTarget() {
            explains(request(PEER_MAC, "10.0.0.2", "224.0.0.1"), Reason.TARGET_MULTICAST, Reason.Kind.DROPPED,
                    ACCEPTED_BROADCAST, "arp_process | target 224.0.0.1 is multicast: dropped");
        }

        @Test
        void aLoopbackTargetWithoutRouteLocalnet() {
            explains(request(PEER_MAC, "10.0.0.2", "127.0.0.1"), Reason.TARGET_LOOPBACK, Reason.Kind.DROPPED,
                    ACCEPTED_BROADCAST, "route_localnet | target 127.0.0.1 is 127/8 and route_localnet=0: dropped");
        }

        @Test
        void aGratuitousFrameUnderDropGratuitousArp() {
            fx.sysctl("net.ipv4.conf.nd0.drop_gratuitous_arp", 1);

            explains(garpRequest(PEER_MAC, "10.0.0.2"), Reason.GRATUITOUS_DROPPED, Reason.Kind.DROPPED,
                    ACCEPTED_BROADCAST,
                    "drop_gratuitous_arp | sender equals target and drop_gratuitous_arp=1: dropped");
        }
    }

    @Nested
    class DuplicateAddressDetection {
        @Test
        void aReplyFromZeroIsConsumed() {
            explains(broadcastReply(PEER_MAC, "0.0.0.0", "10.0.0.1"), Reason.DAD_REPLY, Reason.Kind.IGNORED,
                    ACCEPTED_BROADCAST, "dad | reply with sender 0.0.0.0: consumed");
        }

        @Test
        void aProbeForAnAddressNotOurs() {
            explains(dadProbe(PEER_MAC, "10.0.0.77"), Reason.DAD_NOT_LOCAL, Reason.Kind.IGNORED,
                    ACCEPTED_BROADCAST, "dad | probe for 10.0.0.77, not a local address: consumed");
        }

        @Test
        void aProbeForOurAddressIsAnsweredWithoutLearning() {
            explains(dadProbe(PEER_MAC, "10.0.0.1"), Reason.DAD_REPLIED, Reason.Kind.USED,
                    ACCEPTED_BROADCAST, "arp_ignore | arp_ignore=0: reply",
                    "dad | probe for local 10.0.0.1: reply to 02:bb:00:00:00:02 (cache untouched)",
                    "arp_send | would reply 10.0.0.1 is-at 02:aa:00:00:00:01 to 02:bb:00:00:00:02");
        }

        @Test
        void aProbeRefusedByArpIgnoreGivesItsReason() {
            fx.sysctl("net.ipv4.conf.nd0.arp_ignore", 1);

            explains(dadProbe(PEER_MAC, "10.1.0.1"), Reason.DAD_ARP_IGNORE, Reason.Kind.DROPPED,
                    ACCEPTED_BROADCAST, "arp_ignore | arp_ignore=1: arp_ignore>=1: target is not configured on "
                            + "the receiving interface");
        }
    }

    @Nested
    class RequestsForALocalAddress {
        @Test
        void answered() {
            explains(request(PEER_MAC, "10.0.0.2", "10.0.0.1"), Reason.REPLIED, Reason.Kind.USED,
                    ACCEPTED_BROADCAST, "ip_route_input | target 10.0.0.1 is LOCAL",
                    "arp_ignore | arp_ignore=0: reply", LEARN_PEER,
                    "arp_send | would reply 10.0.0.1 is-at 02:aa:00:00:00:01 to 02:bb:00:00:00:02");
        }

        @Test
        void refusedByArpIgnore() {
            fx.sysctl("net.ipv4.conf.nd0.arp_ignore", 1);

            explains(request(PEER_MAC, "10.0.0.2", "10.1.0.1"), Reason.ARP_IGNORE_NOT_ON_INGRESS,
                    Reason.Kind.DROPPED, ACCEPTED_BROADCAST, "ip_route_input | target 10.1.0.1 is LOCAL",
                    "arp_ignore | arp_ignore=1: arp_ignore>=1: target is not configured on the receiving interface");
        }

        @Test
        void arpFilterFindsTheRouteBackThroughTheReceivingInterface() {
            fx.sysctl("net.ipv4.conf.nd0.arp_filter", 1);

            explains(request(PEER_MAC, "10.0.0.2", "10.0.0.1"), Reason.REPLIED, Reason.Kind.USED,
                    ACCEPTED_BROADCAST, "ip_route_input | target 10.0.0.1 is LOCAL",
                    "arp_ignore | arp_ignore=0: reply",
                    "arp_filter | arp_filter=1: route back to 10.0.0.2 leaves through nd0: reply", LEARN_PEER,
                    "arp_send | would reply 10.0.0.1 is-at 02:aa:00:00:00:01 to 02:bb:00:00:00:02");
        }

        @Test
        void arpFilterNamesTheInterfaceTheRouteBackLeavesThrough() {
            fx.sysctl("net.ipv4.conf.nd0.arp_filter", 1);

            explains(request(PEER_MAC, "10.1.0.2", "10.0.0.1"), Reason.ARP_FILTER_ROUTE_MISMATCH,
                    Reason.Kind.DROPPED, ACCEPTED_BROADCAST, "ip_route_input | target 10.0.0.1 is LOCAL",
                    "arp_ignore | arp_ignore=0: reply",
                    "arp_filter | arp_filter=1: route back to 10.1.0.2 leaves through nd1, not nd0: dropped");
        }

        @Test
        void arpFilterWithoutARouteBack() {
            fx.sysctl("net.ipv4.conf.nd0.arp_filter", 1);

            explains(request(PEER_MAC, "10.9.0.2", "10.0.0.1"), Reason.ARP_FILTER_NO_ROUTE, Reason.Kind.DROPPED,
                    ACCEPTED_BROADCAST, "ip_route_input | target 10.0.0.1 is LOCAL",
                    "arp_ignore | arp_ignore=0: reply", "arp_filter | arp_filter=1: no route back to 10.9.0.2: dropped");
        }

        @Test
        void aFailedInputRouteLeavesOnlyTheCacheUpdate() {
            explains(request(PEER_MAC, "10.1.0.1", "10.0.0.1"), Reason.NOT_FOR_US, Reason.Kind.IGNORED,
                    ACCEPTED_BROADCAST, "ip_route_input | martian source: 10.1.0.1 is a local address and "
                            + "accept_local=0: the request is not answered; cache update follows",
                    "arp_accept | no entry for 10.1.0.1 and arp_accept=0 refuses it: nothing to update");
        }
    }

    @Nested
    class RequestsToForward {
        @Test
        void withoutForwardingThereIsNoProxy() {
            explains(request(PEER_MAC, "10.0.0.2", "10.1.0.5"), Reason.NOT_FOR_US, Reason.Kind.IGNORED,
                    ACCEPTED_BROADCAST, "ip_route_input | target 10.1.0.5 is UNREACHABLE (not local) and "
                            + "forwarding=0 on nd0: no proxy", NOTHING_TO_UPDATE);
        }

        @Test
        void onlyAUnicastRouteIsProxied() {
            fx.sysctl("net.ipv4.conf.nd0.forwarding", 1);

            explains(request(PEER_MAC, "10.0.0.2", "10.9.0.5"), Reason.NOT_FOR_US, Reason.Kind.IGNORED,
                    ACCEPTED_BROADCAST, "proxy_arp | route to 10.9.0.5 is UNREACHABLE: no proxy", NOTHING_TO_UPDATE);
        }

        @Test
        void noRuleAndNoEntryMeansNoProxy() {
            fx.sysctl("net.ipv4.conf.nd0.forwarding", 1);

            explains(request(PEER_MAC, "10.0.0.2", "10.1.0.5"), Reason.NOT_FOR_US, Reason.Kind.IGNORED,
                    ACCEPTED_BROADCAST, "proxy_arp | route to 10.1.0.5 leaves through nd1 but proxy_arp=0, "
                            + "proxy_arp_pvlan=0 and no proxy entry: no proxy", NOTHING_TO_UPDATE);
        }

        @Test
        void proxyArpHoldsABroadcastRequestForItsDelay() {
            fx.sysctl("net.ipv4.conf.nd0.forwarding", 1);
            fx.sysctl("net.ipv4.conf.nd0.proxy_arp", 1);

            explains(request(PEER_MAC, "10.0.0.2", "10.1.0.5"), Reason.PROXY_QUEUED, Reason.Kind.USED,
                    ACCEPTED_BROADCAST, "proxy_arp | proxy_arp=1 and the route leaves through nd1 (medium_id 0)",
                    LEARN_PEER, "pneigh_enqueue | reply after a random delay below proxy_delay=800 ms",
                    "pneigh_enqueue | would hold the request (0 queued on nd0, proxy_qlen 64)");
        }

        @Test
        void aRequestUnicastToUsIsAnsweredNow() {
            fx.sysctl("net.ipv4.conf.nd0.forwarding", 1);
            fx.sysctl("net.ipv4.conf.nd0.proxy_arp", 1);

            explains(unicastRequest(PEER_MAC, "10.0.0.2", "10.1.0.5", OUR_MAC), Reason.PROXY_REPLIED,
                    Reason.Kind.USED, ACCEPTED_HOST,
                    "proxy_arp | proxy_arp=1 and the route leaves through nd1 (medium_id 0)", LEARN_PEER,
                    "pneigh_enqueue | reply now (unicast to us)",
                    "arp_send | would reply 10.1.0.5 is-at 02:aa:00:00:00:01 to 02:bb:00:00:00:02 (proxy)");
        }

        @Test
        void privateVlanWithoutDelayIsAnsweredNow() {
            fx.sysctl("net.ipv4.conf.nd0.forwarding", 1);
            fx.sysctl("net.ipv4.conf.nd0.proxy_arp_pvlan", 1);
            fx.sysctl("net.ipv4.neigh.nd0.proxy_delay", 0);

            explains(request(PEER_MAC, "10.0.0.2", "10.0.0.3"), Reason.PROXY_REPLIED, Reason.Kind.USED,
                    ACCEPTED_BROADCAST, "proxy_arp | proxy_arp_pvlan=1 and the route leaves back through nd0",
                    LEARN_PEER, "pneigh_enqueue | reply now (proxy_delay=0)",
                    "arp_send | would reply 10.0.0.3 is-at 02:aa:00:00:00:01 to 02:bb:00:00:00:02 (proxy)");
        }

        @Test
        void aProxyEntryIsNamed() {
            fx.sysctl("net.ipv4.conf.nd0.forwarding", 1);
            fx.sysctl("net.ipv4.neigh.nd0.proxy_delay", 0);
            fx.engine.admin().addProxy(ip("10.1.0.5"), fx.nd0, false);

            explains(request(PEER_MAC, "10.0.0.2", "10.1.0.5"), Reason.PROXY_REPLIED, Reason.Kind.USED,
                    ACCEPTED_BROADCAST, "proxy_arp | proxy entry for 10.1.0.5", LEARN_PEER,
                    "pneigh_enqueue | reply now (proxy_delay=0)",
                    "arp_send | would reply 10.1.0.5 is-at 02:aa:00:00:00:01 to 02:bb:00:00:00:02 (proxy)");
        }
    }

    @Nested
    class TheCacheUpdate {
        @Test
        void anUnknownSenderOfAReplyIsRefusedByArpAccept0() {
            explains(reply(PEER_MAC, "10.0.0.2", "10.0.0.1"), Reason.NOT_FOR_US, Reason.Kind.IGNORED,
                    ACCEPTED_HOST, NOTHING_TO_UPDATE);
        }

        @Test
        void arpAccept1CreatesFromAGratuitousRequestWithOverride() {
            fx.sysctl("net.ipv4.conf.nd0.arp_accept", 1);

            explains(garpRequest(PEER_MAC, "10.0.0.2"), Reason.CREATED_BY_ARP_ACCEPT, Reason.Kind.USED,
                    ACCEPTED_BROADCAST, "ip_route_input | target 10.0.0.2 is UNREACHABLE (not local) and "
                            + "forwarding=0 on nd0: no proxy",
                    "arp_accept | arp_accept=1, gratuitous: create an entry",
                    "neigh_update | new entry for 10.0.0.2 with 02:bb:00:00:00:02 towards STALE, override",
                    "neigh_update | would create 10.0.0.2 STALE with 02:bb:00:00:00:02");
        }

        @Test
        void arpAccept1CreatesNothingFromARequestForSomeoneElse() {
            fx.sysctl("net.ipv4.conf.nd0.arp_accept", 1);

            explains(request(PEER_MAC, "10.0.0.2", "10.0.0.9"), Reason.NOT_FOR_US, Reason.Kind.IGNORED,
                    ACCEPTED_BROADCAST, "ip_route_input | target 10.0.0.9 is UNREACHABLE (not local) and "
                            + "forwarding=0 on nd0: no proxy", "arp_accept | arp_accept=1, request: no entry created");
        }

        /** A new entry is stamped updated = now, so even its first update is inside locktime. */
        @Test
        void arpAccept1CreatesReachableFromAUnicastReply() {
            fx.sysctl("net.ipv4.conf.nd0.arp_accept", 1);

            explains(reply(PEER_MAC, "10.0.0.2", "10.0.0.1"), Reason.CREATED_BY_ARP_ACCEPT, Reason.Kind.USED,
                    ACCEPTED_HOST, "arp_accept | arp_accept=1, reply: create an entry",
                    "neigh_update | new entry for 10.0.0.2 with 02:bb:00:00:00:02 towards REACHABLE, no override: "
                            + "updated 0 ms ago, within locktime 1000 ms",
                    "neigh_update | would create 10.0.0.2 REACHABLE with 02:bb:00:00:00:02");
        }

        @Test
        void aSecondReplyWithinLocktimeSaysHowLongAgoTheEntryWasUpdated() {
            fx.receive(request(PEER_MAC, "10.0.0.2", "10.0.0.1"));
            fx.advanceJiffies(100);

            explains(reply(OTHER_MAC, "10.0.0.2", "10.0.0.1"), Reason.UPDATED, Reason.Kind.USED, ACCEPTED_HOST,
                    "neigh_update | entry STALE for 10.0.0.2 with 02:cc:00:00:00:03 towards REACHABLE, no override: "
                            + "updated 400 ms ago, within locktime 1000 ms",
                    "neigh_update | would update 10.0.0.2 dev nd0 lladdr 02:bb:00:00:00:02 STALE to REACHABLE with "
                            + "02:cc:00:00:00:03");
        }

        @Test
        void aReplyAfterLocktimeOverrides() {
            fx.receive(request(PEER_MAC, "10.0.0.2", "10.0.0.1"));
            fx.advanceJiffies(251);

            explains(reply(OTHER_MAC, "10.0.0.2", "10.0.0.1"), Reason.UPDATED, Reason.Kind.USED, ACCEPTED_HOST,
                    "neigh_update | entry STALE for 10.0.0.2 with 02:cc:00:00:00:03 towards REACHABLE, override",
                    "neigh_update | would update 10.0.0.2 dev nd0 lladdr 02:bb:00:00:00:02 STALE to REACHABLE with "
                            + "02:cc:00:00:00:03");
        }
    }
}
