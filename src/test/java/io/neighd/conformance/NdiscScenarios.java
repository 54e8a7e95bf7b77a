package io.neighd.conformance;

import io.neighd.lab.Lab;
import io.neighd.testkit.Nd6;
import io.neighd.wire.MacAddress;

import java.util.List;

import static io.neighd.conformance.Scenarios.NEW_MAC;

/**
 * IPv6 neighbour discovery (ndisc.c, addrconf.c's DAD) side by side with the reference kernel.
 * Segment 0 carries fd77::/64: the DUT is fd77::1 and fe80::4e:44ff:fe00:1, peer i is
 * fd77::(10+i) and fe80::4e:44ff:fe00:(10+i). The captures of these scenarios let ICMPv6 in;
 * MLD reports (behind a hop-by-hop header) stay out, as they do of neighd's own capture, and so do
 * router solicitations: the reference kernel keeps sending them with exponential backoff
 * (router_solicitations -1) after its links came up, neighd sends none (it configures no address
 * from router advertisements; docs/ipv6.md).
 */
final class NdiscScenarios {
    /** Every IPv6 scenario's name starts with this. */
    static final String PREFIX = "ipv6-";
    static final String OWN6 = Lab.ownIp6(0);
    static final String OWN_LL = Lab.portLinkLocal(0);
    static final String NOBODY6 = "fd77::99";
    private static final MacAddress DUT_MAC = MacAddress.parse(Lab.portMac(0));

    private NdiscScenarios() {
    }

    static boolean isIpv6(Scenario s) {
        return s.name().startsWith(PREFIX);
    }

    /** The ICMPv6 frames compared right after the IPv6 header: all but router solicitations (and MLD, behind its hop-by-hop header). */
    static boolean compared(io.neighd.lab.Frame f) {
        return f.isIcmp6() && f.icmp6().type() != io.neighd.wire.Icmpv6.ROUTER_SOLICITATION;
    }

    static String p6(int i) {
        return Lab.peerIp6(0, i);
    }

    static String pll(int i) {
        return Lab.peerLinkLocal(0, i);
    }

    static MacAddress pm(int i) {
        return MacAddress.parse(Lab.peerMac(0, i));
    }

    /** net.ipv6.conf.nd0.KEY */
    static String conf6(String key) {
        return "net.ipv6.conf.nd0." + key;
    }

    /** net.ipv6.neigh.nd0.KEY */
    static String neigh6(String key) {
        return "net.ipv6.neigh.nd0." + key;
    }

    /** ndisc6 from peer i: one solicitation for {@code target}, waiting at most a second for the answer. */
    static void ndisc6(Run r, int i, String target) {
        ndisc6(r, 0, i, target);
    }

    /** The same from peer i of segment {@code seg}. */
    static void ndisc6(Run r, int seg, int i, String target) {
        r.lab.exec(r.peer(seg, i), "ndisc6", "-r", "1", "-w", "1000", target, "eth0");
    }

    /** ping -6 from peer i, once, waiting at most a second. */
    static void ping6(Run r, int i, String dst) {
        r.ping(0, i, "-6", "-c", "1", "-W", "1", dst);
    }

    /** Peer i's NA for its own address {@code src} to {@code dst} with {@code flags} and the MAC {@code tllao}. */
    static byte[] na(int i, String src, String dst, int flags, String tllao) {
        return Nd6.na(pm(i), src, dst, src, flags, MacAddress.parse(tllao).bits(), DUT_MAC);
    }

