package io.neighd.arp;

import io.neighd.ip.Ipv4Output;
import io.neighd.ip.NetDevice;
import io.neighd.ip.RouteSpec;
import io.neighd.neighbour.NeighTableSpec;
import io.neighd.neighbour.Neighbour;
import io.neighd.neighbour.NeighbourTable;
import io.neighd.neighbour.NudState;
import io.neighd.testkit.EngineFixture;
import io.neighd.wire.IpAddress;
import io.neighd.wire.Ipv4Address;
import io.neighd.wire.MacAddress;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static io.neighd.testkit.EngineFixture.OUR_MAC;
import static io.neighd.testkit.EngineFixture.PEER_MAC;
import static io.neighd.testkit.EngineFixture.ip;
import static io.neighd.testkit.EngineFixture.request;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * arp_tbl: the generic table with ARP's part filled in (net/ipv4/arp.c): its name, family and key
 * length, 4-byte keys held as hi 0 / lo the address, and arp_constructor(), which gives multicast,
 * NOARP-device and loopback entries their address at once (NUD_NOARP).
 */
class ArpTableTest {
    private EngineFixture fx;
    private NeighbourTable<NetDevice> tbl;

    @BeforeEach
    void setUp() {
        fx = new EngineFixture();
        tbl = fx.engine.table();
    }

    @Test
    void theTableIsArpCacheWithFourByteInetKeys() {
        NeighTableSpec spec = tbl.spec();

        assertThat(spec).isSameAs(ArpNeighOps.SPEC);
        assertThat(spec.id()).isEqualTo("arp_cache");
        assertThat(spec.family()).isEqualTo(IpAddress.AF_INET);
        assertThat(spec.keyLen()).isEqualTo(4);
        assertThat(tbl.id()).isEqualTo("arp_cache");
        assertThat(fx.engine.tableStats().id()).isEqualTo("arp_cache");
        assertThat(fx.engine.tableStats().gcThresh3()).isEqualTo(1024);
    }

    @Test
    void anEntryIsKeyedByItsAddressAndTakesItsDevicesParms() {
        fx.receive(request(PEER_MAC, "10.0.0.2", "10.0.0.1"));

        Neighbour<NetDevice> n = fx.entry("10.0.0.2");

        assertThat(n.keyHi()).isZero();
        assertThat(n.keyLo()).isEqualTo(0x0a000002L);
        assertThat(n.key4()).isEqualTo(ip("10.0.0.2"));
        assertThat(tbl.address(n)).isEqualTo(Ipv4Address.parse("10.0.0.2"));
        assertThat(n.parms()).isSameAs(fx.nd0.arpParms());
        assertThat(n.dev()).isSameAs(fx.nd0);
    }

    /** arp_constructor() → arp_mc_map() → ip_eth_mc_map(): 01:00:5e and the group's low 23 bits. */
    @Test
    void aMulticastNeighbourIsMappedAtOnce() {
        fx.engine.addRoute(RouteSpec.parse("224.0.0.0/4 dev nd0"));

        assertThat(fx.send("10.0.0.1", "239.129.2.3")).isEqualTo(Ipv4Output.Result.SENT);

        Neighbour<NetDevice> n = fx.entry("239.129.2.3");
        assertThat(n.nudState()).isEqualTo(NudState.NOARP);
        assertThat(n.ha()).isEqualTo(MacAddress.parse("01:00:5e:01:02:03").bits());
        assertThat(fx.tx.arp()).isEmpty();
        assertThat(fx.tx.ipv4()).singleElement()
                .satisfies(s -> assertThat(s.ethDst()).isEqualTo(MacAddress.parse("01:00:5e:01:02:03")));
        assertThat(ArpNeighOps.multicastMac(ip("224.255.255.255"))).isEqualTo(0x01005e7fffffL);
    }

    /** arp_constructor(): on an IFF_NOARP device every neighbour is NOARP with the device's own address. */
    @Test
    void onANoarpDeviceEveryNeighbourIsTheDeviceItself() {
        fx.engine.setNoarp(fx.nd0, true);

        assertThat(fx.send("10.0.0.1", "10.0.0.2")).isEqualTo(Ipv4Output.Result.SENT);

        Neighbour<NetDevice> n = fx.entry("10.0.0.2");
        assertThat(n.nudState()).isEqualTo(NudState.NOARP);
        assertThat(n.ha()).isEqualTo(OUR_MAC.bits());
        assertThat(fx.tx.arp()).isEmpty();
    }

    @Test
    void onLoopbackEveryNeighbourIsNoarp() {
        NetDevice lo = fx.engine.device("lo");

        Neighbour<NetDevice> n = tbl.create(lo, ip("127.0.0.9"));

        assertThat(n.nudState()).isEqualTo(NudState.NOARP);
        assertThat(n.ha()).isEqualTo(lo.hwAddr());
    }
}
