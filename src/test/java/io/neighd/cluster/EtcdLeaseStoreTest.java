package io.neighd.cluster;

import io.neighd.time.SystemClock;
import io.neighd.wire.Ipv4Cidr;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The etcd backend against a real three-member etcd cluster on loopback ports (started here),
 * default election timing (lease 1500 ms → etcd TTL 2 s, renew deadline 1000 ms, retry 250 ms).
 * Each test uses its own key prefix; the member-killing test starts a cluster of its own.
 */
class EtcdLeaseStoreTest {
    static final String VIP = "10.77.0.100";
    static EtcdCluster etcd;
    static int prefixes;
    final List<AutoCloseable> closing = new ArrayList<>();
    String prefix;

    @BeforeAll
    static void startEtcd() throws Exception {
        etcd = EtcdCluster.start(3);
    }

    @AfterAll
    static void stopEtcd() {
        if (etcd != null) {
            etcd.close();
        }
    }

    @AfterEach
    void close() throws Exception {
        for (int i = closing.size() - 1; i >= 0; i--) {
            closing.get(i).close();
        }
    }

    EtcdLeaseStore store(String node, List<URI> endpoints) {
        if (prefix == null) {
            prefix = "/neighd-test-" + (++prefixes) + "/vips/";
        }
        EtcdLeaseStore s = new EtcdLeaseStore(endpoints, node, prefix, Duration.ofMillis(1500), Duration.ofMillis(500),
                Duration.ofMillis(250));
        closing.add(s);
        return s;
    }

    record Running(String id, ClusterThread thread, RecordingPort port) {
        boolean answers() {
            return thread.call(c -> port.answers(VIP), Duration.ofSeconds(2));
        }
    }

    Running node(String id, List<URI> endpoints) {
        EtcdLeaseStore s = store(id, endpoints);
        ClusterThread t = new ClusterThread(new SystemClock());
        RecordingPort port = new RecordingPort(System::nanoTime);
        Cluster c = new Cluster(s, port, new SystemClock(), ElectionTiming.DEFAULT, t, new ClusterListener() {
        }, 2_000_000);
        t.start(c);
        closing.add(t);
        t.call(x -> x.add(new VipSpec(Ipv4Cidr.parse(VIP + "/24"), null, Announce.DEFAULT)), Duration.ofSeconds(2));
        return new Running(id, t, port);
    }

    @Test
    void transactionsLetOneNodeTakeAKeyAndReleaseFreesItForTheOther() {
        EtcdLeaseStore a = store("node-a", etcd.clients);
        EtcdLeaseStore b = store("node-b", etcd.endpointsFrom(1));
        List<LeaseRecord> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        b.watch(VIP, (k, r) -> seen.add(r));
        Claim ca = a.acquire(VIP, LeaseRecord.ABSENT).join();
        Claim cb = b.acquire(VIP, LeaseRecord.ABSENT).join();
        assertThat(ca.held()).isTrue();
        assertThat(cb.held()).isFalse();
        assertThat(cb.record().holder()).isEqualTo("node-a");
        // a read (what a standby without its watch does) shows the holder's version
        assertThat(b.read(VIP).join()).isEqualTo(ca.record());
        assertThat(a.renew(VIP, ca.record()).join().held()).isTrue();
        a.release(VIP, ca.record()).join();
        assertThat(b.read(VIP).join().isFree()).isTrue();
        await().atMost(Duration.ofSeconds(5)).until(() -> !seen.isEmpty() && seen.get(seen.size() - 1).isAbsent()
                && seen.stream().anyMatch(r -> r.holder().equals("node-a")));
        assertThat(b.acquire(VIP, LeaseRecord.ABSENT).join().held()).isTrue();
    }

    @Test
    void crashedOwnersKeyExpiresWithItsLeaseAndAStandbyTakesOver() {
        List<Running> nodes = new ArrayList<>(List.of(node("node-a", etcd.clients), node("node-b", etcd.endpointsFrom(1))));
        await().atMost(Duration.ofSeconds(5)).until(() -> nodes.stream().filter(Running::answers).count() == 1);
        Running owner = nodes.stream().filter(Running::answers).findFirst().orElseThrow();
        owner.thread.close();
        owner.port.answering.clear();
        nodes.remove(owner);
        long t0 = System.nanoTime();
        await().pollInterval(Duration.ofMillis(10)).atMost(Duration.ofSeconds(15)).until(() -> nodes.get(0).answers());
        long took = (System.nanoTime() - t0) / 1_000_000;
        // the key lives until etcd expires the 2 s lease (its leader checks every 500 ms)
        assertThat(took).as("takeover took %d ms", took).isGreaterThan(1000L);
    }

    @Test
    void killingTheMemberTheOwnerTalksToAndThenTheLeaderNeverGivesTwoOwners() throws Exception {
        try (EtcdCluster own = EtcdCluster.start(3)) {
            List<Running> nodes = List.of(node("node-a", own.endpointsFrom(0)), node("node-b", own.endpointsFrom(1)),
                    node("node-c", own.endpointsFrom(2)));
            await().atMost(Duration.ofSeconds(5)).until(() -> nodes.stream().filter(Running::answers).count() == 1);
            int talksTo = nodes.indexOf(nodes.stream().filter(Running::answers).findFirst().orElseThrow());
            AtomicLong maxAnswering = new AtomicLong();
            Thread watch = new Thread(() -> {
                while (!Thread.currentThread().isInterrupted()) {
                    maxAnswering.accumulateAndGet(nodes.stream().filter(Running::answers).count(), Math::max);
                    EtcdCluster.sleep(5);
                }
            });
            watch.start();
            try {
                own.kill(talksTo);
                EtcdCluster.sleep(3000);
                await().atMost(Duration.ofSeconds(10)).until(() -> nodes.stream().filter(Running::answers).count() == 1);
                int leader = own.leader();
                assertThat(leader).isNotEqualTo(talksTo).isNotNegative();
                own.kill(leader);
                // two of three members gone: no quorum, so no renewal and no takeover; the owner
                // must stop answering within its renew deadline and nobody may start
                EtcdCluster.sleep(2500);
                assertThat(nodes.stream().filter(Running::answers).count()).isZero();
            } finally {
                watch.interrupt();
                watch.join();
            }
            assertThat(maxAnswering.get()).isEqualTo(1);
        }
    }

    @Test
    void killingTheLeaderLeavesOneOwnerAfterTheNewElection() throws Exception {
        try (EtcdCluster own = EtcdCluster.start(3)) {
            List<Running> nodes = List.of(node("node-a", own.endpointsFrom(0)), node("node-b", own.endpointsFrom(1)),
                    node("node-c", own.endpointsFrom(2)));
            await().atMost(Duration.ofSeconds(5)).until(() -> nodes.stream().filter(Running::answers).count() == 1);
            AtomicLong maxAnswering = new AtomicLong();
            Thread watch = new Thread(() -> {
                while (!Thread.currentThread().isInterrupted()) {
                    maxAnswering.accumulateAndGet(nodes.stream().filter(Running::answers).count(), Math::max);
                    EtcdCluster.sleep(5);
                }
            });
            watch.start();
            try {
                own.kill(own.leader());
                EtcdCluster.sleep(3000);
                await().atMost(Duration.ofSeconds(10)).until(() -> nodes.stream().filter(Running::answers).count() == 1);
                assertThat(own.leader()).isNotNegative();
            } finally {
                watch.interrupt();
                watch.join();
            }
            assertThat(maxAnswering.get()).isEqualTo(1);
        }
    }
}
