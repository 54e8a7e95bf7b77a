package io.neighd.engine;

import io.neighd.errno.Result;
import io.neighd.arp.Reason;
import io.neighd.arp.TxKind;
import io.neighd.ip.Ipv4Output;
import io.neighd.ip.NetDevice;
import io.neighd.ip.RouteSpec;
import io.neighd.neighbour.NeighFlags;
import io.neighd.neighbour.NudState;
import io.neighd.neighbour.Pneigh;
import io.neighd.testkit.EngineFixture;
import io.neighd.testkit.RecordingTransmitter.Sent;
import io.neighd.wire.ArpOp;
import io.neighd.wire.Ipv4Address;
import io.neighd.wire.Ipv4Cidr;
import io.neighd.wire.MacAddress;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.neighd.neighbour.NudState.PERMANENT;
import static io.neighd.neighbour.NudState.STALE;
import static io.neighd.testkit.EngineFixture.OTHER_MAC;
import static io.neighd.testkit.EngineFixture.OUR_MAC;
import static io.neighd.testkit.EngineFixture.PEER_MAC;
import static io.neighd.testkit.EngineFixture.ip;
import static io.neighd.testkit.EngineFixture.reply;
import static io.neighd.testkit.EngineFixture.request;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * What device and address events do to the neighbour table and the wire: arp_netdev_event()
 * (net/ipv4/arp.c), inetdev_event() (net/ipv4/devinet.c), fib_add_ifaddr() /
 * fib_inetaddr_event() (net/ipv4/fib_frontend.c) and __neigh_ifdown() (net/core/neighbour.c).
 * nd0 is 02:aa:00:00:00:01 with 10.0.0.1/24, nd1 is 02:aa:00:00:01:01 with 10.1.0.1/24.
 *
 * <pre>
 * | Event                              | Entries of the device          | Proxy entries             | Proxy queue | Wire                        | Mirrors                      |
 * |------------------------------------|--------------------------------|---------------------------|-------------|-----------------------------|------------------------------|
 * | carrier lost, evict_nocarrier on   | all but PERMANENT, extern_valid| all of dev but permanent  | emptied     | -                           | neigh_carrier_down           |
 * | carrier lost, all or IF evict off  | kept (IN_DEV_ANDCONF)          | kept                      | kept        | -                           | arp_netdev_event             |
 * | link down                          | all, PERMANENT too             | all of dev, permanent too | emptied     | -                           | neigh_ifdown                 |
 * | MAC change                         | all, PERMANENT too             | kept                      | kept        | garp per address if notify  | neigh_changeaddr, inetdev_ev.|
 * | NOARP toggled                      | all, PERMANENT too             | kept                      | kept        | -                           | neigh_changeaddr             |
 * | link up with arp_notify            | -                              | -                         | -           | garp per address            | inetdev_event NETDEV_UP      |
 * | address added (arp_notify on)      | unresolved brd entries go      | -                         | -           | nothing                     | fib_add_ifaddr               |
 * | last address deleted               | all, PERMANENT too             | all of dev                | emptied     | -                           | fib_disable_ip → arp_ifdown  |
 * | NETDEV_NOTIFY_PEERS                | -                              | -                         | -           | garp per address, always    | inetdev_event                |
 * </pre>
 * A gratuitous request is sip = tip = the address, sha = the device's MAC, tha 0, to broadcast
 * (inetdev_send_gratuitous_arp → arp_send with dest_hw and target_hw NULL).
 */
class DeviceEventsTest {
    private static final String US = "10.0.0.1";
    private static final MacAddress ND1_MAC = MacAddress.parse("02:aa:00:00:01:01");
    private static final MacAddress NEW_MAC = MacAddress.parse("02:aa:00:00:00:99");

    private EngineFixture fx;
    private NetDevice nd0;
    private NetDevice nd1;

    @BeforeEach
    void setUp() {
        fx = new EngineFixture();
        nd0 = fx.nd0;
        nd1 = fx.addInterface("nd1", 3, ND1_MAC, "10.1.0.1/24");
    }

