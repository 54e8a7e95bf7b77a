package io.neighd.lab;

import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Elected addresses on real frames: three neighd processes on one segment, a kernel peer, and
 * each backend (Kubernetes: kubernetes-server-mock in CRUD mode standing in for the API server;
 * etcd: a real etcd). In one pass per backend: takeover, API handover, the owner's link going
 * down, the owner cut off from the store, SIGTERM and kill -9 of the owner. Every time the kernel
 * peer's neighbour entry for the address must follow the move (the new owner's gratuitous ARP)
 * and pings must be answered again; throughout, at most one node says it answers.
 *
 * <p>The same for an IPv6 elected address (fd77::100/64), per backend: the owner answers the
 * peer's {@code ndisc6} and {@code ping -6}; on an API handover and on kill -9 of the owner, the
 * peer's {@code ip -6 neigh} entry moves to the new owner's MAC through its unsolicited NA
 * (override set) while the peer sends nothing: its entry was REACHABLE, so its own NUD would not
 * have looked again for reachable_time (15-45 s) plus delay_first_probe_time.
 */
@ExtendWith(LabExtension.class)
class ClusterLiveIT {
    private static final String VIP = ClusterNodes.VIP;
    private final Lab lab;
    private final String peer;

    ClusterLiveIT(Lab lab) {
        this.lab = lab;
        this.peer = lab.peerNs(Lab.Side.ND, 0, 3);
    }

    private String peerMac() {
        return peerMac(VIP);
    }

    private String peerMac(String vip) {
        Lab.KernelNeighbour n = lab.neighbour(peer, "eth0", vip);
        return n == null ? null : n.lladdr();
    }

    /** Counts the most nodes that said they answered at once, until closed. */
    private static final class OverlapWatch implements AutoCloseable {
        final AtomicInteger most = new AtomicInteger();
        final AtomicBoolean watching = new AtomicBoolean(true);
        final Thread thread;

        OverlapWatch(ClusterNodes c) {
            thread = new Thread(() -> {
                while (watching.get()) {
                    most.accumulateAndGet(c.answering().size(), Math::max);
                    Lab.sleep(10);
                }
            });
            thread.start();
        }

        @Override
        public void close() throws InterruptedException {
            watching.set(false);
            thread.join();
        }
    }

