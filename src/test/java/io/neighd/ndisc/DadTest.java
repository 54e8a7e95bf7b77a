package io.neighd.ndisc;

import io.neighd.arp.Reason;
import io.neighd.ip.NetDevice;
import io.neighd.ipv6.Inet6Ifaddr;
import io.neighd.testkit.EngineFixture;
import io.neighd.testkit.Nd6;
import io.neighd.wire.Icmpv6;
import io.neighd.wire.Ipv6Address;
import io.neighd.wire.Ipv6Cidr;
import io.neighd.wire.MacAddress;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import static io.neighd.ndisc.Nd6Fixture.LL;
import static io.neighd.ndisc.Nd6Fixture.OURS;
import static io.neighd.ndisc.Nd6Fixture.OUR_MAC;
import static io.neighd.ndisc.Nd6Fixture.OUR_NONCE;
import static io.neighd.ndisc.Nd6Fixture.PEER;
import static io.neighd.ndisc.Nd6Fixture.PEER_MAC;
import static io.neighd.testkit.Nd6.NONE;
import static io.neighd.testkit.Nd6.O;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Duplicate address detection and the address life around it, as addrconf.c runs them, on the
 * manual clock (HZ 250: a jiffy is 4 ms; retrans_time 1 s is 250 jiffies; the random start delay
 * is drawn below router_solicitation_delay, 1 s, and pinned by the tests).
 *
 * <pre>
 * | Given                                  | Then                                                            | Mirrors                   |
 * |----------------------------------------|-----------------------------------------------------------------|---------------------------|
 * | ip -6 addr add                         | tentative at once; next jiffy: solicited-node group joined,      | inet6_addr_add,           |
 * |                                        | probe after the random delay; valid retrans_time later          | addrconf_dad_begin/_kick  |
 * | dad_transmits N                        | N probes, retrans_time apart                                    | addrconf_dad_work         |
 * | accept_dad 0 (all and device) / nodad  | valid at once, no probe                                         | addrconf_dad_begin        |
 * | ndisc_notify 1                         | an unsolicited NA (O, TLLAO) to ff02::1 once valid              | addrconf_dad_completed    |
 * | another node's DAD NS or an NA         | tentative dadfailed (kept: permanent), DADFAILED event, no more | addrconf_dad_failure,     |
 * |                                        | probes, not local                                               | addrconf_dad_stop         |
 * | accept_dad 2, EUI-64 link-local clash  | IPv6 disabled on the device                                     | addrconf_dad_work         |
 * | no carrier when added                  | tentative, no probe; carrier on: DAD runs                       | IF_READY, addrconf_dad_run|
 * | link down / up                         | addresses removed; the link-local comes back, the global not    | addrconf_ifdown           |
 * | keep_addr_on_down 1                    | the global address stays, tentative, and is checked again        | addrconf_ifdown           |
 * | address added / removed                | solicited-node group joined / left (once per group)             | ipv6_dev_mc_inc / _dec    |
 * | MAC change, ndisc_notify               | nd_tbl flushed, unsolicited NAs with the new MAC                | ndisc_netdev_event        |
 * | NETDEV_NOTIFY_PEERS                    | unsolicited NA per valid address, whatever ndisc_notify says    | ndisc_send_unsol_na       |
 * | forwarding 1                           | ff02::2 joined; subnet-router anycast answered                  | dev_forward_change        |
 * </pre>
 */
class DadTest {
    final Nd6Fixture t = new Nd6Fixture();
    final EngineFixture fx = t.fx;

    private void add(String cidr) {
        fx.engine.addAddress6(fx.nd0, Ipv6Cidr.parse(cidr), false);
    }

