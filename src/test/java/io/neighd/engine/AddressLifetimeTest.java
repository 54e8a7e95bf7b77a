package io.neighd.engine;

import io.neighd.arp.Reason;
import io.neighd.errno.Errno;
import io.neighd.errno.Result;
import io.neighd.testkit.EngineFixture;
import io.neighd.testkit.RecordingTransmitter.Sent;
import io.neighd.wire.ArpOp;
import io.neighd.wire.Ipv4Address;
import io.neighd.wire.Ipv4Cidr;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.neighd.testkit.EngineFixture.OUR_MAC;
import static io.neighd.testkit.EngineFixture.PEER_MAC;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Addresses with a lifetime, the twin of devinet.c's ifa_valid_lft (set_ifa_lifetime,
 * check_lifetime) and inet_rtm_newaddr's NLM_F_REPLACE, and one gratuitous ARP as arping sends it,
 * through Netlink on the manual clock (HZ 250: 4 ms a jiffy).
 *
 * <pre>
 * | Request / moment                                         | Outcome                                    | Mirrors                      |
 * |----------------------------------------------------------|--------------------------------------------|------------------------------|
 * | add with a lifetime ending on a jiffy                    | answered until the jiffy before, not at it | check_lifetime               |
 * | lifetime ending between jiffies                          | gone at the jiffy before it (never after)  | (kernel: up to 1 s late)     |
 * | add again without replace                                | EEXIST                                     | inet_rtm_newaddr             |
 * | replace                                                  | the new end holds                          | set_ifa_lifetime             |
 * | replace of a missing address                             | created                                    | inet_rtm_newaddr (no CREATE) |
 * | end not after now                                        | EINVAL, nothing added                      | rtm_to_ifaddr: ifa_valid 0   |
 * | two lifetimes                                            | each goes at its own end                   | check_lifetime's `next`      |
 * | ip addr show                                             | valid_lft left, forever for permanent      | IFA_CACHEINFO                |
 * | arping -U / -A for an address of the device              | one request / reply, sender = target       | arping                       |
 * | arping after the address went, device down, not ARPable  | EADDRNOTAVAIL, ENETDOWN, EINVAL            | arping's bind / checks       |
 * </pre>
 */
class AddressLifetimeTest {
    static final Ipv4Cidr VIP = Ipv4Cidr.parse("10.0.0.100/24");
    final EngineFixture f = new EngineFixture();
    final Netlink nl = f.engine.netlink();

    long inMs(long ms) {
        return f.clock.nanos() + ms * 1_000_000L;
    }

    boolean answers(String ip) {
        f.tx.clear();
        return f.receive(EngineFixture.request(PEER_MAC, "10.0.0.9", ip)) == Reason.REPLIED;
    }

    @Test
    void answeredUntilTheLifetimeEndsAndNotFromThatJiffyOn() {
        assertThat(nl.addAddress("nd0", VIP, inMs(100), false).ok()).isTrue();
        f.advanceMs(96);
        assertThat(answers("10.0.0.100")).isTrue();
        f.advanceMs(4);
        assertThat(answers("10.0.0.100")).isFalse();
        assertThat(nl.link("nd0").addresses()).extracting(Views.Address::cidr).containsExactly(Ipv4Cidr.parse("10.0.0.1/24"));
        // the owned address is untouched
        assertThat(answers("10.0.0.1")).isTrue();
    }

    @Test
    void aLifetimeEndingBetweenJiffiesEndsAtTheJiffyBeforeNeverAfter() {
        nl.addAddress("nd0", VIP, inMs(101), false);
        f.advanceMs(96);
        assertThat(answers("10.0.0.100")).isTrue();
        f.advanceMs(4);
        assertThat(answers("10.0.0.100")).isFalse();
    }

    @Test
    void addingItAgainIsEexistReplacingMovesTheEnd() {
        nl.addAddress("nd0", VIP, inMs(100), false);
        Result<Views.Address> again = nl.addAddress("nd0", VIP, inMs(500), false);
        assertThat(again.errno()).isEqualTo(Errno.EEXIST);
        assertThat(nl.addAddress("nd0", VIP, inMs(500), true).ok()).isTrue();
        f.advanceMs(496);
        assertThat(answers("10.0.0.100")).isTrue();
        f.advanceMs(4);
        assertThat(answers("10.0.0.100")).isFalse();
    }

