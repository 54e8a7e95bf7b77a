package io.neighd.cluster;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.neighd.time.SystemClock;
import io.neighd.wire.Ipv4Cidr;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The Kubernetes backend against fabric8's kubernetes-server-mock in CRUD mode: a stand-in for a
 * real API server (none can run here) that stores objects, versions them, answers watches and
 * refuses stale writes with 409, with expectations layered on top for errors and slow answers.
 * Real threads and the system clock: these tests take about ten seconds.
 */
class KubernetesLeaseStoreTest {
    static final String VIP = "10.77.0.100";
    static final String NS = "neighd-system";
    static final String PATH = "/apis/coordination.k8s.io/v1/namespaces/" + NS + "/leases/neighd-vip-10-77-0-100";
    KubernetesMockServer server;
    final List<AutoCloseable> closing = new ArrayList<>();

    @BeforeEach
    void startServer() {
        var responses = new HashMap<io.fabric8.mockwebserver.ServerRequest, java.util.Queue<io.fabric8.mockwebserver.ServerResponse>>();
        server = new KubernetesMockServer(new Context(), new MockWebServer(), responses,
                new KubernetesMixedDispatcher(responses), false);
        server.init(java.net.InetAddress.getLoopbackAddress(), 0);
    }

    @AfterEach
    void stop() throws Exception {
        for (int i = closing.size() - 1; i >= 0; i--) {
            closing.get(i).close();
        }
        server.destroy();
    }

    /**
     * A store as a node would have it: its own client, no retries; a 2 s request timeout, as the
     * machine these tests run on is shared and a cold client's first call can take a second.
     */
    KubernetesLeaseStore store(String node) {
        KubernetesClient client = server.createClient(b -> b.editOrNewConfig().withRequestTimeout(2000)
                .withConnectionTimeout(2000).withRequestRetryBackoffLimit(0).withNamespace(NS).endConfig());
        KubernetesLeaseStore s = new KubernetesLeaseStore(client, NS, node, "neighd-vip-", Duration.ofMillis(1500),
                Duration.ofMillis(250));
        closing.add(s);
        return s;
    }

    record Running(Cluster cluster, ClusterThread thread, RecordingPort port) {
        boolean answers() {
            return thread.call(c -> port.answers(VIP), Duration.ofSeconds(2));
        }
    }

    Running node(String id) {
        KubernetesLeaseStore s = store(id);
        ClusterThread t = new ClusterThread(new SystemClock());
        RecordingPort port = new RecordingPort(System::nanoTime);
        Cluster c = new Cluster(s, port, new SystemClock(), ElectionTiming.DEFAULT, t, new ClusterListener() {
        }, 2_000_000);
        t.start(c);
        closing.add(t);
        t.call(x -> x.add(new VipSpec(Ipv4Cidr.parse(VIP + "/24"), null, Announce.DEFAULT)), Duration.ofSeconds(2));
        return new Running(c, t, port);
    }

    @Test
    void concurrentCreatesLeaveOneHolder() {
        KubernetesLeaseStore a = store("node-a");
        KubernetesLeaseStore b = store("node-b");
        var fa = a.acquire(VIP, LeaseRecord.ABSENT);
        var fb = b.acquire(VIP, LeaseRecord.ABSENT);
        Claim ca = fa.join();
        Claim cb = fb.join();
        assertThat(List.of(ca.held(), cb.held())).containsExactlyInAnyOrder(true, false);
        Claim winner = ca.held() ? ca : cb;
        Claim loser = ca.held() ? cb : ca;
        assertThat(loser.record().holder()).isEqualTo(winner.record().holder());
        assertThat(winner.record().durationMillis()).isEqualTo(1500);
    }

    @Test
    void writeOnAStaleResourceVersionIsRefusedWith409() {
        KubernetesLeaseStore a = store("node-a");
        KubernetesLeaseStore b = store("node-b");
        Claim first = a.acquire(VIP, LeaseRecord.ABSENT).join();
        Claim renewed = a.renew(VIP, first.record()).join();
        assertThat(renewed.held()).isTrue();
        assertThat(renewed.record().version()).isNotEqualTo(first.record().version());
        // node-b saw the first version: its takeover is refused and it learns the current one
        Claim taken = b.acquire(VIP, first.record()).join();
        assertThat(taken.held()).isFalse();
        assertThat(taken.record()).isEqualTo(renewed.record());
        // a read (what a standby without its watch does) shows the same version
        assertThat(b.read(VIP).join()).isEqualTo(renewed.record());
        assertThat(b.read("10.77.0.201").join().isAbsent()).isTrue();
        // a renewal on the old version is refused too: the store says who holds it now
        assertThat(a.renew(VIP, first.record()).join().held()).isFalse();
    }