    // ------------------------------------------------------------------ step helpers

    private Result<Void> adminAdd(String ip, MacAddress mac, int state, int flags) {
        return fx.engine.admin().add(new NeighAdmin.Request(nd0, ip(ip), mac.bits(), state, flags, false),
                NeighAdmin.Mode.ADD);
    }

    /**
     * On nd0: 10.0.0.2 STALE, .3 REACHABLE, .4 PERMANENT, .5 INCOMPLETE with a queued packet, .6
     * STALE extern_valid; on nd1: 10.1.0.2 STALE. Proxy entries 10.1.0.50 dev nd0, 10.1.0.51 dev nd0
     * permanent, 10.1.0.52 on any device, 10.0.0.60 dev nd1; one proxied request waiting per device.
     */
    private void givenTablesOnBothDevices() {
        fx.receive(request(PEER_MAC, "10.0.0.2", US));
        fx.send(US, "10.0.0.3");
        fx.receive(reply(OTHER_MAC, "10.0.0.3", US));
        assertThat(adminAdd("10.0.0.4", PEER_MAC, NudState.NUD_PERMANENT, 0).ok()).isTrue();
        assertThat(fx.send(US, "10.0.0.5")).isEqualTo(Ipv4Output.Result.QUEUED);
        assertThat(adminAdd("10.0.0.6", PEER_MAC, NudState.NUD_STALE, NeighFlags.EXT_VALIDATED).ok()).isTrue();
        fx.receive(nd1, request(PEER_MAC, "10.1.0.2", "10.1.0.1"));

        fx.engine.admin().addProxy(ip("10.1.0.50"), nd0, false);
        fx.engine.admin().addProxy(ip("10.1.0.51"), nd0, true);
        fx.engine.admin().addProxy(ip("10.1.0.52"), null, false);
        fx.engine.admin().addProxy(ip("10.0.0.60"), nd1, false);

        for (String d : List.of("nd0", "nd1")) {
            fx.sysctl("net.ipv4.conf." + d + ".forwarding", 1);
            fx.sysctl("net.ipv4.conf." + d + ".proxy_arp", 1);
        }
        assertThat(fx.receive(request(PEER_MAC, "10.0.0.2", "10.1.0.99"))).isEqualTo(Reason.PROXY_QUEUED);
        assertThat(fx.receive(nd1, request(PEER_MAC, "10.1.0.2", "10.0.0.99"))).isEqualTo(Reason.PROXY_QUEUED);
        assertThat(fx.engine.table().proxyQueueLength()).isEqualTo(2);

        assertThat(fx.engine.neighbours(nd0, 0x1ff)).hasSize(5);
        fx.tx.clear();
        fx.events.clear();
    }

    private List<String> entriesOf(NetDevice dev) {
        return fx.engine.neighbours(dev, 0x1ff).stream().map(s -> s.dst() + " " + s.state()).sorted().toList();
    }

    private List<String> proxies() {
        return fx.engine.table().pneighs().stream()
                .map(p -> p.key() + " " + (p.devName() == null ? "*" : p.devName()) + (p.permanent() ? " permanent" : ""))
                .sorted().toList();
    }

    private static void assertGratuitous(Sent s, String dev, MacAddress mac, String addr) {
        assertThat(s.dev()).isEqualTo(dev);
        assertThat(s.ethDst()).isEqualTo(MacAddress.BROADCAST);
        assertThat(s.decoded().ethSrc).isEqualTo(mac.bits());
        assertThat(s.arp().op()).isEqualTo(ArpOp.REQUEST);
        assertThat(s.arp().senderMac()).isEqualTo(mac);
        assertThat(s.arp().senderIp()).isEqualTo(Ipv4Address.parse(addr));
        assertThat(s.arp().targetMac()).isEqualTo(MacAddress.ZERO);
        assertThat(s.arp().targetIp()).isEqualTo(Ipv4Address.parse(addr));
    }

