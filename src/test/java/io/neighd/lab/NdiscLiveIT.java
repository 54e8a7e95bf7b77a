package io.neighd.lab;

import io.neighd.testkit.Nd6;
import io.neighd.wire.Icmpv6;
import io.neighd.wire.MacAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;

import java.util.List;
import java.util.Locale;

import static io.neighd.lab.Lab.Side.ND;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * IPv6 neighbour discovery between neighd (nd0: fd77::1/64 and its EUI-64 link-local) and the
 * kernels of the lab's peers (s0p1 fd77::11, s0p2 fd77::12, s0p3 fd77::13, each with its own
 * link-local), driven by kernel tools ({@code ping -6}, ndisc6) and, for what no tool sends, frames
 * of our own from a peer's wire.
 *
 * <pre>
 * | from          | what                                          | expected                                        |
 * |---------------|-----------------------------------------------|-------------------------------------------------|
 * | peer ping -6  | global and link-local address of neighd       | replies; both sides learn each other            |
 * | peer ndisc6   | NS for neighd's global / link-local address   | NA with neighd's MAC; rcv_probes_mcast counted  |
 * | API ping      | the peer's global / link-local address (dev)  | replies; REACHABLE-or-later entry in neighd     |
 * | API addr add  | fd77::12 (s0p2 has it)                        | s0p2 answers the DAD probe: dadfailed tentative |
 * | API addr add  | fd77::56 (free)                               | DAD NS from :: to ff02::1:ff00:56, then valid   |
 * | peer addr add | fd77::1 (neighd has it)                       | neighd answers: the peer's copy is dadfailed    |
 * | API announce  | peer has a stale MAC for fd77::1              | unsolicited NA (O) corrects it                  |
 * | API addr add  | fd77::55, then deleted                        | 33:33:ff:00:00:55 joined in the kernel, left    |
 * | raw NS        | hop limit 64, then 255                        | NDISC_BAD_HOP_LIMIT, then answered (S O), DELAY |
 * | raw RA        | from the peer's link-local / a global source  | entry STALE with the router flag / dropped      |
 * | peer ping -6  | fd77::99 proxied (forwarding, proxy_ndp)      | the reference kernel's NA; none without proxy_ndp |
 * </pre>
 */
@ExtendWith(LabExtension.class)
class NdiscLiveIT {
    private static final String OWN = Lab.ownIp6(0);
    private static final String OWN_LL = Lab.portLinkLocal(0);
    private static final String OWN_MAC = Lab.portMac(0);
    private static final String P1 = Lab.peerIp6(0, 1);
    private static final String P1_LL = Lab.peerLinkLocal(0, 1);
    private static final String P1_MAC = Lab.peerMac(0, 1);
    private static final String P2 = Lab.peerIp6(0, 2);
    private static final String P3_LL = Lab.peerLinkLocal(0, 3);

    private final Lab lab;
    private final Neighd neighd;

    NdiscLiveIT(Lab lab, Neighd neighd) {
        this.lab = lab;
        this.neighd = neighd;
    }

    private String peer(int i) {
        return lab.peerNs(ND, 0, i);
    }

    /** ndisc6 in a peer's namespace: its output, whatever its status. */
    private Cmd.Result ndisc6(int peer, String target, int tries, int waitMs) {
        return lab.exec(peer(peer), "ndisc6", "-r", String.valueOf(tries), "-w", String.valueOf(waitMs), target,
                "eth0");
    }

    private static String upper(String mac) {
        return mac.toUpperCase(Locale.ROOT);
    }

    /** Waits until {@code check} holds, polling; false if it never did. */
    private static boolean eventually(long timeoutMs, java.util.function.BooleanSupplier check) {
        long end = System.nanoTime() + timeoutMs * 1_000_000L;
        do {
            if (check.getAsBoolean()) {
                return true;
            }
            Lab.sleep(50);
        } while (System.nanoTime() < end);
        return check.getAsBoolean();
    }

    // ------------------------------------------------------------------ kernel tools against neighd

    @Test
    void aPeerPingsNeighdsGlobalAndLinkLocalAddressAndBothSidesLearn() {
        lab.exec(peer(1), "ping", "-6", "-c", "2", "-i", "0.2", "-W", "3", OWN).orFail();
        lab.exec(peer(1), "ping", "-6", "-c", "1", "-W", "3", OWN_LL + "%eth0").orFail();

        Lab.KernelNeighbour inNeighd = neighd.neighbour("nd0", P1);
        assertThat(inNeighd).as("the peer's NS taught neighd its address").isNotNull();
        assertThat(inNeighd.lladdr()).isEqualTo(P1_MAC);
        assertThat(neighd.neighbour("nd0", P1_LL)).as("and its link-local one").isNotNull();
        Lab.KernelNeighbour inPeer = lab.neighbour(peer(1), "eth0", OWN);
        assertThat(inPeer).isNotNull();
        assertThat(inPeer.lladdr()).isEqualTo(OWN_MAC);
        assertThat(inPeer.state()).as("the NA was solicited").isIn("REACHABLE", "STALE", "DELAY", "PROBE");
    }

