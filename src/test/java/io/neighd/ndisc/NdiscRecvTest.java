package io.neighd.ndisc;

import io.neighd.arp.Reason;
import io.neighd.neighbour.NeighFlags;
import io.neighd.neighbour.NudState;
import io.neighd.testkit.Nd6;
import io.neighd.wire.Icmpv6;
import io.neighd.wire.Ipv6Address;
import io.neighd.wire.MacAddress;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import static io.neighd.ndisc.Nd6Fixture.LL;
import static io.neighd.ndisc.Nd6Fixture.OTHER_MAC;
import static io.neighd.ndisc.Nd6Fixture.OURS;
import static io.neighd.ndisc.Nd6Fixture.OUR_MAC;
import static io.neighd.ndisc.Nd6Fixture.OUR_NONCE;
import static io.neighd.ndisc.Nd6Fixture.PEER;
import static io.neighd.ndisc.Nd6Fixture.PEER_LL;
import static io.neighd.ndisc.Nd6Fixture.PEER_MAC;
import static io.neighd.testkit.Nd6.NONE;
import static io.neighd.testkit.Nd6.O;
import static io.neighd.testkit.Nd6.R;
import static io.neighd.testkit.Nd6.S;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * ndisc_recv_ns() and ndisc_recv_na() (net/ipv6/ndisc.c), one test per row. Every frame is also
 * explained first and must get the same reason (EngineFixture.receive).
 *
 * <pre>
 * | Message                                   | Knobs / state                   | Outcome                                              | Mirrors                         |
 * |-------------------------------------------|---------------------------------|------------------------------------------------------|---------------------------------|
 * | NS multicast, SLLAO, local target         |                                 | sender STALE; NA unicast R0 S1 O1 + TLLAO; mcast stat | ndisc_recv_ns                   |
 * | NS unicast, SLLAO, local target           |                                 | sender STALE; NA R0 S1 O0, no TLLAO; ucast stat       | ndisc_recv_ns (inc = 0)         |
 * | NS multicast, no SLLAO                    |                                 | no entry, no answer                                  | __neigh_lookup(creat = 0)       |
 * | NS unicast, no SLLAO, unknown sender      |                                 | NONE entry; NA waits on it while NS resolves it      | neigh_update -EINVAL; neigh_output |
 * | NS from ::, to solicited-node             |                                 | NA to ff02::1 S0 O1 + TLLAO; nothing learned         | ndisc_recv_ns (dad)             |
 * | NS from ::, to another destination        |                                 | dropped                                              | RFC 4861 7.1.1                  |
 * | NS from ::, with SLLAO                    |                                 | dropped                                              | RFC 4861 7.1.1                  |
 * | NS for a tentative address                |                                 | ignored                                              | IFA_F_TENTATIVE, !dad           |
 * | NS from :: for a tentative address        | other nonce                     | DAD fails: tentative dadfailed                       | addrconf_dad_failure            |
 * | NS from :: for a tentative address        | our nonce                       | ignored: our probe looped back                       | RFC 7527                        |
 * | NS for a multicast target                 |                                 | dropped                                              |                                 |
 * | NS for an unknown target                  |                                 | ignored, nothing learned                             | IPV6_NDISC_NS_OTHERHOST         |
 * | NS for the subnet-router anycast address  | forwarding 1                    | held below proxy_delay, then NA R1 S1 O0             | ipv6_chk_acast_addr             |
 * | NS for a proxied address                  | forwarding 1, proxy_ndp 1       | held, then NA from our address, O0, R per entry      | pndisc_is_router, pneigh_enqueue|
 * | NS for a proxied address                  | proxy_ndp 0                     | ignored                                              |                                 |
 * | (a proxy entry joins its solicited-node group; one without a device is refused)                                                 | pndisc_constructor              |
 * | NS unicast to a proxied address           | all.forwarding, all.proxy_ndp   | answered at once (PACKET_HOST)                       | ip6_forward_proxy_check         |
 * | NA S1 O1 + TLLAO                          | entry INCOMPLETE                | REACHABLE with the address                           | ndisc_recv_na                   |
 * | NA S0 O1 + TLLAO, another MAC             | entry REACHABLE                 | STALE with the new address                           | OVERRIDE                        |
 * | NA S1 O0, another MAC                     | entry REACHABLE                 | STALE, address kept                                  | WEAK_OVERRIDE                   |
 * | NA S1 O0, another MAC                     | entry STALE                     | unchanged                                            | WEAK_OVERRIDE                   |
 * | NA with R1 / R0                           | entry STALE                     | NTF_ROUTER set / cleared                             | OVERRIDE_ISROUTER               |
 * | NA for a target without an entry         | forwarding 0 / accept_untracked | ignored / STALE entry (2: only senders on a prefix)  | accept_untracked_na             |
 * | NA S0                                     | drop_unsolicited_na 1           | dropped                                              | drop_unsolicited_na             |
 * | NA S1 to a multicast destination          |                                 | dropped                                              |                                 |
 * | NA for our address                        | valid / tentative               | ignored / DAD fails                                  | ipv6_get_ifaddr                 |
 * | NA for a FAILED entry                     |                                 | ignored                                              | NUD_FAILED                      |
 * | NA from ourselves for a proxied target    | all forwarding and proxy_ndp    | entry not updated                                    | proxy NA from ourselves         |
 * </pre>
 */