    private void assertProxyQueueEmptiedForGood() {
        assertThat(fx.engine.table().proxyQueueLength()).isZero();
        assertThat(nd0.arpParms().proxyQueueLength()).isZero();
        assertThat(nd1.arpParms().proxyQueueLength()).isZero();
        fx.advanceJiffies(250);
        assertThat(fx.tx.arp()).as("no delayed proxy reply survives").isEmpty();
    }

    // ------------------------------------------------------------------ carrier

    @Nested
    class CarrierLoss {
        @BeforeEach
        void tables() {
            givenTablesOnBothDevices();
        }

        /** neigh_carrier_down(): skip_perm keeps PERMANENT and NTF_EXT_VALIDATED entries and permanent proxies. */
        @Test
        void evictsAllButPermanentAndExternallyValidatedEntries() {
            assertThat(fx.engine.setCarrier(nd0, false)).isEqualTo(3);

            assertThat(entriesOf(nd0)).containsExactly("10.0.0.4 PERMANENT", "10.0.0.6 STALE");
            assertThat(entriesOf(nd1)).containsExactly("10.1.0.2 STALE");
            assertThat(fx.events.events()).containsExactlyInAnyOrder("DELNEIGH 10.0.0.2 STALE",
                    "DELNEIGH 10.0.0.3 REACHABLE", "DELNEIGH 10.0.0.5 INCOMPLETE");
            assertThat(fx.linkFailures).as("neigh_destroy purges the queue without error reports").isEmpty();
            assertThat(fx.engine.stats().resFailed).isZero();
            assertThat(fx.engine.stats().destroys).isEqualTo(3);
        }

        /** pneigh_ifdown(skip_perm): only the device's own non-permanent proxies; device-less ones stay. */
        @Test
        void keepsPermanentProxiesAndThoseOfOtherOrNoDevice() {
            fx.engine.setCarrier(nd0, false);

            assertThat(proxies()).containsExactly("10.0.0.60 nd1", "10.1.0.51 nd0 permanent", "10.1.0.52 *");
        }

        /** pneigh_queue_purge() is given the namespace: every device's waiting request goes. */
        @Test
        void emptiesTheWholeProxyQueue() {
            fx.engine.setCarrier(nd0, false);

            assertProxyQueueEmptiedForGood();
        }

        /** IN_DEV_ARP_EVICT_NOCARRIER is IN_DEV_ANDCONF: either switch off keeps everything. */
        @Test
        void allOffKeepsEverything() {
            fx.sysctl("net.ipv4.conf.all.arp_evict_nocarrier", 0);

            assertThat(fx.engine.setCarrier(nd0, false)).isZero();

            assertThat(entriesOf(nd0)).hasSize(5);
            assertThat(fx.engine.table().proxyQueueLength()).isEqualTo(2);
            assertThat(fx.events.events()).isEmpty();
        }

        @Test
        void interfaceOffKeepsEverything() {
            fx.sysctl("net.ipv4.conf.nd0.arp_evict_nocarrier", 0);

            assertThat(fx.engine.setCarrier(nd0, false)).isZero();

            assertThat(entriesOf(nd0)).hasSize(5);
            assertThat(proxies()).hasSize(4);
        }

        @Test
        void onByDefault() {
            assertThat(fx.engine.sysctl().get("net.ipv4.conf.all.arp_evict_nocarrier")).isEqualTo(1);
            assertThat(fx.engine.sysctl().get("net.ipv4.conf.nd0.arp_evict_nocarrier")).isEqualTo(1);
        }

        /** Only losing the carrier evicts (NETDEV_CHANGE with !netif_carrier_ok). */
        @Test
        void regainingTheCarrierDoesNothing() {
            fx.engine.setCarrier(nd0, false);
            fx.events.clear();

            assertThat(fx.engine.setCarrier(nd0, true)).isZero();

            assertThat(entriesOf(nd0)).hasSize(2);
            assertThat(fx.events.events()).isEmpty();
        }
    }