    @Test
    void ndisc6GetsNeighdsMacForBothAddresses() {
        long mcastBefore = neighd.ndiscCache("rcv_probes_mcast");

        Cmd.Result global = ndisc6(1, OWN, 3, 1000);
        Cmd.Result linkLocal = ndisc6(1, OWN_LL, 3, 1000);

        assertThat(global.out()).contains("Target link-layer address: " + upper(OWN_MAC));
        assertThat(linkLocal.out()).contains("Target link-layer address: " + upper(OWN_MAC));
        assertThat(neighd.ndiscCache("rcv_probes_mcast")).isGreaterThanOrEqualTo(mcastBefore + 2);
    }

    // ------------------------------------------------------------------ neighd towards the peers

    @Test
    void neighdPingsAPeerByItsGlobalAndItsLinkLocalAddress() {
        JsonNode global = neighd.ping(P1, 2, 200, 3000);
        JsonNode linkLocal = neighd.ping(P1_LL, "nd0", 1, 100, 3000);

        assertThat(global.path("received").asInt()).as(global.toString()).isEqualTo(2);
        assertThat(global.path("src").asString()).isEqualTo(OWN);
        assertThat(linkLocal.path("received").asInt()).as(linkLocal.toString()).isEqualTo(1);
        assertThat(linkLocal.path("src").asString()).isEqualTo(OWN_LL);
        assertThat(neighd.neighbour("nd0", P1).lladdr()).isEqualTo(P1_MAC);
        assertThat(lab.neighbour(peer(1), "eth0", OWN)).as("the peer learned neighd from its NS").isNotNull();
    }

    // ------------------------------------------------------------------ duplicate address detection

    @Test
    void neighdFindsThatAPeerAlreadyHasTheAddress() {
        neighd.addAddress6("nd0", P2 + "/64", false);

        neighd.awaitAddress6("nd0", P2 + "/64 [dadfailed, tentative]", 5000);
        Lab.KernelNeighbour n = neighd.neighbour("nd0", P2);
        assertThat(n).as("a DAD answer does not create an entry").isNull();
    }

    @Test
    void neighdProbesAFreeAddressFromTheUnspecifiedAddressThenUsesIt() {
        try (PcapCapture wire = lab.capture(lab.sw(), Lab.dutPort(ND, 0), "icmp6")) {
            neighd.addAddress6("nd0", "fd77::56/64", false);
            assertThat(neighd.addresses6("nd0")).contains("fd77::56/64 [tentative]");

            neighd.awaitAddress6("nd0", "fd77::56/64 []", 5000);

            List<Nd6.Sent> probes = wire.frames().stream().map(f -> Nd6.parse(f.data()))
                    .filter(s -> s != null && s.type() == Icmpv6.NEIGHBOUR_SOLICITATION
                            && "fd77::56".equals(String.valueOf(s.target())))
                    .toList();
            assertThat(probes).hasSize(1);
            Nd6.Sent probe = probes.get(0);
            assertThat(probe.src().toString()).isEqualTo("::");
            assertThat(probe.dst().toString()).isEqualTo("ff02::1:ff00:56");
            assertThat(probe.hopLimit()).isEqualTo(255);
            assertThat(probe.lladdrOption()).as("no SLLAO from ::").isEqualTo(Nd6.NONE);
            assertThat(probe.nonce()).as("enhanced DAD nonce").isNotZero();
            assertThat(probe.checksumOk()).isTrue();
        }
        assertThat(lab.exec(peer(1), "ping", "-6", "-c", "1", "-W", "3", "fd77::56").rc()).isZero();
    }

    @Test
    void aPeerFindsThatNeighdAlreadyHasTheAddress() {
        long before = neighd.reasonCount6("nd0", "NDISC_DAD_REPLIED");
        lab.ip(peer(3), "-6", "addr", "add", OWN + "/64", "dev", "eth0");
        try {
            boolean failed = eventually(5000, () -> lab.ip(peer(3), "-6", "addr", "show", "dev", "eth0")
                    .contains(OWN + "/64 scope global dadfailed tentative"));
            assertThat(failed).as(lab.ip(peer(3), "-6", "addr", "show", "dev", "eth0")).isTrue();
            assertThat(neighd.reasonCount6("nd0", "NDISC_DAD_REPLIED")).isEqualTo(before + 1);
        } finally {
            lab.tryIp(peer(3), "-6", "addr", "del", OWN + "/64", "dev", "eth0");
        }
    }