class NdiscRecvTest {
    final Nd6Fixture t = new Nd6Fixture();

    private static byte[] ns(String src, String target) {
        return Nd6.ns(PEER_MAC, src, target);
    }

    private static byte[] unicastNs(String src, String target, long sllao) {
        return Nd6.ns(PEER_MAC, src, target, target, sllao, OUR_MAC);
    }

    private static byte[] na(String target, int flags, MacAddress tllao) {
        return Nd6.na(PEER_MAC, target, OURS, target, flags, tllao == null ? NONE : tllao.bits(), OUR_MAC);
    }

    private static byte[] unsolicitedNa(String target, int flags, MacAddress tllao) {
        return Nd6.na(PEER_MAC, target, "ff02::1", target, flags, tllao == null ? NONE : tllao.bits(), null);
    }

    /** An entry for PEER in INCOMPLETE, as resolution leaves it. */
    private void incomplete() {
        t.fx.engine.resolve(t.fx.nd0, Ipv6Address.parse(PEER), o -> {
        });
        assertThat(t.state(PEER)).isEqualTo(NudState.INCOMPLETE);
        t.fx.tx.clear();
    }

    private void reachable(MacAddress mac) {
        incomplete();
        t.receive(Nd6.na(mac, PEER, OURS, PEER, S | O, mac.bits(), OUR_MAC));
        assertThat(t.state(PEER)).isEqualTo(NudState.REACHABLE);
        t.fx.tx.clear();
    }

    @Nested
    class Solicitations {
        @Test
        void multicastSolicitationForALocalAddressLearnsTheSenderAndAnswersSolicitedWithOverride() {
            assertThat(t.receive(ns(PEER, OURS))).isEqualTo(Reason.NDISC_NS_REPLIED);

            assertThat(t.state(PEER)).as("STALE, then DELAY: the advertisement went out through it")
                    .isEqualTo(NudState.DELAY);
            assertThat(t.lladdr(PEER)).isEqualTo(PEER_MAC.bits());
            assertThat(t.fx.events.events()).containsExactly("NEWNEIGH 2001:db8::2 STALE");
            assertThat(t.sent()).singleElement().satisfies(na -> {
                assertThat(na.type()).isEqualTo(Icmpv6.NEIGHBOUR_ADVERTISEMENT);
                assertThat(na.ethDst()).isEqualTo(PEER_MAC.bits());
                assertThat(na.src()).hasToString(OURS);
                assertThat(na.dst()).hasToString(PEER);
                assertThat(na.target()).hasToString(OURS);
                assertThat(na.flags()).isEqualTo(S | O);
                assertThat(na.lladdrOption()).isEqualTo(OUR_MAC.bits());
                assertThat(na.hopLimit()).isEqualTo(255);
                assertThat(na.checksumOk()).isTrue();
            });
            assertThat(t.stats().rcvProbesMcast).isEqualTo(1);
            assertThat(t.stats().rcvProbesUcast).isZero();
        }

