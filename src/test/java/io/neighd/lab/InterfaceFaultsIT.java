package io.neighd.lab;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What happens to neighd's port, done to it while it runs: carrier flapping at 10 Hz, the
 * interface deleted and re-created under the same name, its MAC changed, the link renamed away and
 * back. neighd follows the interface by its configured name: without a restart the capture
 * resumes, readiness goes DOWN while there is no interface by that name and UP again after, no
 * thread or descriptor is left behind, and the table and the announcements are what Linux's are
 * on NETDEV_DOWN (neigh_ifdown; a deletion's NETDEV_UNREGISTER flushes the same), NETDEV_UP
 * (arp_notify) and NETDEV_CHANGEADDR (neigh_changeaddr, then arp_notify).
 *
 * <p>{@code ./mvnw verify} flaps for 5 s; {@code -Dneighd.faults.flap-seconds=60} is the recorded
 * minute (docs/reliability.md).
 */
@ExtendWith(LabExtension.class)
class InterfaceFaultsIT {
    private static final int FLAP_SECONDS = Integer.getInteger("neighd.faults.flap-seconds", 5);
    private static final long WAIT_MS = 10_000;
    private static final String PERMANENT = "10.77.0.50";

    private final Lab lab;
    private final Neighd neighd;

    InterfaceFaultsIT(Lab lab, Neighd neighd) {
        this.lab = lab;
        this.neighd = neighd;
    }

    /** Whatever a test did to nd0, the shared lab gets it back as ndlab.sh made it. */
    @AfterEach
    void restoreNd0() {
        if (!lab.tryIp(lab.ndNs(), "link", "show", "nd9").out().isBlank()) {
            lab.tryIp(lab.ndNs(), "link", "set", "nd9", "down");
            lab.tryIp(lab.ndNs(), "link", "set", "nd9", "name", "nd0");
        }
        if (lab.tryIp(lab.ndNs(), "link", "show", "nd0").out().isBlank()) {
            recreateNd0();
        }
        lab.ip(lab.ndNs(), "link", "set", "nd0", "address", Lab.portMac(0), "arp", "off", "up");
        lab.ip(lab.sw(), "link", "set", Lab.dutPort(Lab.Side.ND, 0), "up");
        await("nd0 capturing and UP again", () -> capturing() && ready() && carrier());
    }

    @Test
    void carrierFlappingAt10HzLeavesTheCaptureRunningAndNothingBehind() {
        populate();
        Resources before = Resources.now();
        String port = Lab.dutPort(Lab.Side.ND, 0);

        String flaps = lab.exec(java.time.Duration.ofSeconds(FLAP_SECONDS + 30), lab.sw(), "sh", "-c",
                "end=$(($(date +%s) + " + FLAP_SECONDS + ")); n=0; while [ $(date +%s) -lt $end ]; do ip link set "
                + port + " down; sleep 0.05; ip link set " + port + " up; sleep 0.05; n=$((n+1)); done; echo $n")
                .orFail().strip();

        await("carrier back", this::carrier);
        assertThat(capturing()).as("the capture ran through it").isTrue();
        assertThat(ready()).isTrue();
        assertThat(neighd.neighbours()).as("arp_evict_nocarrier took the learned entries, not the PERMANENT one")
                .extracting(Lab.KernelNeighbour::dst).containsExactly(PERMANENT);
        assertAnswersArp(Lab.portMac(0));
        Resources after = Resources.now();
        after.assertNoLeakSince(before);
        System.out.printf("[faults] %s carrier flaps in %d s; threads %d -> %d, descriptors %d -> %d%n", flaps,
                FLAP_SECONDS, before.threads(), after.threads(), before.fds(), after.fds());
    }

    @Test
    void deletedAndRecreatedUnderTheSameNameTheCaptureResumes() {
        neighd.sysctl("net.ipv4.conf.nd0.arp_notify", 1);
        populate();
        Resources before = Resources.now();

        lab.ip(lab.ndNs(), "link", "del", "nd0");
        await("readiness DOWN while nd0 is gone", () -> !ready() && !capturing());
        await("NETDEV_DOWN: every entry of nd0 flushed, PERMANENT too", () -> neighd.neighbours().isEmpty());
        assertThat(neighd.getOk("/api/v1/interfaces/nd0").path("up").asBoolean(true)).isFalse();

        // on a peer: the switch's side of nd0 is gone with it
        PcapCapture cap = lab.capture(lab.peerNs(Lab.Side.ND, 0, 3), "eth0", "arp");
        long t0 = System.nanoTime();
        recreateNd0();
        await("capture resumed and readiness UP, without a restart", () -> capturing() && ready());
        System.out.printf("[faults] nd0 re-created: capturing and ready again after %d ms%n",
                (System.nanoTime() - t0) / 1_000_000);
        Frame garp = cap.await(f -> f.isFrom(Lab.portMac(0)) && f.isArpRequest()
                && f.arp().senderIp().toString().equals(Lab.ownIp(0))
                && f.arp().targetIp().toString().equals(Lab.ownIp(0)), 5000);
        cap.stop();
        assertThat(garp).as("NETDEV_UP under arp_notify: a gratuitous request").isNotNull();
        assertAnswersArp(Lab.portMac(0));
        await("fd77::1's solicited-node group joined again in the kernel, on the new nd0",
                () -> lab.ip(lab.ndNs(), "maddr", "show", "dev", "nd0").contains("33:33:ff:00:00:01"));
        Resources.now().assertNoLeakSince(before);
    }

    @Test
    void aNewMacIsChangeaddrEntriesFlushedAnnouncedAndAnsweredFrom() {
        neighd.sysctl("net.ipv4.conf.nd0.arp_notify", 1);
        populate();
        String mac = "02:4e:44:00:00:99";
        PcapCapture cap = lab.captureDut(Lab.Side.ND, 0);

        lab.ip(lab.ndNs(), "link", "set", "nd0", "address", mac);

        await("neighd took the new address", () -> mac.equals(neighd.getOk("/api/v1/interfaces/nd0").path("lladdr")
                .asString()));
        Frame garp = cap.await(f -> f.isFrom(mac) && f.isArpRequest()
                && f.arp().targetIp().toString().equals(Lab.ownIp(0)), 5000);
        cap.stop();
        assertThat(garp).as("arp_notify on NETDEV_CHANGEADDR, from the new address").isNotNull();
        assertThat(neighd.neighbours()).as("neigh_changeaddr: every entry, PERMANENT too").isEmpty();
        assertAnswersArp(mac);
    }

    @Test
    void renamedAwayAndBackTheCaptureFollowsTheName() {
        populate();
        Resources before = Resources.now();

        lab.ip(lab.ndNs(), "link", "set", "nd0", "down");
        lab.ip(lab.ndNs(), "link", "set", "nd0", "name", "nd9");
        lab.ip(lab.ndNs(), "link", "set", "nd9", "up");
        await("readiness DOWN: no interface is called nd0", () -> !ready() && !capturing());
        assertThat(neighd.neighbours()).as("NETDEV_DOWN flushed nd0's entries").isEmpty();

        lab.ip(lab.ndNs(), "link", "set", "nd9", "down");
        lab.ip(lab.ndNs(), "link", "set", "nd9", "name", "nd0");
        lab.ip(lab.ndNs(), "link", "set", "nd0", "up");
        await("nd0 is back: capture resumed and readiness UP", () -> capturing() && ready());
        assertAnswersArp(Lab.portMac(0));
        Resources.now().assertNoLeakSince(before);
    }

    // ------------------------------------------------------------------ steps

    /** A learned entry (a peer's request) and a PERMANENT one. */
    private void populate() {
        lab.exec(lab.peerNs(Lab.Side.ND, 0, 2), "arping", "-I", "eth0", "-c", "1", "-w", "2", Lab.ownIp(0)).orFail();
        neighd.addNeighbour("nd0", PERMANENT, "02:4e:44:00:00:50", "permanent");
        await("two entries", () -> neighd.neighbours().size() == 2);
    }

    /** As ndlab.sh plugs it: a veth from the switch, its end nd0 in neighd's namespace. */
    private void recreateNd0() {
        String port = Lab.dutPort(Lab.Side.ND, 0);
        lab.ip(lab.sw(), "link", "add", port, "type", "veth", "peer", "name", "nd0", "netns", lab.ndNs());
        lab.ip(lab.sw(), "link", "set", port, "master", "br-nd-0", "up");
        lab.ip(lab.ndNs(), "link", "set", "nd0", "address", Lab.portMac(0), "arp", "off", "up");
    }

    /** A peer's arping gets neighd's answer, from {@code mac}: the capture hears and the link sends. */
    private void assertAnswersArp(String mac) {
        Cmd.Result r = lab.exec(lab.peerNs(Lab.Side.ND, 0, 1), "arping", "-I", "eth0", "-c", "2", "-w", "5",
                Lab.ownIp(0));
        assertThat(r.out()).contains("reply from " + Lab.ownIp(0) + " [" + mac.toUpperCase() + "]");
    }

    private boolean capturing() {
        return neighd.get("/actuator/health/readiness").body().path("components").path("links").path("details")
                .path("nd0").path("capturing").asBoolean(false);
    }

    private boolean ready() {
        return neighd.get("/actuator/health/readiness").status() == 200;
    }

    private boolean carrier() {
        return neighd.getOk("/api/v1/interfaces/nd0").path("carrier").asBoolean(false);
    }

    private static void await(String what, BooleanSupplier condition) {
        long end = System.nanoTime() + WAIT_MS * 1_000_000;
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as(what).isLessThan(end);
            Lab.sleep(100);
        }
    }

    /** Threads and descriptors of this JVM (neighd runs in it). */
    private record Resources(int threads, long fds) {
        static Resources now() {
            Lab.sleep(1500); // threads that end (a netns opener, a capture reader) are gone
            try (Stream<Path> fd = Files.list(Path.of("/proc/self/fd"))) {
                return new Resources(ManagementFactory.getThreadMXBean().getThreadCount(), fd.count());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        void assertNoLeakSince(Resources before) {
            assertThat(threads).as("threads (before: %d)", before.threads).isLessThanOrEqualTo(before.threads + 2);
            assertThat(fds).as("file descriptors (before: %d)", before.fds).isLessThanOrEqualTo(before.fds + 4);
        }
    }
}