    @Nested
    class OurDad {
        @Test
        void newAddressProbesFromTheUnspecifiedAddressAfterItsRandomDelayThenBecomesValid() {
            fx.random6.next(40);
            add("2001:db8::5/64");

            assertThat(t.address("2001:db8::5").flags()).isEqualTo(Inet6Ifaddr.F_TENTATIVE | Inet6Ifaddr.F_PERMANENT);
            assertThat(fx.events.addresses()).containsExactly("NEWADDR 2001:db8::5/64 [tentative]");
            fx.advanceJiffies(1);
            assertThat(fx.mcast6).contains("join nd0 ff02::1:ff00:5");
            fx.advanceJiffies(40);
            assertThat(t.sent()).isEmpty();
            fx.advanceJiffies(1);

            assertThat(t.sent()).singleElement().satisfies(ns -> {
                assertThat(ns.type()).isEqualTo(Icmpv6.NEIGHBOUR_SOLICITATION);
                assertThat(ns.src()).isEqualTo(Ipv6Address.ANY);
                assertThat(ns.dst()).hasToString("ff02::1:ff00:5");
                assertThat(ns.ethDst()).isEqualTo(MacAddress.parse("33:33:ff:00:00:05").bits());
                assertThat(ns.target()).hasToString("2001:db8::5");
                assertThat(ns.lladdrOption()).as("no SLLAO from ::").isEqualTo(NONE);
                assertThat(ns.nonce()).as("enhanced_dad").isEqualTo(OUR_NONCE);
                assertThat(ns.hopLimit()).isEqualTo(255);
                assertThat(ns.checksumOk()).isTrue();
            });
            fx.advanceJiffies(250);
            assertThat(t.address("2001:db8::5").isTentative()).isTrue();
            fx.advanceJiffies(1);
            assertThat(t.address("2001:db8::5").flags()).isEqualTo(Inet6Ifaddr.F_PERMANENT);
            assertThat(fx.events.addresses()).last().isEqualTo("NEWADDR 2001:db8::5/64 []");
            assertThat(t.sent()).as("no NA after DAD without ndisc_notify").hasSize(1);
        }

        @Test
        void dadTransmitsProbesRetransTimeApart() {
            t.sysctl("net.ipv6.conf.nd0.dad_transmits", 3);
            t.sysctl("net.ipv6.neigh.nd0.retrans_time_ms", 500);
            fx.random6.next(0);
            add("2001:db8::5/64");

            fx.advanceJiffies(2);
            assertThat(t.sent()).hasSize(1);
            fx.advanceJiffies(125);
            assertThat(t.sent()).as("a timer armed for jiffy e runs at e + 1").hasSize(1);
            fx.advanceJiffies(1);
            assertThat(t.sent()).hasSize(2);
            fx.advanceJiffies(126);
            assertThat(t.sent()).hasSize(3);
            fx.advanceJiffies(126);
            assertThat(t.address("2001:db8::5").isTentative()).isFalse();
            assertThat(t.sent()).hasSize(3);
        }

        @Test
        void enhancedDadOffSendsNoNonce() {
            t.sysctl("net.ipv6.conf.nd0.enhanced_dad", 0);
            t.sysctl("net.ipv6.conf.all.enhanced_dad", 0);
            fx.random6.next(0);
            add("2001:db8::5/64");
            fx.advanceJiffies(2);

            assertThat(t.sent()).singleElement().satisfies(ns -> assertThat(ns.nonce()).isZero());
        }

        @Test
        void acceptDadOffOnBothAllAndTheDeviceSkipsDad() {
            t.sysctl("net.ipv6.conf.nd0.accept_dad", 0);
            add("2001:db8::5/64");
            fx.advanceJiffies(1);

            assertThat(t.address("2001:db8::5").isTentative()).isFalse();
            assertThat(t.sent()).isEmpty();
        }

        @Test
        void acceptDadOnAllAloneStillRunsDad() {
            t.sysctl("net.ipv6.conf.nd0.accept_dad", 0);
            t.sysctl("net.ipv6.conf.all.accept_dad", 1);
            fx.random6.next(0);
            add("2001:db8::5/64");
            fx.advanceJiffies(2);

            assertThat(t.sent()).hasSize(1);
        }

        @Test
        void nodadAddressesAreValidAtOnce() {
            fx.engine.addAddress6(fx.nd0, Ipv6Cidr.parse("2001:db8::5/64"), true);

            assertThat(t.address("2001:db8::5").flags()).isEqualTo(Inet6Ifaddr.F_NODAD | Inet6Ifaddr.F_PERMANENT);
            fx.advanceMs(2000);
            assertThat(t.sent()).isEmpty();
        }

        @Test
        void ndiscNotifyAdvertisesTheAddressOnceDadPasses() {
            t.sysctl("net.ipv6.conf.nd0.ndisc_notify", 1);
            t.addAddress("2001:db8::5/64");

            assertThat(t.sent()).last().satisfies(na -> {
                assertThat(na.type()).isEqualTo(Icmpv6.NEIGHBOUR_ADVERTISEMENT);
                assertThat(na.src()).hasToString("2001:db8::5");
                assertThat(na.dst()).isEqualTo(Ipv6Address.ALL_NODES);
                assertThat(na.target()).hasToString("2001:db8::5");
                assertThat(na.flags()).isEqualTo(O);
                assertThat(na.lladdrOption()).isEqualTo(OUR_MAC.bits());
            });
        }