        @Test
        void unicastSolicitationIsAnsweredWithoutOverrideOrTargetAddressOption() {
            assertThat(t.receive(unicastNs(PEER, OURS, PEER_MAC.bits()))).isEqualTo(Reason.NDISC_NS_REPLIED);

            assertThat(t.sent()).singleElement().satisfies(na -> {
                assertThat(na.flags()).isEqualTo(S);
                assertThat(na.lladdrOption()).isEqualTo(NONE);
            });
            assertThat(t.stats().rcvProbesUcast).isEqualTo(1);
        }

        @Test
        void aLinkLocalTargetIsAnsweredFromIt() {
            assertThat(t.receive(ns(PEER_LL, LL))).isEqualTo(Reason.NDISC_NS_REPLIED);

            assertThat(t.sent()).singleElement().satisfies(na -> {
                assertThat(na.src()).hasToString(LL);
                assertThat(na.dst()).hasToString(PEER_LL);
            });
        }

        @Test
        void multicastSolicitationWithoutSourceLinkLayerAddressCreatesNoEntryAndIsNotAnswered() {
            byte[] f = Nd6.ns(PEER_MAC, PEER, Ipv6Address.parse(OURS).solicitedNode().toString(), OURS, NONE, null);

            assertThat(t.receive(f)).isEqualTo(Reason.NDISC_NS_NO_LLADDR);
            assertThat(t.entry(PEER)).isNull();
            assertThat(t.sent()).isEmpty();
        }

        /** neigh_update(NULL lladdr) fails on a new entry; the NA then resolves the sender like any packet. */
        @Test
        void unicastSolicitationWithoutSourceLinkLayerAddressResolvesTheSenderToAnswer() {
            assertThat(t.receive(unicastNs(PEER, OURS, NONE))).isEqualTo(Reason.NDISC_NS_REPLIED);

            assertThat(t.state(PEER)).isEqualTo(NudState.INCOMPLETE);
            assertThat(t.entry(PEER).queueLenPackets()).as("the advertisement waits").isEqualTo(1);
            assertThat(t.sent()).singleElement().satisfies(ns -> {
                assertThat(ns.type()).isEqualTo(Icmpv6.NEIGHBOUR_SOLICITATION);
                assertThat(ns.dst()).hasToString("ff02::1:ff00:2");
                assertThat(ns.src()).as("the queued packet's source, one of ours").hasToString(OURS);
                assertThat(ns.lladdrOption()).isEqualTo(OUR_MAC.bits());
            });
            t.fx.tx.clear();

            t.receive(Nd6.na(PEER_MAC, PEER, OURS, PEER, S | O, PEER_MAC.bits(), OUR_MAC));
            assertThat(t.sent()).singleElement().satisfies(na -> assertThat(na.type())
                    .isEqualTo(Icmpv6.NEIGHBOUR_ADVERTISEMENT));
        }

        @Test
        void dadProbeForALocalAddressIsAnsweredToAllNodesAndLearnsNothing() {
            assertThat(t.receive(Nd6.dadNs(PEER_MAC, OURS, 0x1234))).isEqualTo(Reason.NDISC_DAD_REPLIED);

            assertThat(t.unicastEntries()).isEmpty();
            assertThat(t.sent()).singleElement().satisfies(na -> {
                assertThat(na.dst()).isEqualTo(Ipv6Address.ALL_NODES);
                assertThat(na.ethDst()).isEqualTo(MacAddress.parse("33:33:00:00:00:01").bits());
                assertThat(na.flags()).isEqualTo(O);
                assertThat(na.lladdrOption()).isEqualTo(OUR_MAC.bits());
            });
            assertThat(t.stats().rcvProbesMcast).as("a DAD probe is no probe of the cache").isZero();
        }