    // ------------------------------------------------------------------ link down

    @Nested
    class LinkDown {
        @BeforeEach
        void tables() {
            givenTablesOnBothDevices();
        }

        /** NETDEV_DOWN → fib_disable_ip → arp_ifdown → neigh_ifdown(): no skip_perm. */
        @Test
        void removesEveryEntryOfTheDevice() {
            fx.engine.setUp(nd0, false);

            assertThat(entriesOf(nd0)).isEmpty();
            assertThat(entriesOf(nd1)).containsExactly("10.1.0.2 STALE");
            assertThat(fx.events.events()).containsExactlyInAnyOrder("DELNEIGH 10.0.0.2 STALE",
                    "DELNEIGH 10.0.0.3 REACHABLE", "DELNEIGH 10.0.0.4 PERMANENT", "DELNEIGH 10.0.0.5 INCOMPLETE",
                    "DELNEIGH 10.0.0.6 STALE");
            assertThat(fx.engine.table().entries()).isEqualTo(1);
            assertThat(fx.engine.table().gcEntries()).isEqualTo(1);
        }

        @Test
        void removesEveryProxyOfTheDevicePermanentOnesToo() {
            fx.engine.setUp(nd0, false);

            assertThat(proxies()).containsExactly("10.0.0.60 nd1", "10.1.0.52 *");
            assertProxyQueueEmptiedForGood();
        }

        @Test
        void aDownDeviceIgnoresFrames() {
            fx.engine.setUp(nd0, false);

            assertThat(fx.receive(request(PEER_MAC, "10.0.0.2", US))).isEqualTo(Reason.DEVICE_DOWN);
            assertThat(entriesOf(nd0)).isEmpty();
            assertThat(fx.tx.all()).isEmpty();
        }
    }

    // ------------------------------------------------------------------ address of the device

    @Nested
    class MacChange {
        @BeforeEach
        void tables() {
            givenTablesOnBothDevices();
        }

        /** NETDEV_CHANGEADDR → neigh_changeaddr(): neigh_flush_dev without skip_perm; proxies are not touched. */
        @Test
        void flushesEveryEntryButNoProxy() {
            fx.engine.setHwAddr(nd0, NEW_MAC);

            assertThat(entriesOf(nd0)).isEmpty();
            assertThat(entriesOf(nd1)).hasSize(1);
            assertThat(fx.events.events()).hasSize(5).allMatch(e -> e.startsWith("DELNEIGH 10.0.0."));
            assertThat(proxies()).hasSize(4);
            assertThat(fx.engine.table().proxyQueueLength()).isEqualTo(2);
            assertThat(fx.tx.all()).as("arp_notify is 0").isEmpty();
        }

        /** inetdev_event(): NETDEV_CHANGEADDR falls through to the gratuitous ARP when arp_notify is on. */
        @Test
        void announcesTheNewAddressWithArpNotify() {
            fx.engine.addAddress(nd0, Ipv4Cidr.parse("10.0.0.9/24"));
            fx.sysctl("net.ipv4.conf.nd0.arp_notify", 1);

            fx.engine.setHwAddr(nd0, NEW_MAC);

            List<Sent> sent = fx.tx.arp();
            assertThat(sent).hasSize(2);
            assertGratuitous(sent.get(0), "nd0", NEW_MAC, "10.0.0.1");
            assertGratuitous(sent.get(1), "nd0", NEW_MAC, "10.0.0.9");
            assertThat(fx.engine.arpStats().of(nd0.ifindex()).sent(TxKind.GRATUITOUS)).isEqualTo(2);
        }

        /** The IFF_NOARP flag changing is handled like an address change (arp_netdev_event, NETDEV_CHANGE). */
        @Test
        void togglingNoarpFlushesTheSame() {
            fx.engine.setNoarp(nd0, true);

            assertThat(entriesOf(nd0)).isEmpty();
            assertThat(proxies()).hasSize(4);
        }
    }