    @Test
    void replaceCreatesAMissingAddress() {
        assertThat(nl.addAddress("nd0", VIP, inMs(100), true).ok()).isTrue();
        assertThat(answers("10.0.0.100")).isTrue();
    }

    @Test
    void aLifetimeThatHasEndedIsRefused() {
        assertThat(nl.addAddress("nd0", VIP, f.clock.nanos(), true).errno()).isEqualTo(Errno.EINVAL);
        assertThat(nl.addAddress("nd0", VIP, inMs(2), true).errno()).as("within the current jiffy").isEqualTo(Errno.EINVAL);
        assertThat(answers("10.0.0.100")).isFalse();
    }

    @Test
    void eachLifetimeEndsOnItsOwn() {
        nl.addAddress("nd0", VIP, inMs(200), false);
        nl.addAddress("nd0", Ipv4Cidr.parse("10.0.0.101/24"), inMs(100), false);
        f.advanceMs(100);
        assertThat(answers("10.0.0.101")).isFalse();
        assertThat(answers("10.0.0.100")).isTrue();
        f.advanceMs(100);
        assertThat(answers("10.0.0.100")).isFalse();
    }

    @Test
    void ipAddrShowsWhatIsLeftOfTheLifetime() {
        nl.addAddress("nd0", VIP, inMs(1000), false);
        f.advanceMs(400);
        List<Views.Address> shown = nl.link("nd0").addresses();
        assertThat(shown).extracting(Views.Address::validLftMillis).containsExactly(null, 600L);
        assertThat(shown).extracting(Views.Address::permanent).containsExactly(true, false);
    }

    @Test
    void deletingItBeforeItsEndIsAnOrdinaryDelete() {
        nl.addAddress("nd0", VIP, inMs(100), false);
        assertThat(nl.deleteAddress("nd0", VIP.address()).ok()).isTrue();
        f.advanceMs(200);
        assertThat(nl.link("nd0").addresses()).hasSize(1);
    }

    @Test
    void arpingSendsOneGratuitousRequestOrReply() {
        nl.addAddress("nd0", VIP, inMs(1000), false);
        f.tx.clear();
        assertThat(nl.garp("nd0", VIP.address(), ArpOp.OP_REQUEST).ok()).isTrue();
        assertThat(nl.garp("nd0", VIP.address(), ArpOp.OP_REPLY).ok()).isTrue();
        List<Sent> sent = f.tx.arp();
        assertThat(sent).hasSize(2);
        for (Sent s : sent) {
            assertThat(s.ethDst().toString()).isEqualTo("ff:ff:ff:ff:ff:ff");
            assertThat(s.arp().senderMac()).isEqualTo(OUR_MAC);
            assertThat(s.arp().senderIp()).isEqualTo(VIP.address());
            assertThat(s.arp().targetIp()).isEqualTo(VIP.address());
        }
        assertThat(sent.get(0).arp().op()).isEqualTo(ArpOp.REQUEST);
        assertThat(sent.get(0).arp().targetMac().bits()).isZero();
        assertThat(sent.get(1).arp().op()).isEqualTo(ArpOp.REPLY);
        assertThat(sent.get(1).arp().targetMac()).isEqualTo(OUR_MAC);
    }

    @Test
    void arpingIsRefusedForAnAddressThatWentADownDeviceAndABadForm() {
        nl.addAddress("nd0", VIP, inMs(100), false);
        f.advanceMs(100);
        f.tx.clear();
        assertThat(nl.garp("nd0", VIP.address(), ArpOp.OP_REQUEST).errno()).isEqualTo(Errno.EADDRNOTAVAIL);
        assertThat(nl.garp("nd0", Ipv4Address.parse("10.0.0.1"), 3).errno()).isEqualTo(Errno.EINVAL);
        assertThat(nl.garp("nd9", Ipv4Address.parse("10.0.0.1"), ArpOp.OP_REQUEST).errno()).isEqualTo(Errno.ENODEV);
        nl.setUp("nd0", false);
        assertThat(nl.garp("nd0", Ipv4Address.parse("10.0.0.1"), ArpOp.OP_REQUEST).errno()).isEqualTo(Errno.ENETDOWN);
        assertThat(f.tx.all()).isEmpty();
    }
}
