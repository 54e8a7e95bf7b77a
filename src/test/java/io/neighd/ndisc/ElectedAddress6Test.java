package io.neighd.ndisc;

import io.neighd.errno.Errno;
import io.neighd.errno.Result;
import io.neighd.ipv6.Inet6Ifaddr;
import io.neighd.testkit.EngineFixture;
import io.neighd.testkit.Nd6;
import io.neighd.wire.Icmpv6;
import io.neighd.wire.Ipv6Address;
import io.neighd.wire.Ipv6Cidr;
import org.junit.jupiter.api.Test;

import static io.neighd.ndisc.Nd6Fixture.OUR_MAC;
import static io.neighd.ndisc.Nd6Fixture.PEER;
import static io.neighd.ndisc.Nd6Fixture.PEER_MAC;
import static io.neighd.testkit.Nd6.O;
import static io.neighd.testkit.Nd6.S;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the election asks of the engine for an IPv6 elected address, on the manual clock (HZ 250).
 *
 * <pre>
 * | Given                                          | Then                                                       | Mirrors                       |
 * |------------------------------------------------|------------------------------------------------------------|-------------------------------|
 * | ip -6 addr replace ... valid_lft L nodad       | valid at once (no probe), not permanent; solicited-node    | inet6_addr_add, addrconf_dad_ |
 * |                                                | group joined next jiffy; no NA even with ndisc_notify      | begin (send_na needs TENTATIVE)|
 * | the lifetime ends                              | removed: group left, DELADDR, NS no longer answered        | addrconf_verify_rtnl          |
 * | replace with a later lifetime                  | the same address, the new end                              | inet6_addr_modify             |
 * | an unsolicited NA asked for                    | to ff02::1, O set, S clear, TLLAO, from the address        | ndisc_send_unsol_na           |
 * | ... for an address gone, or the device down    | EADDRNOTAVAIL / ENETDOWN, nothing sent                     |                               |
 * | another MAC's NA for our valid address         | dropped as Linux drops it; reported as a claim (conflict)  | ndisc_recv_na "advertised our |
 * |                                                |                                                            | address"                      |
 * </pre>
 */
class ElectedAddress6Test {
    static final String VIP = "2001:db8::55";
    final Nd6Fixture t = new Nd6Fixture();
    final EngineFixture fx = t.fx;

    Result<Inet6Ifaddr> claim(long validForMs) {
        return fx.engine.addAddress6(fx.nd0, Ipv6Cidr.parse(VIP + "/64"), true,
                fx.clock.nanos() + validForMs * 1_000_000L, true);
    }

    @Test
    void aNodadAddressWithALifetimeIsValidAtOnceAndSendsNothingOfItsOwn() {
        t.sysctl("net.ipv6.conf.nd0.ndisc_notify", 1);
        assertThat(claim(1000).ok()).isTrue();

        Inet6Ifaddr a = t.address(VIP);
        assertThat(a.flags()).isEqualTo(Inet6Ifaddr.F_NODAD);
        assertThat(a.isPermanent()).isFalse();
        fx.advanceJiffies(1);
        assertThat(fx.mcast6).contains("join nd0 ff02::1:ff00:55");
        fx.advanceMs(500);
        // addrconf_dad_begin: send_na only for an address that was TENTATIVE, which nodad never is
        assertThat(t.sent()).isEmpty();
    }