    @Nested
    class LinkUp {
        private NetDevice nd2;
        private final MacAddress nd2Mac = MacAddress.parse("02:aa:00:00:02:01");

        @BeforeEach
        void deviceDownWithTwoAddresses() {
            nd2 = fx.engine.addDevice("nd2", 4, nd2Mac, 1500, -1);
            fx.engine.addAddress(nd2, Ipv4Cidr.parse("10.2.0.1/24"));
            fx.engine.addAddress(nd2, Ipv4Cidr.parse("10.2.0.9/24"));
            fx.engine.setCarrier(nd2, true);
        }

        /** NETDEV_UP falls through to NETDEV_CHANGEADDR: one request per address, primary first. */
        @Test
        void upWithArpNotifyAnnouncesEveryAddress() {
            fx.sysctl("net.ipv4.conf.nd2.arp_notify", 1);

            fx.engine.setUp(nd2, true);

            List<Sent> sent = fx.tx.arp();
            assertThat(sent).hasSize(2);
            assertGratuitous(sent.get(0), "nd2", nd2Mac, "10.2.0.1");
            assertGratuitous(sent.get(1), "nd2", nd2Mac, "10.2.0.9");
        }

        @Test
        void upWithoutArpNotifySendsNothing() {
            fx.engine.setUp(nd2, true);

            assertThat(fx.tx.all()).isEmpty();
        }

        /**
         * fib_netdev_event(NETDEV_UP) runs fib_add_ifaddr() for every address, and that calls
         * arp_invalidate() for the subnet broadcast (and an explicit one): one neigh_lookup each,
         * which /proc/net/stat/arp_cache counts. The primary 10.2.0.1/24 has the subnet broadcast
         * 10.2.0.255; the secondary 10.2.0.9/24 adds no broadcast route of its own.
         */
        @Test
        void upLooksUpTheBroadcastAddressesAsFibAddIfaddrDoes() {
            long lookups = fx.engine.stats().lookups;

            fx.engine.setUp(nd2, true);

            assertThat(fx.engine.stats().lookups - lookups).isEqualTo(1);
        }

        /** IN_DEV_ARP_NOTIFY is IN_DEV_MAXCONF: all=1 is enough. */
        @Test
        void allArpNotifyIsEnough() {
            fx.sysctl("net.ipv4.conf.all.arp_notify", 1);

            fx.engine.setUp(nd2, true);

            assertThat(fx.tx.arp()).hasSize(2);
        }
    }

    /** inetdev_event() has no case for address addition: a new address is not announced, arp_notify or not. */
    @Test
    void addingAnAddressAnnouncesNothing() {
        fx.sysctl("net.ipv4.conf.nd0.arp_notify", 1);

        fx.engine.addAddress(nd0, Ipv4Cidr.parse("10.0.0.9/24"));
        fx.engine.addAddress(nd0, Ipv4Cidr.parse("10.7.0.1/24"));

        assertThat(fx.tx.all()).isEmpty();
    }

    /** NETDEV_NOTIFY_PEERS sends whatever arp_notify says. */
    @Test
    void notifyPeersAlwaysAnnounces() {
        fx.engine.addAddress(nd0, Ipv4Cidr.parse("10.0.0.9/24"));
        assertThat(fx.engine.sysctl().get("net.ipv4.conf.nd0.arp_notify")).isZero();

        assertThat(fx.engine.announce(nd0)).isEqualTo(2);

        List<Sent> sent = fx.tx.arp();
        assertThat(sent).hasSize(2);
        assertGratuitous(sent.get(0), "nd0", OUR_MAC, "10.0.0.1");
        assertGratuitous(sent.get(1), "nd0", OUR_MAC, "10.0.0.9");
        assertThat(fx.engine.table().entries()).as("announcing learns nothing").isZero();
    }