        @Test
        void dadProbeToAnythingButTheSolicitedNodeGroupIsDropped() {
            byte[] f = Nd6.ns(PEER_MAC, "::", "ff02::1", OURS, NONE, null);

            assertThat(t.receive(f)).isEqualTo(Reason.NDISC_BAD_DAD);
            assertThat(t.sent()).isEmpty();
        }

        @Test
        void dadProbeWithASourceLinkLayerAddressIsDropped() {
            byte[] f = Nd6.ns(PEER_MAC, "::", Ipv6Address.parse(OURS).solicitedNode().toString(), OURS, PEER_MAC.bits(),
                    null);

            assertThat(t.receive(f)).isEqualTo(Reason.NDISC_BAD_DAD);
        }

        @Test
        void solicitationForATentativeAddressIsIgnoredWhileDadRuns() {
            t.fx.engine.addAddress6(t.fx.nd0, io.neighd.wire.Ipv6Cidr.parse("2001:db8::7/64"), false);
            t.fx.advanceJiffies(1);

            assertThat(t.receive(ns(PEER, "2001:db8::7"))).isEqualTo(Reason.NDISC_NS_TENTATIVE);
            assertThat(t.entry(PEER)).isNull();
        }

        @Test
        void anotherNodesDadProbeForOurTentativeAddressFailsOurDad() {
            t.fx.random6.next(100);
            t.fx.engine.addAddress6(t.fx.nd0, io.neighd.wire.Ipv6Cidr.parse("2001:db8::7/64"), false);
            t.fx.advanceJiffies(2);

            assertThat(t.receive(Nd6.dadNs(PEER_MAC, "2001:db8::7", 0x4242))).isEqualTo(Reason.NDISC_DAD_CONFLICT);
            t.fx.advanceJiffies(2);

            assertThat(t.address("2001:db8::7").flags()).as("tentative dadfailed, as ip -6 addr shows it")
                    .isEqualTo(0x40 | 0x08 | 0x80);
            t.fx.advanceMs(3000);
            assertThat(t.sent()).as("no probe after the failure").isEmpty();
        }

        @Test
        void ourOwnDadProbeLoopedBackIsRecognisedByItsNonce() {
            t.fx.random6.next(100);
            t.fx.engine.addAddress6(t.fx.nd0, io.neighd.wire.Ipv6Cidr.parse("2001:db8::7/64"), false);
            t.fx.advanceJiffies(2);

            assertThat(t.receive(Nd6.dadNs(OUR_MAC, "2001:db8::7", OUR_NONCE))).isEqualTo(Reason.NDISC_DAD_LOOPED);
            assertThat(t.address("2001:db8::7").isDadFailed()).isFalse();
        }

        @Test
        void multicastTargetIsDropped() {
            assertThat(t.receive(Nd6.ns(PEER_MAC, PEER, "ff02::1:ff00:1", "ff02::1", PEER_MAC.bits(), null)))
                    .isEqualTo(Reason.NDISC_TARGET_MULTICAST);
        }

        @Test
        void solicitationForAnotherHostsAddressLearnsNothing() {
            assertThat(t.receive(Nd6.ns(PEER_MAC, PEER, "2001:db8::1", "2001:db8::99", PEER_MAC.bits(), OUR_MAC)))
                    .isEqualTo(Reason.NDISC_NS_NOT_FOR_US);
            assertThat(t.entry(PEER)).isNull();
        }