    @Test
    void itIsAnsweredAtOnceAndGoneWhenItsLifetimeEnds() {
        claim(1000);
        fx.advanceJiffies(1);
        t.receive(Nd6.ns(PEER_MAC, PEER, VIP));
        assertThat(t.sent()).singleElement().satisfies(na -> {
            assertThat(na.type()).isEqualTo(Icmpv6.NEIGHBOUR_ADVERTISEMENT);
            assertThat(na.target()).hasToString(VIP);
            assertThat(na.flags()).isEqualTo(S | O);
        });
        fx.tx.clear();
        fx.events.clear();

        fx.advanceMs(1000 - EngineFixture.JIFFY_MS - 4);
        assertThat(t.address(VIP)).isNotNull();
        fx.advanceMs(4);
        assertThat(t.address(VIP)).isNull();
        assertThat(fx.mcast6).last().isEqualTo("leave nd0 ff02::1:ff00:55");
        assertThat(fx.events.addresses()).containsExactly("DELADDR " + VIP + "/64 [nodad]");
        t.receive(Nd6.ns(PEER_MAC, PEER, VIP));
        assertThat(t.sent()).isEmpty();
    }

    @Test
    void replaceMovesTheEndOfTheLifetime() {
        claim(1000);
        fx.advanceMs(600);
        assertThat(claim(1000).ok()).isTrue();
        fx.advanceMs(600);
        assertThat(t.address(VIP)).isNotNull();
        fx.advanceMs(400);
        assertThat(t.address(VIP)).isNull();
        assertThat(fx.engine.addAddress6(fx.nd0, Ipv6Cidr.parse(VIP + "/64"), true, fx.clock.nanos(), true).errno())
                .as("a lifetime that has ended").isEqualTo(Errno.EINVAL);
    }

    @Test
    void anUnsolicitedNaIsWhatNdiscSendUnsolNaSends() {
        claim(5000);
        fx.advanceJiffies(1);
        assertThat(fx.engine.unsolicitedNa(fx.nd0, Ipv6Address.parse(VIP)).ok()).isTrue();

        assertThat(t.sent()).singleElement().satisfies(na -> {
            assertThat(na.type()).isEqualTo(Icmpv6.NEIGHBOUR_ADVERTISEMENT);
            assertThat(na.src()).hasToString(VIP);
            assertThat(na.dst()).isEqualTo(Ipv6Address.ALL_NODES);
            assertThat(na.ethDst()).isEqualTo(0x3333_0000_0001L);
            assertThat(na.target()).hasToString(VIP);
            assertThat(na.flags()).isEqualTo(O);
            assertThat(na.lladdrOption()).isEqualTo(OUR_MAC.bits());
            assertThat(na.hopLimit()).isEqualTo(255);
        });
    }

    @Test
    void noAdvertisementForAnAddressThatIsGoneOrFromADeviceThatIsDown() {
        claim(5000);
        fx.advanceJiffies(1);
        fx.engine.deleteAddress6(fx.nd0, Ipv6Address.parse(VIP));
        assertThat(fx.engine.unsolicitedNa(fx.nd0, Ipv6Address.parse(VIP)).errno()).isEqualTo(Errno.EADDRNOTAVAIL);
        claim(5000);
        fx.advanceJiffies(1);
        fx.engine.setUp(fx.nd0, false);
        assertThat(fx.engine.unsolicitedNa(fx.nd0, Ipv6Address.parse(VIP)).errno()).isEqualTo(Errno.ENETDOWN);
        assertThat(t.sent()).isEmpty();
    }

    @Test
    void anotherStationAdvertisingOurAddressIsDroppedAndReportedAsAClaim() {
        claim(5000);
        fx.advanceJiffies(1);
        byte[] na = Nd6.na(PEER_MAC, VIP, "ff02::1", VIP, O, PEER_MAC.bits(), null);
        assertThat(t.receive(na)).isEqualTo(io.neighd.arp.Reason.NDISC_NA_OWN_ADDRESS);
        assertThat(fx.events.claims()).containsExactly("nd0 " + VIP + " " + PEER_MAC);
        assertThat(t.entry(VIP)).as("no entry for our own address").isNull();
        // our own advertisement, heard back, is no claim
        t.receive(Nd6.na(OUR_MAC, VIP, "ff02::1", VIP, O, OUR_MAC.bits(), null));
        assertThat(fx.events.claims()).hasSize(1);
    }
}