    /**
     * dev_queue_xmit() on a down device, or one whose carrier is gone (linkwatch_do_dev →
     * dev_deactivate), meets noop_qdisc: the frame is dropped; the state machine goes on regardless.
     */
    @Nested
    class NothingLeavesWithoutLink {
        @Test
        void aDownDeviceSendsNothing() {
            NetDevice nd2 = fx.engine.addDevice("nd2", 4, MacAddress.parse("02:aa:00:00:02:01"), 1500, -1);
            fx.engine.setCarrier(nd2, true);
            fx.engine.addAddress(nd2, Ipv4Cidr.parse("10.2.0.1/24"));

            Result<Void> r = fx.engine.admin().add(new NeighAdmin.Request(nd2, ip("10.2.0.2"), -1L,
                    NudState.NUD_PERMANENT, 0, true), NeighAdmin.Mode.ADD);
            fx.engine.announce(nd2);
            fx.advanceJiffies(753);

            assertThat(r.ok()).isTrue();
            assertThat(fx.engine.neighbour(nd2, ip("10.2.0.2")).state()).isEqualTo(NudState.FAILED);
            assertThat(fx.engine.neighbour(nd2, ip("10.2.0.2")).probes()).isEqualTo(6);
            assertThat(fx.tx.all()).isEmpty();
            assertThat(fx.engine.arpStats().of(nd2.ifindex()).sent(TxKind.REQUEST)).isZero();
        }

        @Test
        void withoutCarrierProbesAndPacketsAreDropped() {
            fx.sysctl("net.ipv4.conf.nd0.arp_evict_nocarrier", 0);
            fx.receive(request(PEER_MAC, "10.0.0.2", US));
            fx.tx.clear();
            fx.engine.setCarrier(nd0, false);

            assertThat(fx.send(US, "10.0.0.3")).isEqualTo(Ipv4Output.Result.QUEUED);
            assertThat(fx.send(US, "10.0.0.2")).as("STALE: handed to the device").isEqualTo(Ipv4Output.Result.SENT);
            fx.engine.announce(nd0);
            fx.advanceJiffies(753);

            assertThat(fx.tx.all()).isEmpty();
            assertThat(fx.state("10.0.0.3")).isEqualTo(NudState.FAILED);

            fx.engine.setCarrier(nd0, true);
            fx.send(US, "10.0.0.3");
            assertThat(fx.tx.arp()).hasSize(1);
        }
    }

    // ------------------------------------------------------------------ addresses

    @Nested
    class LastAddressDeleted {
        @BeforeEach
        void tables() {
            givenTablesOnBothDevices();
        }

        /** fib_inetaddr_event(NETDEV_DOWN) with an empty ifa_list → fib_disable_ip() → arp_ifdown(). */
        @Test
        void flushesTheDeviceLikeLinkDown() {
            assertThat(fx.engine.deleteAddress(nd0, Ipv4Address.parse(US)).ok()).isTrue();

            assertThat(entriesOf(nd0)).isEmpty();
            assertThat(entriesOf(nd1)).hasSize(1);
            assertThat(proxies()).containsExactly("10.0.0.60 nd1", "10.1.0.52 *");
            assertProxyQueueEmptiedForGood();
        }

        @Test
        void anotherAddressLeftKeepsEverything() {
            fx.engine.addAddress(nd0, Ipv4Cidr.parse("10.9.0.1/24"));
            fx.events.clear();

            assertThat(fx.engine.deleteAddress(nd0, Ipv4Address.parse(US)).ok()).isTrue();

            assertThat(entriesOf(nd0)).hasSize(5);
            assertThat(fx.events.events()).isEmpty();
            assertThat(fx.engine.deleteAddress(nd0, Ipv4Address.parse("10.9.0.1")).ok()).isTrue();
            assertThat(entriesOf(nd0)).isEmpty();
        }

        /** Deleting a primary takes its secondaries with it (promote_secondaries 0): that empties the list too. */
        @Test
        void deletingThePrimaryWithItsSecondariesIsTheLastAddress() {
            fx.engine.addAddress(nd0, Ipv4Cidr.parse("10.0.0.9/24"));

            fx.engine.deleteAddress(nd0, Ipv4Address.parse(US));

            assertThat(nd0.addresses()).isEmpty();
            assertThat(entriesOf(nd0)).isEmpty();
        }
    }

