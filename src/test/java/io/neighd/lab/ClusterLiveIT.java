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
        Lab.KernelNeighbour n = lab.neighbour(peer, "eth0", VIP);
        return n == null ? null : n.lladdr();
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
}