    /**
     * {@code frame} (an untagged IPv6 ICMPv6 frame) changed by {@code change}, its ICMPv6 checksum
     * computed again, so that only the change is wrong.
     */
    static byte[] changed(byte[] frame, java.util.function.Consumer<byte[]> change) {
        byte[] f = frame.clone();
        change.accept(f);
        int ip = 14;
        int m = ip + io.neighd.wire.Ipv6Packet.HEADER;
        int len = io.neighd.wire.Ipv6Packet.payloadLength(f, ip);
        f[m + 2] = 0;
        f[m + 3] = 0;
        io.neighd.wire.Ipv6Address s = io.neighd.wire.Ipv6Address.of(f, ip + 8);
        io.neighd.wire.Ipv6Address d = io.neighd.wire.Ipv6Address.of(f, ip + 24);
        io.neighd.wire.Icmpv6.fillChecksum(f, m, len, s.hi(), s.lo(), d.hi(), d.lo());
        return f;
    }

    /** The ICMPv6 message's first byte in an untagged frame. */
    private static final int ICMP = 14 + 40;

    static List<Scenario> all() {
        List<Scenario> all = new java.util.ArrayList<>(basics());
        all.addAll(more());
        all.addAll(interfacesRoutersAndTiming());
        return all;
    }

    private static List<Scenario> interfacesRoutersAndTiming() {
        return List.of(
                Scenario.of("ipv6-ns-other-interface-address", "p1 solicits fd78::1, nd1's address, on nd0: IPv6 "
                                + "answers only for the receiving interface's addresses")
                        .script(r -> ndisc6(r, 1, Lab.ownIp6(1))).build(),
                Scenario.of("ipv6-ns-nd1", "segment 1: p1 solicits fd78::1")
                        .script(r -> ndisc6(r, 1, 1, Lab.ownIp6(1))).build(),
                Scenario.of("ipv6-ping-from-dut-nd1", "the DUT pings fd78::11 through nd1")
                        .script(r -> r.dut.ping(Lab.peerIp6(1, 1), 1, 100)).build(),
                Scenario.of("ipv6-ns-for-tentative-address", "fd77::57/64 is added; while DAD runs p1 solicits it "
                                + "(from its own address): not answered, the sender not learnt; the DAD probe after a "
                                + "random delay below rtr_solicit_delay")
                        .script(r -> {
                            r.dut.address("nd0", "fd77::57/64", null);
                            r.frame(0, 1, Nd6.ns(pm(1), p6(1), "fd77::57"));
                        }).settle(2500).randomDelay(1000).build(),
                Scenario.of("ipv6-dad-collision-while-tentative", "rtr_solicit_delay 0: fd77::57/64 is added and "
                                + "probed at once; p1 probes the same address for DAD: the DUT's DAD fails, no more "
                                + "probes")
                        .knob(conf6("router_solicitation_delay"), 0)
                        .script(r -> {
                            r.dut.address("nd0", "fd77::57/64", null);
                            r.frame(0, 1, Nd6.dadNs(pm(1), "fd77::57", 0x4242_4242L));
                        }).settle(2500).build(),
                Scenario.of("ipv6-stale-use-mcast_resolicit-2", "p1's link-local address is learnt; p1 leaves: "
                                + "unicast NS in PROBE, then two multicast ones, then FAILED")
                        .knob(neigh6("delay_first_probe_time"), 1)
                        .knob(neigh6("retrans_time_ms"), 200)
                        .knob(neigh6("mcast_resolicit"), 2)
                        .script(r -> {
                            ndisc6(r, 1, OWN6);
                            r.peerPort(0, 1, false);
                        }).settle(2600).timers(1000, 200, 200, 200, 200, 200).build(),
                Scenario.of("ipv6-na-confirms-delay", "p1's link-local address is learnt (DELAY); its solicited NA "
                                + "without override and with the same MAC confirms it: REACHABLE")
                        .script(r -> {
                            ndisc6(r, 1, OWN6);
                            r.mark();
                            r.frame(0, 1, na(1, pll(1), OWN_LL, Nd6.S, Lab.peerMac(0, 1)));
                        }).build(),
                Scenario.of("ipv6-ra-default-router-ping", "p3 advertises itself as default router (lifetime 3 s); "
                                + "the DUT pings fd99::1, off-link: through p3, already known from the RA")
                        .script(r -> {
                            r.frame(0, 3, Nd6.ra(pm(3), pll(3), 0, 3, 0, 0, pm(3).bits()));
                            r.sleep(100);
                            r.mark();
                            r.dut.ping("fd99::1", 1, 100);
                        }).build(),
                Scenario.of("ipv6-proxy-unicast-ns", "all.forwarding and all.proxy_ndp; proxy fd77::99 dev nd0; p1 "
                                + "solicits it unicast to the DUT's MAC: the forward path hands it to ndisc, "
                                + "answered at once")
                        .knob("net.ipv6.conf.all.forwarding", 1)
                        .knob("net.ipv6.conf.all.proxy_ndp", 1)
                        .script(r -> {
                            r.dut.proxy(NOBODY6, "nd0");
                            r.frame(0, 1, Nd6.ns(pm(1), p6(1), NOBODY6, NOBODY6, pm(1).bits(), DUT_MAC));
                        }).build());
    }