    @Test
    void releaseLeavesTheLeaseWithoutHolderAndWatchersSeeIt() {
        KubernetesLeaseStore a = store("node-a");
        KubernetesLeaseStore b = store("node-b");
        List<LeaseRecord> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        b.watch(VIP, (k, r) -> seen.add(r));
        Claim c = a.acquire(VIP, LeaseRecord.ABSENT).join();
        a.release(VIP, c.record()).join();
        await().atMost(Duration.ofSeconds(5)).until(() -> !seen.isEmpty() && seen.get(seen.size() - 1).isFree()
                && !seen.get(seen.size() - 1).isAbsent());
        assertThat(b.acquire(VIP, seen.get(seen.size() - 1)).join().held()).isTrue();
    }

    /** A release sent while a renewal was in flight carries the version before it: still released. */
    @Test
    void releaseUnderAVersionARenewalMovedOnStillReleases() {
        KubernetesLeaseStore a = store("node-a");
        Claim first = a.acquire(VIP, LeaseRecord.ABSENT).join();
        assertThat(a.renew(VIP, first.record()).join().held()).isTrue();
        a.release(VIP, first.record()).join();
        assertThat(a.read(VIP).join().isFree()).isTrue();
        // and a lease another node took is left alone
        KubernetesLeaseStore b = store("node-b");
        LeaseRecord free = a.read(VIP).join();
        Claim taken = b.acquire(VIP, free).join();
        assertThat(taken.held()).isTrue();
        a.release(VIP, first.record()).join();
        assertThat(a.read(VIP).join().holder()).isEqualTo("node-b");
    }

    @Test
    void serverErrorsAndSlowAnswersFailTheCallWithinTheRequestTimeout() {
        KubernetesLeaseStore a = store("node-a");
        Claim c = a.acquire(VIP, LeaseRecord.ABSENT).join();
        server.expect().put().withPath(PATH).andReturn(500, "{\"kind\":\"Status\",\"code\":500}").once();
        assertThatThrownBy(() -> a.renew(VIP, c.record()).join()).isInstanceOf(CompletionException.class)
                .hasMessageContaining("500");
        server.expect().put().delay(8, TimeUnit.SECONDS).withPath(PATH).andReturn(200, "{}").once();
        long t0 = System.nanoTime();
        assertThatThrownBy(() -> a.renew(VIP, c.record()).join()).isInstanceOf(CompletionException.class)
                .hasMessageContaining("timeout");
        assertThat((System.nanoTime() - t0) / 1_000_000).isLessThan(8000);
    }

    @Test
    void threeCandidatesElectOneAndAReleaseHandsOverWithoutWaitingForExpiry() {
        List<LeaseRecord> history = new java.util.concurrent.CopyOnWriteArrayList<>();
        KubernetesLeaseStore observer = store("observer");
        observer.watch(VIP, (k, r) -> history.add(r));
        await().atMost(Duration.ofSeconds(10)).until(observer::watching);
        List<Running> nodes = List.of(node("node-a"), node("node-b"), node("node-c"));
        await().atMost(Duration.ofSeconds(10)).until(() -> nodes.stream().filter(Running::answers).count() == 1);
        Running owner = nodes.stream().filter(Running::answers).findFirst().orElseThrow();
        owner.thread.call(c -> c.release(VIP), Duration.ofSeconds(2));
        await().pollInterval(Duration.ofMillis(5)).atMost(Duration.ofSeconds(10))
                .until(() -> nodes.stream().filter(n -> n != owner).anyMatch(Running::answers));
        assertThat(nodes.stream().filter(Running::answers).count()).isEqualTo(1);
        // the new holder took the lease the old one had released, not one that expired
        await().atMost(Duration.ofSeconds(10)).until(() -> releasedAt(history) > 0
                && history.size() > releasedAt(history) + 1);
        int released = releasedAt(history);
        String before = history.get(released - 1).holder();
        assertThat(before).as("holder before the release in %s", history).isNotEmpty();
        assertThat(history.get(released + 1).holder()).as("%s", history).isNotEmpty().isNotEqualTo(before);
    }

    /** The index of the first record that exists without a holder: a release. */
    private static int releasedAt(List<LeaseRecord> history) {
        for (int i = 0; i < history.size(); i++) {
            if (history.get(i).isFree() && !history.get(i).isAbsent()) {
                return i;
            }
        }
        return -1;
    }

    @Test
    void crashedOwnerIsReplacedAfterTheLeaseDuration() {
        List<Running> nodes = new ArrayList<>(List.of(node("node-a"), node("node-b")));
        await().atMost(Duration.ofSeconds(5)).until(() -> nodes.stream().filter(Running::answers).count() == 1);
        Running owner = nodes.stream().filter(Running::answers).findFirst().orElseThrow();
        // kill -9: the thread stops, nothing is released
        owner.thread.close();
        owner.port.answering.clear();
        nodes.remove(owner);
        long t0 = System.nanoTime();
        await().pollInterval(Duration.ofMillis(10)).atMost(Duration.ofSeconds(15)).until(() -> nodes.get(0).answers());
        long took = (System.nanoTime() - t0) / 1_000_000;
        // it waited for the lease to expire (1500 ms after the last renewal it saw)
        assertThat(took).as("takeover took %d ms", took).isGreaterThan(500L);
    }
}