        @Test
        void aTentativeAddressIsNotLocal() {
            add("2001:db8::5/64");
            fx.advanceJiffies(1);

            assertThat(t.receive(Nd6.echo(PEER_MAC, PEER, "2001:db8::5", OUR_MAC, 1, 1)))
                    .isEqualTo(Reason.IPV6_NOT_LOCAL);
        }

        @Test
        void deletingAnAddressStopsItsDad() {
            fx.random6.next(0);
            add("2001:db8::5/64");
            fx.engine.deleteAddress6(fx.nd0, Ipv6Address.parse("2001:db8::5"));
            fx.advanceMs(2000);

            assertThat(t.sent()).isEmpty();
            assertThat(t.address("2001:db8::5")).isNull();
        }
    }

    @Nested
    class Duplicates {
        private void tentative() {
            fx.random6.next(100);
            add("2001:db8::5/64");
            fx.advanceJiffies(2);
        }

        @Test
        void aDuplicateLeavesTheAddressTentativeAndDadfailedAndSaysSo() {
            tentative();

            t.receive(Nd6.dadNs(PEER_MAC, "2001:db8::5", 0x77));
            fx.advanceJiffies(1);

            assertThat(t.address("2001:db8::5").flags())
                    .isEqualTo(Inet6Ifaddr.F_TENTATIVE | Inet6Ifaddr.F_DADFAILED | Inet6Ifaddr.F_PERMANENT);
            assertThat(fx.events.addresses()).contains("DADFAILED 2001:db8::5/64 [dadfailed, tentative]",
                    "NEWADDR 2001:db8::5/64 [dadfailed, tentative]");
            fx.advanceMs(3000);
            assertThat(t.sent()).isEmpty();
            assertThat(t.receive(Nd6.ns(PEER_MAC, PEER, "2001:db8::5"))).as("never answered")
                    .isEqualTo(Reason.NDISC_NS_TENTATIVE);
        }

        @Test
        void aSecondConflictChangesNothing() {
            tentative();
            t.receive(Nd6.dadNs(PEER_MAC, "2001:db8::5", 0x77));
            fx.advanceJiffies(1);
            fx.events.clear();

            t.receive(Nd6.na(PEER_MAC, "2001:db8::5", "ff02::1", "2001:db8::5", O, PEER_MAC.bits(), null));
            fx.advanceJiffies(1);
            assertThat(fx.events.addresses()).isEmpty();
        }

        /** accept_dad 2: a duplicate of the MAC-based link-local address means the MAC is taken. */
        @Test
        void acceptDad2DisablesIpv6WhenTheMacBasedLinkLocalIsADuplicate() {
            NetDevice nd1 = fx.addInterface("nd1", 3, MacAddress.parse("02:aa:00:00:00:07"), null);
            fx.sysctl("net.ipv6.conf.nd1.accept_dad", 2);
            fx.engine.setUp(nd1, false);
            fx.random6.next(100);
            fx.engine.setUp(nd1, true);
            fx.advanceJiffies(2);

            fx.receive(nd1, Nd6.dadNs(PEER_MAC, "fe80::aa:ff:fe00:7", 0x77));
            fx.advanceJiffies(1);

            assertThat(fx.engine.sysctl().get("net.ipv6.conf.nd1.disable_ipv6")).isEqualTo(1);
            assertThat(fx.engine.addrconf().addresses(nd1)).isEmpty();
        }
    }

    @Nested
    class TheLink {
        @Test
        void withoutCarrierTheAddressWaitsTentativeAndDadRunsWhenTheLinkIsReady() {
            NetDevice nd1 = fx.engine.addDevice("nd1", 3, MacAddress.parse("02:aa:00:00:00:07"), 1500, -1);
            fx.engine.setUp(nd1, true);
            fx.engine.addAddress6(nd1, Ipv6Cidr.parse("2001:db9::5/64"), false);
            fx.advanceMs(2000);
            assertThat(fx.tx.nd()).isEmpty();
            assertThat(fx.engine.addrconf().addresses(nd1)).singleElement()
                    .satisfies(a -> assertThat(a.isTentative()).isTrue());

            fx.random6.next(0).next(0);
            fx.engine.setCarrier(nd1, true);
            fx.advanceMs(1100);

            assertThat(fx.tx.nd()).extracting(s -> s.target().toString())
                    .containsExactlyInAnyOrder("2001:db9::5", "fe80::aa:ff:fe00:7");
            assertThat(fx.engine.addrconf().addresses(nd1)).allSatisfy(a -> assertThat(a.isTentative()).isFalse());
        }