    private static List<Scenario> more() {
        return List.of(
                Scenario.of("ipv6-ns-target-multicast", "a solicitation whose target is ff02::1: dropped")
                        .script(r -> r.frame(0, 1, Nd6.ns(pm(1), p6(1), "ff02::1:ff00:1", "ff02::1", pm(1).bits(),
                                null))).build(),
                Scenario.of("ipv6-ns-bad-checksum", "a solicitation for fd77::1 with a wrong checksum: dropped")
                        .script(r -> {
                            byte[] f = Nd6.ns(pm(1), p6(1), OWN6);
                            f[ICMP + 2] ^= 0x55;
                            r.frame(0, 1, f);
                        }).build(),
                Scenario.of("ipv6-ns-code-1", "a solicitation for fd77::1 with ICMPv6 code 1: dropped")
                        .script(r -> r.frame(0, 1, changed(Nd6.ns(pm(1), p6(1), OWN6), f -> f[ICMP + 1] = 1)))
                        .build(),
                Scenario.of("ipv6-ns-source-multicast", "a solicitation from a multicast source: dropped")
                        .script(r -> r.frame(0, 1, Nd6.ns(pm(1), "ff02::5", "ff02::1:ff00:1", OWN6, pm(1).bits(),
                                null))).build(),
                Scenario.of("ipv6-ns-to-other-host", "a solicitation unicast to a MAC that is not the DUT's")
                        .script(r -> r.frame(0, 1, Nd6.ns(pm(1), p6(1), OWN6, OWN6, pm(1).bits(),
                                MacAddress.parse("02:00:00:00:00:77")))).build(),
                Scenario.of("ipv6-dad-probe-with-sllao", "a DAD probe for fd77::1 carrying a source link-layer "
                                + "address option: dropped")
                        .script(r -> r.frame(0, 1, Nd6.ns(pm(1), "::", "ff02::1:ff00:1", OWN6, pm(1).bits(), null)))
                        .build(),
                Scenario.of("ipv6-dad-probe-unicast", "a DAD probe for fd77::1 sent to fd77::1 itself, not to its "
                                + "solicited-node group: dropped")
                        .script(r -> r.frame(0, 1, Nd6.ns(pm(1), "::", OWN6, OWN6, Nd6.NONE, DUT_MAC))).build(),
                Scenario.of("ipv6-ns-sllao-moves-known-entry", "p1 is REACHABLE; it solicits fd77::1 from a new MAC: "
                                + "the entry takes the new MAC (STALE), the NA goes to it")
                        .script(r -> {
                            r.dut.resolve("nd0", p6(1));
                            r.sleep(200);
                            r.mark();
                            r.frame(0, 1, Nd6.ns(pm(1), p6(1), "ff02::1:ff00:1", OWN6,
                                    MacAddress.parse(NEW_MAC).bits(), null));
                        }).build(),
                Scenario.of("ipv6-na-solicited-to-multicast", "a solicited NA sent to ff02::1: dropped")
                        .script(r -> {
                            r.dut.resolve("nd0", NOBODY6);
                            r.mark();
                            r.frame(0, 2, Nd6.na(pm(2), NOBODY6, "ff02::1", NOBODY6, Nd6.S | Nd6.O, pm(2).bits(),
                                    null));
                        }).build(),
                Scenario.of("ipv6-na-completes-incomplete-solicited", "the DUT resolves fd77::99; p2 answers for it "
                                + "with a solicited NA: REACHABLE at p2's MAC")
                        .script(r -> {
                            r.dut.resolve("nd0", NOBODY6);
                            r.mark();
                            r.frame(0, 2, Nd6.na(pm(2), NOBODY6, OWN_LL, NOBODY6, Nd6.S | Nd6.O, pm(2).bits(), DUT_MAC));
                        }).build(),
                Scenario.of("ipv6-na-completes-incomplete-unsolicited", "the DUT resolves fd77::99; p2 advertises "
                                + "it unsolicited: STALE at p2's MAC")
                        .script(r -> {
                            r.dut.resolve("nd0", NOBODY6);
                            r.mark();
                            r.frame(0, 2, Nd6.na(pm(2), NOBODY6, "ff02::1", NOBODY6, Nd6.O, pm(2).bits(), null));
                        }).build(),
                Scenario.of("ipv6-na-without-tllao-incomplete", "the DUT resolves fd77::99; a solicited NA without "
                                + "a target link-layer address: the entry stays INCOMPLETE")
                        .script(r -> {
                            r.dut.resolve("nd0", NOBODY6);
                            r.mark();
                            r.frame(0, 2, Nd6.na(pm(2), NOBODY6, OWN_LL, NOBODY6, Nd6.S | Nd6.O, Nd6.NONE, DUT_MAC));
                        }).build(),
                Scenario.of("ipv6-na-override-reachable", "p1 is REACHABLE; a solicited NA with override and a new "
                                + "MAC: REACHABLE at the new MAC")
                        .script(r -> {
                            r.dut.resolve("nd0", p6(1));
                            r.sleep(200);
                            r.mark();
                            r.frame(0, 1, na(1, p6(1), OWN6, Nd6.S | Nd6.O, NEW_MAC));
                        }).build(),
                Scenario.of("ipv6-permanent-not-changed-by-na", "fd77::11 is PERMANENT at another MAC; p1 "
                                + "advertises itself with override")
                        .script(r -> {
                            r.dut.neighbour("nd0", p6(1), NEW_MAC, "permanent");
                            r.frame(0, 1, na(1, p6(1), "ff02::1", Nd6.O, Lab.peerMac(0, 1)));
                        }).build(),
                Scenario.of("ipv6-resolve-mcast_solicit-1", "mcast_solicit 1: one NS, then FAILED")
                        .knob(neigh6("retrans_time_ms"), 200)
                        .knob(neigh6("mcast_solicit"), 1)
                        .script(r -> r.dut.resolve("nd0", NOBODY6)).settle(500).build(),
                Scenario.of("ipv6-stale-use-peer-gone-failed", "p1's link-local address is learnt (DELAY after the "
                                + "NA); p1 leaves: ucast_solicit unicast NS in PROBE, then FAILED")
                        .knob(neigh6("delay_first_probe_time"), 1)
                        .knob(neigh6("retrans_time_ms"), 200)
                        .script(r -> {
                            ndisc6(r, 1, OWN6);
                            r.peerPort(0, 1, false);
                        }).settle(2200).timers(1000, 200, 200, 200).build(),
                Scenario.of("ipv6-forwarding-na-router", "forwarding on: p1 solicits fd77::1; the NA says R")
                        .knob(conf6("forwarding"), 1)
                        .script(r -> ndisc6(r, 1, OWN6)).build(),
                Scenario.of("ipv6-anycast", "forwarding on: p1 solicits fd77:: (the subnet-router anycast address): "
                                + "answered after a random delay below anycast_delay, without override")
                        .knob(conf6("forwarding"), 1)
                        .script(r -> ndisc6(r, 1, "fd77::")).settle(1300).randomDelay(1000).build(),
                Scenario.of("ipv6-drop_unicast_in_l2_multicast", "drop_unicast_in_l2_multicast 1: an NS for "
                                + "fd77::1 to fd77::1 in a multicast Ethernet frame is dropped")
                        .knob(conf6("drop_unicast_in_l2_multicast"), 1)
                        .script(r -> r.frame(0, 1, Nd6.frame(0x3333ff000001L, pm(1),
                                java.util.Arrays.copyOfRange(Nd6.ns(pm(1), p6(1), OWN6, OWN6, pm(1).bits(), DUT_MAC),
                                        14, 14 + 40 + 32)))).build(),
                Scenario.of("ipv6-unicast-in-l2-multicast", "the same frame with the knob off: answered")
                        .script(r -> r.frame(0, 1, Nd6.frame(0x3333ff000001L, pm(1),
                                java.util.Arrays.copyOfRange(Nd6.ns(pm(1), p6(1), OWN6, OWN6, pm(1).bits(), DUT_MAC),
                                        14, 14 + 40 + 32)))).build(),
                Scenario.of("ipv6-address-accept_dad-0", "accept_dad 0: fd77::57/64 is added without a probe")
                        .knob(conf6("accept_dad"), 0)
                        .script(r -> r.dut.address("nd0", "fd77::57/64", null)).settle(2500).build(),
                Scenario.of("ipv6-address-dad_transmits-2", "dad_transmits 2: two probes retrans_time apart")
                        .knob(conf6("dad_transmits"), 2)
                        .knob(conf6("router_solicitation_delay"), 0)
                        .script(r -> r.dut.address("nd0", "fd77::57/64", null)).settle(3500).timers(1000).build(),
                Scenario.of("ipv6-address-ndisc_notify", "ndisc_notify 1: after DAD, an unsolicited NA for the new "
                                + "address")
                        .knob(conf6("ndisc_notify"), 1)
                        .knob(conf6("router_solicitation_delay"), 0)
                        .script(r -> r.dut.address("nd0", "fd77::57/64", null)).settle(2800).timers(1000).build());
    }