        @Test
        void aRouterAnswersForItsSubnetRouterAnycastAddressAfterARandomDelay() {
            t.sysctl("net.ipv6.conf.nd0.forwarding", 1);
            t.fx.random6.next(10);

            assertThat(t.receive(ns(PEER, "2001:db8::"))).isEqualTo(Reason.NDISC_PROXY_QUEUED);
            assertThat(t.sent()).isEmpty();
            t.fx.advanceJiffies(11);

            assertThat(t.sent()).singleElement().satisfies(na -> {
                assertThat(na.target()).hasToString("2001:db8::");
                assertThat(na.src()).as("not the anycast address: source selection").hasToString(OURS);
                assertThat(na.flags()).isEqualTo(R | S);
            });
        }

        @Test
        void aProxiedAddressIsAnsweredAfterProxyDelayWithItsRouterFlag() {
            t.sysctl("net.ipv6.conf.nd0.forwarding", 1);
            t.sysctl("net.ipv6.conf.nd0.proxy_ndp", 1);
            t.fx.engine.admin6().addProxy(Ipv6Address.parse("2001:db8::99"), t.fx.nd0, true, false);
            t.fx.random6.next(5);

            assertThat(t.receive(ns(PEER, "2001:db8::99"))).isEqualTo(Reason.NDISC_PROXY_QUEUED);
            assertThat(t.state(PEER)).as("learned only when answered").isNull();
            t.fx.advanceJiffies(6);

            assertThat(t.sent()).singleElement().satisfies(na -> {
                assertThat(na.target()).hasToString("2001:db8::99");
                assertThat(na.src()).hasToString(OURS);
                assertThat(na.flags()).as("R from the proxy entry, not forwarding; no override").isEqualTo(S);
                assertThat(na.lladdrOption()).isEqualTo(OUR_MAC.bits());
            });
            assertThat(t.state(PEER)).isEqualTo(NudState.DELAY);
        }

        @Test
        void proxyEntryWithTheRouterFlagAdvertisesR() {
            t.sysctl("net.ipv6.conf.nd0.forwarding", 1);
            t.sysctl("net.ipv6.conf.all.proxy_ndp", 1);
            t.sysctl("net.ipv6.neigh.nd0.proxy_delay", 0);
            t.fx.engine.admin6().addProxy(Ipv6Address.parse("2001:db8::99"), t.fx.nd0, true, true);

            assertThat(t.receive(ns(PEER, "2001:db8::99"))).isEqualTo(Reason.NDISC_PROXY_REPLIED);
            assertThat(t.sent()).singleElement().satisfies(na -> assertThat(na.flags()).isEqualTo(R | S));
        }

        @Test
        void proxyEntriesNeedProxyNdp() {
            t.sysctl("net.ipv6.conf.nd0.forwarding", 1);
            t.fx.engine.admin6().addProxy(Ipv6Address.parse("2001:db8::99"), t.fx.nd0, true, false);

            assertThat(t.receive(ns(PEER, "2001:db8::99"))).isEqualTo(Reason.NDISC_NS_NOT_FOR_US);
        }

        @Test
        void unicastSolicitationToAProxiedAddressIsHandedToTheLocalInputAndAnsweredAtOnce() {
            t.sysctl("net.ipv6.conf.all.forwarding", 1);
            t.sysctl("net.ipv6.conf.all.proxy_ndp", 1);
            t.fx.engine.admin6().addProxy(Ipv6Address.parse("2001:db8::99"), t.fx.nd0, true, false);

            assertThat(t.receive(unicastNs(PEER, "2001:db8::99", PEER_MAC.bits()))).isEqualTo(Reason.NDISC_PROXY_REPLIED);
            assertThat(t.sent()).singleElement().satisfies(na -> assertThat(na.flags()).isEqualTo(S));
        }

        @Test
        void unicastSolicitationToAProxiedAddressWithoutForwardingIsNotLocal() {
            t.sysctl("net.ipv6.conf.all.proxy_ndp", 1);
            t.fx.engine.admin6().addProxy(Ipv6Address.parse("2001:db8::99"), t.fx.nd0, true, false);

            assertThat(t.receive(unicastNs(PEER, "2001:db8::99", PEER_MAC.bits()))).isEqualTo(Reason.IPV6_NOT_LOCAL);
        }
    }

