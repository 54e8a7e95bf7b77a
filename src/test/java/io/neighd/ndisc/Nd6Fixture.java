package io.neighd.ndisc;

import io.neighd.arp.Reason;
import io.neighd.ipv6.Inet6Ifaddr;
import io.neighd.neighbour.Neighbour;
import io.neighd.neighbour.NudState;
import io.neighd.testkit.EngineFixture;
import io.neighd.testkit.Nd6;
import io.neighd.wire.IpAddress;
import io.neighd.wire.Ipv6Address;
import io.neighd.wire.Ipv6Cidr;
import io.neighd.wire.MacAddress;

import java.util.List;

/**
 * The IPv6 tests' common ground: an {@link EngineFixture} with Linux's IPv6 defaults, nd0
 * (02:aa:00:00:00:01) having passed DAD on its link-local fe80::aa:ff:fe00:1 and on 2001:db8::1/64,
 * with what that sent and recorded cleared. The peer is 02:bb:00:00:00:02 at 2001:db8::2 and
 * fe80::bb:ff:fe00:2.
 */
class Nd6Fixture {
    static final String LL = "fe80::aa:ff:fe00:1";
    static final String OURS = "2001:db8::1";
    static final String PEER = "2001:db8::2";
    static final String PEER_LL = "fe80::bb:ff:fe00:2";
    static final MacAddress OUR_MAC = EngineFixture.OUR_MAC;
    static final MacAddress PEER_MAC = EngineFixture.PEER_MAC;
    static final MacAddress OTHER_MAC = EngineFixture.OTHER_MAC;
    /** ScriptedRandom.nextLong() as a DAD nonce. */
    static final long OUR_NONCE = 0x5DEECE66DL & 0xffff_ffff_ffffL;

    final EngineFixture fx = new EngineFixture(r -> {
    }, true);

    Nd6Fixture() {
        fx.advanceMs(2000);
        addAddress(OURS + "/64");
        fx.tx.clear();
        fx.events.clear();
    }

    /** {@code ip -6 addr add}, DAD run to its end (no random delay). */
    void addAddress(String cidr) {
        fx.random6.next(0);
        fx.engine.addAddress6(fx.nd0, Ipv6Cidr.parse(cidr), false);
        fx.advanceMs(1100);
    }

    void sysctl(String name, long value) {
        fx.sysctl(name, value);
    }

    Reason receive(byte[] frame) {
        return fx.receive(frame);
    }

    Neighbour<?> entry(String ip) {
        Ipv6Address a = Ipv6Address.parse(ip);
        return fx.engine.ndTable().lookupNoref(fx.nd0, a.hi(), a.lo());
    }

    NudState state(String ip) {
        Neighbour<?> n = entry(ip);
        return n == null ? null : n.nudState();
    }

    long lladdr(String ip) {
        return entry(ip).ha();
    }

    Inet6Ifaddr address(String ip) {
        Ipv6Address a = Ipv6Address.parse(ip);
        return fx.engine.addrconf().getIfaddr(a.hi(), a.lo(), fx.nd0, true);
    }

    List<Nd6.Sent> sent() {
        return fx.tx.nd();
    }

    io.neighd.neighbour.NeighStatistics stats() {
        return fx.engine.ndTable().stats();
    }

    /** Entries of nd_tbl other than the NOARP ones multicast destinations leave behind. */
    List<String> unicastEntries() {
        return fx.engine.neighbours(null, NudState.MASK_ALL, IpAddress.AF_INET6).stream()
                .filter(s -> s.state() != NudState.NOARP).map(s -> s.dst() + " " + s.state()).toList();
    }
}