    private static List<Scenario> basics() {
        return List.of(
                Scenario.of("ipv6-ns-own-address", "p1 solicits fd77::1 (ndisc6): a solicited NA from fd77::1 with "
                                + "our MAC; p1 learnt from its SLLAO, the NA sent through that entry (DELAY)")
                        .script(r -> ndisc6(r, 1, OWN6)).build(),
                Scenario.of("ipv6-ns-link-local", "p1 solicits the DUT's link-local address from its own")
                        .script(r -> ndisc6(r, 1, OWN_LL)).build(),
                Scenario.of("ipv6-ns-for-a-neighbour", "p1 solicits p2's address: not for the DUT")
                        .script(r -> ndisc6(r, 1, p6(2))).build(),
                Scenario.of("ipv6-ns-unicast", "p1, unknown to the DUT, solicits fd77::1 unicast to the DUT's MAC "
                                + "and address without SLLAO (as a NUD probe)")
                        .script(r -> r.frame(0, 1, Nd6.ns(pm(1), p6(1), OWN6, OWN6, Nd6.NONE, DUT_MAC))).build(),
                Scenario.of("ipv6-ns-multicast-without-sllao", "p1 solicits fd77::1 multicast without a source "
                                + "link-layer address option")
                        .script(r -> r.frame(0, 1, Nd6.ns(pm(1), p6(1), "ff02::1:ff00:1", OWN6, Nd6.NONE, null)))
                        .build(),
                Scenario.of("ipv6-ns-hop-limit-64", "a solicitation with hop limit 64 (not from the link): dropped")
                        .script(r -> {
                            byte[] f = Nd6.ns(pm(1), p6(1), OWN6);
                            f[14 + 7] = 64;
                            r.frame(0, 1, f);
                        }).build(),
                Scenario.of("ipv6-dad-probe-for-own-address", "p1 probes fd77::1 for DAD (from ::, with a nonce): "
                                + "the DUT defends it with an NA to all nodes")
                        .script(r -> r.frame(0, 1, Nd6.dadNs(pm(1), OWN6, 0x1234_5678_9abcL))).build(),
                Scenario.of("ipv6-ping-from-peer", "p1 pings fd77::1")
                        .script(r -> ping6(r, 1, OWN6)).build(),
                Scenario.of("ipv6-ping-from-peer-link-local", "p1 pings the DUT's link-local address")
                        .script(r -> ping6(r, 1, OWN_LL + "%eth0")).build(),
                Scenario.of("ipv6-resolve", "the DUT resolves p1: a multicast NS from its link-local address to "
                                + "p1's solicited-node group; p1's solicited NA makes it REACHABLE")
                        .script(r -> r.dut.resolve("nd0", p6(1))).build(),
                Scenario.of("ipv6-resolve-nobody", "the DUT resolves fd77::99: mcast_solicit NS retrans_time apart, "
                                + "then FAILED")
                        .knob(neigh6("retrans_time_ms"), 200)
                        .script(r -> r.dut.resolve("nd0", NOBODY6)).settle(800).timers(200, 200).build(),
                Scenario.of("ipv6-ping-from-dut", "the DUT pings p1: the NS comes from the waiting packet's source")
                        .script(r -> r.dut.ping(p6(1), 1, 100)).build(),
                Scenario.of("ipv6-delay-probe-reachable", "p1 is learnt (ndisc6), the NA leaves the entry in DELAY; "
                                + "a unicast NS after delay_first_probe_time; p1 answers: REACHABLE")
                        .knob(neigh6("delay_first_probe_time"), 1)
                        .script(r -> ndisc6(r, 1, OWN6)).settle(1600).timers(1000).build(),
                Scenario.of("ipv6-reachable-expires-to-stale", "resolved p1 goes STALE after reachable_time")
                        .knob(neigh6("base_reachable_time_ms"), 600)
                        .knob(neigh6("delay_first_probe_time"), 0)
                        .script(r -> r.dut.resolve("nd0", p6(1))).settle(1500).build(),
                Scenario.of("ipv6-unsolicited-na-moves-entry", "p1's link-local address is learnt (ndisc6 solicits "
                                + "from it), then p1 advertises it unsolicited with a new MAC and override: STALE at the "
                                + "new MAC")
                        .script(r -> {
                            ndisc6(r, 1, OWN6);
                            r.mark();
                            r.frame(0, 1, na(1, pll(1), "ff02::1", Nd6.O, NEW_MAC));
                        }).build(),
                Scenario.of("ipv6-solicited-na-without-override", "p1 is REACHABLE; a solicited NA without override "
                                + "gives a new MAC: STALE, the address kept")
                        .script(r -> {
                            r.dut.resolve("nd0", p6(1));
                            r.sleep(200);
                            r.mark();
                            r.frame(0, 1, na(1, p6(1), OWN6, Nd6.S, NEW_MAC));
                        }).build(),
                Scenario.of("ipv6-untracked-na-ignored", "p1 advertises itself unsolicited to a DUT that has no entry")
                        .script(r -> r.frame(0, 1, na(1, p6(1), "ff02::1", Nd6.O, Lab.peerMac(0, 1)))).build(),
                Scenario.of("ipv6-untracked-na-accepted", "the same with accept_untracked_na 1 and forwarding on: a "
                                + "STALE entry")
                        .knob(conf6("forwarding"), 1)
                        .knob(conf6("accept_untracked_na"), 1)
                        .script(r -> r.frame(0, 1, na(1, p6(1), "ff02::1", Nd6.O, Lab.peerMac(0, 1)))).build(),
                Scenario.of("ipv6-untracked-na-no-forwarding", "accept_untracked_na 1 without forwarding: nothing")
                        .knob(conf6("accept_untracked_na"), 1)
                        .script(r -> r.frame(0, 1, na(1, p6(1), "ff02::1", Nd6.O, Lab.peerMac(0, 1)))).build(),
                Scenario.of("ipv6-drop_unsolicited_na", "p1's link-local address is learnt; drop_unsolicited_na 1; "
                                + "its unsolicited NA with a new MAC is dropped")
                        .knob(conf6("drop_unsolicited_na"), 1)
                        .script(r -> {
                            ndisc6(r, 1, OWN6);
                            r.mark();
                            r.frame(0, 1, na(1, pll(1), "ff02::1", Nd6.O, NEW_MAC));
                        }).build(),
                Scenario.of("ipv6-na-router-flag", "p1's link-local address is learnt; its NA with R set marks the "
                                + "entry as a router")
                        .script(r -> {
                            ndisc6(r, 1, OWN6);
                            r.mark();
                            r.frame(0, 1, na(1, pll(1), "ff02::1", Nd6.R | Nd6.O, Lab.peerMac(0, 1)));
                        }).build(),
                Scenario.of("ipv6-ra-marks-router", "p3 sends a router advertisement (lifetime 0) from its "
                                + "link-local address with its MAC: a STALE router entry")
                        .script(r -> r.frame(0, 3, Nd6.ra(pm(3), pll(3), 0, 0, 0, 0, pm(3).bits()))).build(),
                Scenario.of("ipv6-ra-global-source", "the same advertisement from p3's global address: dropped")
                        .script(r -> r.frame(0, 3, Nd6.ra(pm(3), p6(3), 0, 0, 0, 0, pm(3).bits()))).build(),
                Scenario.of("ipv6-ra-accept_ra-0", "accept_ra 0: no default router, no link parameters, but "
                                + "ndisc_router_discovery still learns the source as a router")
                        .knob(conf6("accept_ra"), 0)
                        .script(r -> r.frame(0, 3, Nd6.ra(pm(3), pll(3), 0, 0, 0, 0, pm(3).bits()))).build(),
                Scenario.of("ipv6-proxy_ndp", "proxy fd77::99 dev nd0, forwarding and proxy_ndp on; p1 solicits "
                                + "it: answered after a random delay below proxy_delay")
                        .knob(conf6("forwarding"), 1)
                        .knob(conf6("proxy_ndp"), 1)
                        .script(r -> {
                            r.dut.proxy(NOBODY6, "nd0");
                            ndisc6(r, 1, NOBODY6);
                        }).settle(1000).randomDelay(800).build(),
                Scenario.of("ipv6-proxy_ndp-off", "the same proxy entry with proxy_ndp off: not answered")
                        .knob(conf6("forwarding"), 1)
                        .script(r -> {
                            r.dut.proxy(NOBODY6, "nd0");
                            ndisc6(r, 1, NOBODY6);
                        }).build(),
                Scenario.of("ipv6-address-dad", "fd77::56/64 is added: one DAD probe from :: to its solicited-node "
                                + "group (after a random delay below rtr_solicit_delay), no answer")
                        .script(r -> r.dut.address("nd0", "fd77::56/64", null)).settle(2500).randomDelay(1000).build(),
                Scenario.of("ipv6-address-dad-duplicate", "fd77::12/64, p2's address, is added: p2 defends it, "
                                + "the DUT's copy fails DAD")
                        .knob(conf6("router_solicitation_delay"), 0)
                        .script(r -> r.dut.address("nd0", p6(2) + "/64", null)).settle(2500).build());
    }
}