    @Nested
    class Advertisements {
        @Test
        void solicitedAdvertisementMakesAnIncompleteEntryReachable() {
            incomplete();

            assertThat(t.receive(na(PEER, S | O, PEER_MAC))).isEqualTo(Reason.NDISC_NA_UPDATED);
            assertThat(t.state(PEER)).isEqualTo(NudState.REACHABLE);
            assertThat(t.lladdr(PEER)).isEqualTo(PEER_MAC.bits());
        }

        @Test
        void unsolicitedOverrideReplacesTheAddressAndGoesStale() {
            reachable(PEER_MAC);

            assertThat(t.receive(unsolicitedNa(PEER, O, OTHER_MAC))).isEqualTo(Reason.NDISC_NA_UPDATED);
            assertThat(t.state(PEER)).isEqualTo(NudState.STALE);
            assertThat(t.lladdr(PEER)).isEqualTo(OTHER_MAC.bits());
        }

        @Test
        void solicitedWithoutOverrideAndAnotherAddressKeepsTheAddressButGoesStale() {
            reachable(PEER_MAC);

            t.receive(na(PEER, S, OTHER_MAC));
            assertThat(t.state(PEER)).isEqualTo(NudState.STALE);
            assertThat(t.lladdr(PEER)).isEqualTo(PEER_MAC.bits());
        }

        @Test
        void withoutOverrideAStaleEntryIsLeftAlone() {
            reachable(PEER_MAC);
            t.receive(na(PEER, S, OTHER_MAC));
            long updated = t.entry(PEER).updated();
            t.fx.advanceMs(100);

            t.receive(na(PEER, S, OTHER_MAC));
            assertThat(t.state(PEER)).isEqualTo(NudState.STALE);
            assertThat(t.entry(PEER).updated()).isEqualTo(updated);
        }

        @Test
        void theRouterFlagFollowsR() {
            reachable(PEER_MAC);

            t.receive(na(PEER, R | S | O, PEER_MAC));
            assertThat(t.entry(PEER).flags() & NeighFlags.ROUTER).isEqualTo(NeighFlags.ROUTER);
            t.receive(na(PEER, S | O, PEER_MAC));
            assertThat(t.entry(PEER).flags() & NeighFlags.ROUTER).isZero();
        }

        @Test
        void advertisementForAnUnknownTargetIsIgnored() {
            assertThat(t.receive(unsolicitedNa(PEER, O, PEER_MAC))).isEqualTo(Reason.NDISC_NA_UNTRACKED);
            assertThat(t.entry(PEER)).isNull();
            assertThat(t.stats().lookups).as("neigh_lookup counts").isEqualTo(1);
        }

        @Test
        void acceptUntrackedNaCreatesAStaleEntryOnARouter() {
            t.sysctl("net.ipv6.conf.nd0.accept_untracked_na", 1);
            assertThat(t.receive(unsolicitedNa(PEER, O, PEER_MAC))).as("not without forwarding")
                    .isEqualTo(Reason.NDISC_NA_UNTRACKED);
            t.sysctl("net.ipv6.conf.nd0.forwarding", 1);

            assertThat(t.receive(na(PEER, S | O, PEER_MAC))).isEqualTo(Reason.NDISC_NA_CREATED);
            assertThat(t.state(PEER)).as("STALE even when solicited").isEqualTo(NudState.STALE);
        }

        @Test
        void acceptUntrackedNa2OnlyForSendersOnALocalPrefix() {
            t.sysctl("net.ipv6.conf.nd0.forwarding", 1);
            t.sysctl("net.ipv6.conf.nd0.accept_untracked_na", 2);

            assertThat(t.receive(Nd6.na(PEER_MAC, "2001:db9::2", "ff02::1", "2001:db9::2", O, PEER_MAC.bits(), null)))
                    .isEqualTo(Reason.NDISC_NA_UNTRACKED);
            assertThat(t.receive(unsolicitedNa(PEER, O, PEER_MAC))).isEqualTo(Reason.NDISC_NA_CREATED);
        }