    /** The peer's entry for the address names {@code node}'s MAC, without the peer sending anything. */
    private void peerFollows(int node) {
        long deadline = System.currentTimeMillis() + 5000;
        while (!ClusterNodes.mac(node).equals(peerMac()) && System.currentTimeMillis() < deadline) {
            Lab.sleep(20);
        }
        assertThat(peerMac()).as("the kernel peer's entry for %s", VIP).isEqualTo(ClusterNodes.mac(node));
        assertThat(lab.exec(peer, "ping", "-c", "2", "-i", "0.2", "-W", "1", VIP).ok()).as("ping %s", VIP).isTrue();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"kubernetes", "etcd"})
    void theAddressMovesAndTheKernelPeersFollow(String backend) throws Exception {
        try (ClusterNodes c = new ClusterNodes(lab, backend)) {
            c.startAll();
            AtomicInteger most = new AtomicInteger();
            AtomicBoolean watching = new AtomicBoolean(true);
            Thread overlap = new Thread(() -> {
                while (watching.get()) {
                    most.accumulateAndGet(c.answering().size(), Math::max);
                    Lab.sleep(10);
                }
            });
            overlap.start();
            try {
                // takeover: one owner; the peer resolves it and gets echo replies
                int owner = c.awaitOwner(0, 5000);
                assertThat(owner).isPositive();
                assertThat(lab.exec(peer, "ping", "-c", "2", "-i", "0.2", "-W", "1", VIP).ok()).isTrue();
                assertThat(peerMac()).isEqualTo(ClusterNodes.mac(owner));
                c.awaitStandbysWatching();

                // handover through the API
                assertThat(c.post(owner, "/api/v1/vips/" + VIP + "/release")).isEqualTo(200);
                int next = c.awaitOwner(owner, 3000);
                assertThat(next).isPositive().isNotEqualTo(owner);
                peerFollows(next);
                owner = next;

                // partition: the owner's link goes down
                c.linkDown(owner);
                next = c.awaitOwner(owner, 5000);
                assertThat(next).isPositive();
                peerFollows(next);
                c.linkUp(owner);
                owner = next;
                c.awaitStandbysWatching();

                // partition: the owner cannot reach the store; it stops at its renew deadline
                c.cutStore(owner);
                next = c.awaitOwner(owner, 8000);
                assertThat(next).isPositive();
                peerFollows(next);
                c.restoreStore(owner);
                owner = next;
                c.awaitStandbysWatching();

                // SIGTERM: released on the way down
                c.terminate(owner);
                next = c.awaitOwner(owner, 3000);
                assertThat(next).isPositive();
                peerFollows(next);
                owner = next;

                // kill -9: taken over when the lease expires
                c.kill(owner);
                next = c.awaitOwner(owner, 8000);
                assertThat(next).isPositive();
                peerFollows(next);
            } finally {
                watching.set(false);
                overlap.join();
            }
            assertThat(most.get()).as("nodes answering at once").isEqualTo(1);
        }
    }

    /**
     * The peer's entry for the IPv6 address names {@code node}'s MAC within 5 s, while the peer
     * sends nothing to it (only the unsolicited NA can have moved it), then ping -6 is answered.
     */
    private void peerFollows6(int node) {
        long deadline = System.currentTimeMillis() + 5000;
        while (!ClusterNodes.mac(node).equals(peerMac(VIP6)) && System.currentTimeMillis() < deadline) {
            Lab.sleep(20);
        }
        assertThat(peerMac(VIP6)).as("the kernel peer's entry for %s", VIP6).isEqualTo(ClusterNodes.mac(node));
        assertThat(lab.exec(peer, "ping", "-6", "-c", "2", "-i", "0.2", "-W", "1", VIP6).ok()).as("ping -6 %s", VIP6)
                .isTrue();
    }

    private static final String VIP6 = ClusterNodes.VIP6;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"kubernetes", "etcd"})
    void anIpv6AddressMovesAndTheKernelPeerFollowsTheUnsolicitedNa(String backend) throws Exception {
        try (ClusterNodes c = new ClusterNodes(lab, backend, VIP6)) {
            c.startAll();
            int most;
            try (OverlapWatch w = new OverlapWatch(c)) {
                int owner = c.awaitOwner(0, 5000);
                assertThat(owner).isPositive();
                Cmd.Result nd = lab.exec(peer, "ndisc6", "-r", "3", "-w", "1000", VIP6, "eth0");
                assertThat(nd.out()).as("ndisc6 %s", VIP6).contains("Target link-layer address: "
                        + ClusterNodes.mac(owner).toUpperCase(java.util.Locale.ROOT));
                assertThat(lab.exec(peer, "ping", "-6", "-c", "2", "-i", "0.2", "-W", "1", VIP6).ok()).isTrue();
                assertThat(peerMac(VIP6)).isEqualTo(ClusterNodes.mac(owner));
                assertThat(lab.neighbour(peer, "eth0", VIP6).state()).isIn("REACHABLE", "DELAY", "STALE");
                c.awaitStandbysWatching();

                // handover through the API
                assertThat(c.post(owner, "/api/v1/vips/" + VIP6 + "/release")).isEqualTo(200);
                int next = c.awaitOwner(owner, 3000);
                assertThat(next).isPositive().isNotEqualTo(owner);
                peerFollows6(next);
                owner = next;
                c.awaitStandbysWatching();

                // kill -9: taken over when the lease expires
                c.kill(owner);
                next = c.awaitOwner(owner, 8000);
                assertThat(next).isPositive();
                peerFollows6(next);
                most = w.most.get();
            }
            assertThat(most).as("nodes answering at once").isEqualTo(1);
        }
    }
}