        @Test
        void linkDownRemovesTheAddressesAndUpBringsBackOnlyTheLinkLocal() {
            fx.engine.setUp(fx.nd0, false);

            assertThat(fx.engine.addrconf().addresses(fx.nd0)).isEmpty();
            assertThat(fx.events.addresses()).contains("DELADDR 2001:db8::1/64 []", "DELADDR fe80::aa:ff:fe00:1/64 []");
            fx.random6.next(0);
            fx.engine.setUp(fx.nd0, true);
            fx.advanceMs(1100);

            assertThat(fx.engine.addrconf().addresses(fx.nd0)).extracting(a -> a.cidr().toString())
                    .containsExactly(LL + "/64");
        }

        @Test
        void keepAddrOnDownKeepsTheGlobalAddressAndChecksItAgain() {
            t.sysctl("net.ipv6.conf.nd0.keep_addr_on_down", 1);
            fx.engine.setUp(fx.nd0, false);

            assertThat(t.address(OURS).isTentative()).isTrue();
            fx.random6.next(0).next(0);
            fx.engine.setUp(fx.nd0, true);
            fx.advanceMs(1100);

            assertThat(t.sent()).extracting(s -> s.target().toString()).contains(OURS);
            assertThat(t.address(OURS).isTentative()).isFalse();
        }

        @Test
        void solicitedNodeGroupsAreJoinedOncePerGroupAndLeftWithTheLastAddress() {
            fx.mcast6.clear();
            t.addAddress("2001:db8::1:5/64");
            t.addAddress("2001:db8::2:5/64");

            assertThat(fx.mcast6).containsExactly("join nd0 ff02::1:ff01:5", "join nd0 ff02::1:ff02:5");
            t.addAddress("2001:db9::1:5/64");
            assertThat(fx.mcast6).hasSize(2);
            fx.engine.deleteAddress6(fx.nd0, Ipv6Address.parse("2001:db8::1:5"));
            assertThat(fx.mcast6).hasSize(2);
            fx.engine.deleteAddress6(fx.nd0, Ipv6Address.parse("2001:db9::1:5"));
            assertThat(fx.mcast6).last().isEqualTo("leave nd0 ff02::1:ff01:5");
        }

        @Test
        void aMacChangeFlushesTheTableAndWithNdiscNotifyAdvertisesTheNewAddress() {
            t.receive(Nd6.ns(PEER_MAC, PEER, OURS));
            fx.tx.clear();
            t.sysctl("net.ipv6.conf.nd0.ndisc_notify", 1);
            MacAddress mac = MacAddress.parse("02:aa:00:00:00:99");

            fx.engine.setHwAddr(fx.nd0, mac);

            assertThat(t.entry(PEER)).isNull();
            assertThat(t.sent()).extracting(s -> s.target().toString()).containsExactly(LL, OURS);
            assertThat(t.sent()).allSatisfy(na -> {
                assertThat(na.flags()).isEqualTo(O);
                assertThat(na.lladdrOption()).isEqualTo(mac.bits());
            });
            assertThat(t.address(LL)).as("the link-local address keeps the MAC it was made from").isNotNull();
        }

        @Test
        void notifyPeersAdvertisesEveryValidAddress() {
            t.sysctl("net.ipv6.conf.nd0.ndisc_notify", 0);
            add("2001:db8::5/64");

            assertThat(fx.engine.announce6(fx.nd0)).isEqualTo(2);
            assertThat(t.sent()).extracting(s -> s.target().toString()).containsExactly(LL, OURS);
        }

        @Test
        void forwardingJoinsAllRoutersAndAnswersTheSubnetRouterAnycastAddress() {
            fx.mcast6.clear();
            t.sysctl("net.ipv6.conf.nd0.forwarding", 1);

            assertThat(fx.mcast6).contains("join nd0 ff02::2", "join nd0 ff02::1:ff00:0");
            t.sysctl("net.ipv6.conf.nd0.forwarding", 0);
            assertThat(fx.mcast6).contains("leave nd0 ff02::2", "leave nd0 ff02::1:ff00:0");
        }
    }
}