        @Test
        void dropUnsolicitedNaDropsThemBeforeAnythingElse() {
            reachable(PEER_MAC);
            t.sysctl("net.ipv6.conf.nd0.drop_unsolicited_na", 1);

            assertThat(t.receive(unsolicitedNa(PEER, O, OTHER_MAC))).isEqualTo(Reason.NDISC_NA_UNSOLICITED_DROPPED);
            assertThat(t.lladdr(PEER)).isEqualTo(PEER_MAC.bits());
            assertThat(t.receive(na(PEER, S | O, OTHER_MAC))).as("solicited ones still count")
                    .isEqualTo(Reason.NDISC_NA_UPDATED);
        }

        @Test
        void solicitedAdvertisementToAMulticastAddressIsDropped() {
            reachable(PEER_MAC);

            assertThat(t.receive(unsolicitedNa(PEER, S | O, OTHER_MAC))).isEqualTo(Reason.NDISC_NA_SOLICITED_MULTICAST);
        }

        @Test
        void advertisementOfOurOwnAddressIsIgnored() {
            assertThat(t.receive(unsolicitedNa(OURS, O, PEER_MAC))).isEqualTo(Reason.NDISC_NA_OWN_ADDRESS);
            assertThat(t.address(OURS).isDadFailed()).isFalse();
        }

        @Test
        void advertisementOfOurTentativeAddressFailsDad() {
            t.fx.random6.next(100);
            t.fx.engine.addAddress6(t.fx.nd0, io.neighd.wire.Ipv6Cidr.parse("2001:db8::7/64"), false);
            t.fx.advanceJiffies(2);

            assertThat(t.receive(unsolicitedNa("2001:db8::7", O, PEER_MAC))).isEqualTo(Reason.NDISC_DAD_CONFLICT);
            t.fx.advanceJiffies(2);
            assertThat(t.address("2001:db8::7").isDadFailed()).isTrue();
        }

        @Test
        void advertisementForAFailedEntryIsIgnored() {
            incomplete();
            t.fx.advanceMs(3100);
            assertThat(t.state(PEER)).isEqualTo(NudState.FAILED);

            assertThat(t.receive(na(PEER, S | O, PEER_MAC))).isEqualTo(Reason.NDISC_NA_ENTRY_FAILED);
            assertThat(t.state(PEER)).isEqualTo(NudState.FAILED);
        }

        @Test
        void ourOwnProxyAdvertisementDoesNotUpdateTheEntry() {
            reachable(PEER_MAC);
            t.sysctl("net.ipv6.conf.all.forwarding", 1);
            t.sysctl("net.ipv6.conf.all.proxy_ndp", 1);
            t.fx.engine.admin6().addProxy(Ipv6Address.parse(PEER), t.fx.nd0, true, false);

            assertThat(t.receive(Nd6.na(OTHER_MAC, OURS, "ff02::1", PEER, O, OUR_MAC.bits(), null)))
                    .isEqualTo(Reason.NDISC_NA_OWN_PROXY);
            assertThat(t.lladdr(PEER)).isEqualTo(PEER_MAC.bits());
        }
    }

    @Nested
    class RoutersAndEcho {
        /** A host has not joined ff02::2: ip6_mc_input drops it before ndisc sees it. */
        @Test
        void routerSolicitationsNeverReachAHost() {
            assertThat(t.receive(Nd6.rs(PEER_MAC, PEER_LL))).isEqualTo(Reason.IPV6_NOT_MEMBER);
            assertThat(t.entry(PEER_LL)).isNull();
        }