    // ------------------------------------------------------------------ announcements and groups

    @Test
    void anUnsolicitedNaCorrectsAPeersStaleEntry() {
        lab.ip(peer(1), "-6", "neigh", "replace", OWN, "lladdr", "02:4e:44:00:00:99", "dev", "eth0", "nud", "stale");

        int sent = neighd.announceNa("nd0");

        assertThat(sent).as("fd77::1 and the link-local").isEqualTo(2);
        assertThat(eventually(2000, () -> OWN_MAC.equals(lab.neighbour(peer(1), "eth0", OWN).lladdr())))
                .as(String.valueOf(lab.neighbour(peer(1), "eth0", OWN))).isTrue();
    }

    @Test
    void solicitedNodeGroupsAreJoinedInTheKernelAndLeft() {
        String nd = lab.ndNs();
        assertThat(lab.ip(nd, "maddr", "show", "dev", "nd0")).as("fd77::1 and the link-local (::4e:44ff:fe00:1)")
                .contains("33:33:ff:00:00:01");

        neighd.addAddress6("nd0", "fd77::55/64", true);
        assertThat(eventually(2000, () -> lab.ip(nd, "maddr", "show", "dev", "nd0").contains("33:33:ff:00:00:55")))
                .isTrue();
        assertThat(ndisc6(1, "fd77::55", 3, 1000).out()).contains("Target link-layer address: " + upper(OWN_MAC));

        neighd.delete("/api/v1/interfaces/nd0/addresses/fd77::55").expect(204);
        assertThat(eventually(2000, () -> !lab.ip(nd, "maddr", "show", "dev", "nd0").contains("33:33:ff:00:00:55")))
                .isTrue();
        assertThat(lab.ip(nd, "maddr", "show", "dev", "nd0")).contains("33:33:ff:00:00:01");
    }

    // ------------------------------------------------------------------ forged frames

    @Test
    void aSolicitationWithHopLimit64IsDroppedAndThe255OneAnswered() {
        MacAddress from = MacAddress.parse(Lab.peerMac(0, 2));
        byte[] ns = Nd6.ns(from, P2, OWN);
        byte[] forged = ns.clone();
        forged[14 + 7] = 64; // the hop limit is outside the checksum's pseudo-header
        long bad = neighd.reasonCount6("nd0", "NDISC_BAD_HOP_LIMIT");
        long replied = neighd.reasonCount6("nd0", "NDISC_NS_REPLIED");

        try (PcapCapture wire = lab.capture(lab.sw(), Lab.dutPort(ND, 0), "icmp6");
             RawSender s = lab.sender(peer(2))) {
            s.send(forged);
            assertThat(eventually(1000, () -> neighd.reasonCount6("nd0", "NDISC_BAD_HOP_LIMIT") == bad + 1)).isTrue();
            assertThat(neighd.neighbour("nd0", P2)).isNull();

            s.send(ns);
            Frame na = wire.await(f -> {
                Nd6.Sent x = Nd6.parse(f.data());
                return x != null && x.type() == Icmpv6.NEIGHBOUR_ADVERTISEMENT && x.dst().toString().equals(P2);
            }, 2000);
            assertThat(na).as("neighd answered the NS with hop limit 255").isNotNull();
            Nd6.Sent sent = Nd6.parse(na.data());
            assertThat(sent.flags()).as("solicited, override").isEqualTo(Nd6.S | Nd6.O);
            assertThat(sent.lladdrOption()).isEqualTo(MacAddress.parse(OWN_MAC).bits());
            assertThat(sent.checksumOk()).isTrue();
        }
        assertThat(neighd.reasonCount6("nd0", "NDISC_NS_REPLIED")).isEqualTo(replied + 1);
        Lab.KernelNeighbour n = neighd.neighbour("nd0", P2);
        assertThat(n.state()).as("the NA went out through the STALE entry: DELAY, as in Linux").isEqualTo("DELAY");
        assertThat(n.lladdr()).isEqualTo(Lab.peerMac(0, 2));
    }