    /**
     * fib_add_ifaddr() → arp_invalidate(dev, brd, false) for the explicit and the network broadcast:
     * an unresolved entry for an address that is now a broadcast address is failed and removed, a
     * resolved one is kept.
     */
    @Nested
    class AddressAdded {
        @BeforeEach
        void routesOutOfNd0() {
            fx.engine.addRoute(RouteSpec.parse("10.0.5.0/24 dev nd0"));
        }

        @Test
        void anUnresolvedEntryForTheNewBroadcastIsFailedAndRemoved() {
            assertThat(fx.send(US, "10.0.5.255")).isEqualTo(Ipv4Output.Result.QUEUED);
            fx.events.clear();

            fx.engine.addAddress(nd0, Ipv4Cidr.parse("10.0.5.1/24"));

            assertThat(fx.entry("10.0.5.255")).isNull();
            assertThat(fx.events.events()).containsExactly("NEWNEIGH 10.0.5.255 FAILED", "DELNEIGH 10.0.5.255 FAILED");
            assertThat(fx.engine.stats().resFailed).as("INCOMPLETE → FAILED invalidates").isEqualTo(1);
            assertThat(fx.linkFailures).hasSize(1);
        }

        @Test
        void aFailedEntryIsRemovedWithoutAnotherNotification() {
            fx.send(US, "10.0.5.255");
            fx.advanceJiffies(753);
            assertThat(fx.state("10.0.5.255")).isEqualTo(NudState.FAILED);
            fx.events.clear();

            fx.engine.addAddress(nd0, Ipv4Cidr.parse("10.0.5.1/24"));

            assertThat(fx.entry("10.0.5.255")).isNull();
            assertThat(fx.events.events()).containsExactly("DELNEIGH 10.0.5.255 FAILED");
        }

        @Test
        void aResolvedEntryIsKept() {
            fx.receive(request(PEER_MAC, "10.0.6.255", US));
            assertThat(fx.state("10.0.6.255")).isEqualTo(STALE);
            fx.events.clear();

            fx.engine.addAddress(nd0, Ipv4Cidr.parse("10.0.6.1/24"));

            assertThat(fx.state("10.0.6.255")).isEqualTo(STALE);
            assertThat(fx.events.events()).isEmpty();
        }

        @Test
        void aPermanentEntryIsKept() {
            assertThat(adminAdd("10.0.5.255", PEER_MAC, NudState.NUD_PERMANENT, 0).ok()).isTrue();

            fx.engine.addAddress(nd0, Ipv4Cidr.parse("10.0.5.1/24"));

            assertThat(fx.state("10.0.5.255")).isEqualTo(PERMANENT);
        }

        /** fib_add_ifaddr() returns before the broadcast routes when the device is down. */
        @Test
        void nothingIsInvalidatedOnADownDevice() {
            assertThat(fx.send(US, "10.0.5.255")).isEqualTo(Ipv4Output.Result.QUEUED);
            NetDevice nd2 = fx.engine.addDevice("nd2", 4, MacAddress.parse("02:aa:00:00:02:01"), 1500, -1);
            long lookups = fx.engine.stats().lookups;

            fx.engine.addAddress(nd2, Ipv4Cidr.parse("10.2.0.1/24"));

            assertThat(fx.engine.stats().lookups).isEqualTo(lookups);
            assertThat(fx.state("10.0.5.255")).isEqualTo(NudState.INCOMPLETE);
        }
    }

    @Test
    void proxyEntriesAreReportedWithTheirDevice() {
        Pneigh p = fx.engine.admin().addProxy(ip("10.1.0.50"), nd0, true);
        assertThat(p.devName()).isEqualTo("nd0");
        assertThat(p.permanent()).isTrue();
    }
}