        @Test
        void aRouterLearnsTheSolicitingHostWithoutTheRouterFlag() {
            t.sysctl("net.ipv6.conf.nd0.forwarding", 1);

            assertThat(t.receive(Nd6.rs(PEER_MAC, PEER_LL))).isEqualTo(Reason.NDISC_RS_UPDATED);
            assertThat(t.state(PEER_LL)).isEqualTo(NudState.STALE);
            assertThat(t.entry(PEER_LL).isRouter()).isFalse();
        }

        /** With accept_ra the router's entry is made through its new default route, NTF_ROUTER set at once. */
        @Test
        void routerAdvertisementMakesAStaleRouterEntryAndSetsTheLinkParameters() {
            assertThat(t.receive(Nd6.ra(PEER_MAC, PEER_LL, 63, 1800, 20_000, 2_000, PEER_MAC.bits())))
                    .isEqualTo(Reason.NDISC_RA_UPDATED);

            assertThat(t.state(PEER_LL)).isEqualTo(NudState.STALE);
            assertThat(t.entry(PEER_LL).isRouter()).isTrue();
            assertThat(t.stats().lookups).as("ip6_neigh_lookup counts nothing").isZero();
            assertThat(t.fx.engine.sysctl().get("net.ipv6.neigh.nd0.retrans_time_ms")).isEqualTo(2000);
            assertThat(t.fx.engine.sysctl().get("net.ipv6.neigh.nd0.base_reachable_time_ms")).isEqualTo(20_000);
            assertThat(t.fx.engine.sysctl().get("net.ipv6.neigh.nd0.gc_stale_time")).isEqualTo(60);
            assertThat(t.fx.engine.sysctl().get("net.ipv6.conf.nd0.hop_limit")).isEqualTo(63);
            assertThat(t.fx.engine.route6().defaultRouters()).hasSize(1);
        }

        @Test
        void withoutAcceptRaTheRouterIsStillLearnedButNothingElse() {
            t.sysctl("net.ipv6.conf.nd0.accept_ra", 0);

            assertThat(t.receive(Nd6.ra(PEER_MAC, PEER_LL, 63, 1800, 20_000, 2_000, PEER_MAC.bits())))
                    .isEqualTo(Reason.NDISC_RA_UPDATED);
            assertThat(t.entry(PEER_LL).isRouter()).isTrue();
            assertThat(t.stats().lookups).as("__neigh_lookup counts").isEqualTo(1);
            assertThat(t.fx.engine.sysctl().get("net.ipv6.neigh.nd0.retrans_time_ms")).isEqualTo(1000);
            assertThat(t.fx.engine.route6().defaultRouters()).isEmpty();
        }

        @Test
        void routerAdvertisementFromAGlobalAddressIsDropped() {
            assertThat(t.receive(Nd6.ra(PEER_MAC, PEER, 64, 1800, 0, 0, PEER_MAC.bits())))
                    .isEqualTo(Reason.NDISC_NOT_LINK_LOCAL);
        }

        @Test
        void echoRequestForALocalAddressIsAnsweredThroughNeighbourResolution() {
            assertThat(t.receive(Nd6.echo(PEER_MAC, PEER, OURS, OUR_MAC, 7, 1))).isEqualTo(Reason.ICMP6_ECHO_REPLIED);

            assertThat(t.state(PEER)).isEqualTo(NudState.INCOMPLETE);
            assertThat(t.sent()).singleElement().satisfies(ns -> assertThat(ns.type())
                    .isEqualTo(Icmpv6.NEIGHBOUR_SOLICITATION));
            t.fx.tx.clear();

            t.receive(na(PEER, S | O, PEER_MAC));
            assertThat(t.sent()).singleElement().satisfies(reply -> {
                assertThat(reply.type()).isEqualTo(Icmpv6.ECHO_REPLY);
                assertThat(reply.src()).hasToString(OURS);
                assertThat(reply.hopLimit()).isEqualTo(64);
                assertThat(reply.checksumOk()).isTrue();
            });
        }
    }
}