    @Test
    void aRouterAdvertisementMarksItsLinkLocalSenderAsARouter() {
        MacAddress from = MacAddress.parse(Lab.peerMac(0, 3));
        long notLinkLocal = neighd.reasonCount6("nd0", "NDISC_NOT_LINK_LOCAL");
        try (RawSender s = lab.sender(peer(3))) {
            // lifetime 0: not a default router; no hop limit, reachable or retrans time to take over
            s.send(Nd6.ra(from, Lab.peerIp6(0, 3), 0, 0, 0, 0, from.bits()));
            assertThat(eventually(1000, () -> neighd.reasonCount6("nd0", "NDISC_NOT_LINK_LOCAL") == notLinkLocal + 1))
                    .isTrue();

            s.send(Nd6.ra(from, P3_LL, 0, 0, 0, 0, from.bits()));
            assertThat(eventually(1000, () -> neighd.neighbour("nd0", P3_LL) != null)).isTrue();
        }
        Lab.KernelNeighbour n = neighd.neighbour("nd0", P3_LL);
        assertThat(n.state()).isEqualTo("STALE");
        assertThat(n.router()).isTrue();
        assertThat(n.lladdr()).isEqualTo(Lab.peerMac(0, 3));
        assertThat(neighd.neighbour("nd0", Lab.peerIp6(0, 3))).isNull();
    }

    // ------------------------------------------------------------------ proxy_ndp

    /** The proxy NAs for fd77::99 that went out of the DUT's port on {@code side}. */
    private static List<Nd6.Sent> proxyNas(PcapCapture wire) {
        return wire.frames().stream().map(f -> Nd6.parse(f.data()))
                .filter(x -> x != null && x.type() == Icmpv6.NEIGHBOUR_ADVERTISEMENT
                        && "fd77::99".equals(String.valueOf(x.target())))
                .toList();
    }

    /**
     * proxy_ndp, side by side with the reference kernel configured the same way. A peer's kernel
     * resolves fd77::99 (ping -6); the NA comes after a random delay below proxy_delay, solicited,
     * without override, from the address the route picks, with our MAC. (ndisc6 is no witness
     * here: it ignores an NA whose source is not the target, Linux's as much as neighd's.)
     */
    @Test
    void proxyNdpAnswersForAProxiedAddressAsTheReferenceKernelDoes(ReferenceKernel ref) {
        neighd.sysctl("net.ipv6.conf.nd0.forwarding", 1);
        neighd.addProxy("fd77::99", "nd0");
        lab.sysctl(ref.ns(), "net.ipv6.conf.nd0.forwarding", 1);
        lab.ip(ref.ns(), "-6", "neigh", "add", "proxy", "fd77::99", "dev", "nd0");
        String refPeer = lab.peerNs(Lab.Side.REF, 0, 1);
        try (PcapCapture nd = lab.capture(lab.sw(), Lab.dutPort(ND, 0), "icmp6");
             PcapCapture rf = lab.capture(lab.sw(), Lab.dutPort(Lab.Side.REF, 0), "icmp6")) {
            lab.exec(peer(1), "ping", "-6", "-c", "1", "-W", "2", "fd77::99");
            lab.exec(refPeer, "ping", "-6", "-c", "1", "-W", "2", "fd77::99");
            assertThat(proxyNas(nd)).as("proxy_ndp off").isEmpty();
            assertThat(proxyNas(rf)).as("proxy_ndp off, reference").isEmpty();
            long queued = neighd.reasonCount6("nd0", "NDISC_PROXY_QUEUED");

            neighd.sysctl("net.ipv6.conf.nd0.proxy_ndp", 1);
            lab.sysctl(ref.ns(), "net.ipv6.conf.nd0.proxy_ndp", 1);
            lab.flushNeigh(peer(1));
            lab.flushNeigh(refPeer);
            lab.exec(peer(1), "ping", "-6", "-c", "1", "-W", "2", "fd77::99");
            lab.exec(refPeer, "ping", "-6", "-c", "1", "-W", "2", "fd77::99");

            List<Nd6.Sent> mine = proxyNas(nd);
            List<Nd6.Sent> linux = proxyNas(rf);
            assertThat(linux).as("the reference kernel answered").isNotEmpty();
            assertThat(mine).as("neighd answered").isNotEmpty();
            assertThat(mine.get(0)).as("the same NA as Linux").isEqualTo(linux.get(0));
            Nd6.Sent na = mine.get(0);
            assertThat(na.src().toString()).isEqualTo(OWN);
            assertThat(na.dst().toString()).isEqualTo(P1);
            assertThat(na.flags()).as("solicited; no override for a proxy; R from the entry, not forwarding")
                    .isEqualTo(Nd6.S);
            assertThat(na.lladdrOption()).isEqualTo(MacAddress.parse(OWN_MAC).bits());
            assertThat(neighd.reasonCount6("nd0", "NDISC_PROXY_QUEUED")).isGreaterThan(queued);
        }
        assertThat(lab.neighbour(peer(1), "eth0", "fd77::99").lladdr()).isEqualTo(OWN_MAC);
        assertThat(lab.neighbour(refPeer, "eth0", "fd77::99").lladdr()).isEqualTo(OWN_MAC);
    }
}
