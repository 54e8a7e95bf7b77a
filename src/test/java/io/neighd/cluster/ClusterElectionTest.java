package io.neighd.cluster;

import io.neighd.time.ManualClock;
import io.neighd.wire.IpCidr;
import io.neighd.wire.Ipv4Cidr;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The election on a manual clock, three nodes sharing one in-memory store, default timing
 * (lease 1500 ms, renew deadline 1000 ms, retry 250 ms, preference spread 50 ms). After every
 * step the harness checks that at most one node answers for the address.
 *
 * <pre>
 * | From     | To        | Cause                                           | Action                         |
 * |----------|-----------|-------------------------------------------------|--------------------------------|
 * | STANDBY  | OWNER     | lease free, head start over                     | claim, burst of gratuitous ARP |
 * | OWNER    | OWNER     | retry period over                               | renew, deadline moves          |
 * | OWNER    | STANDBY   | no renewal for renew-deadline (store cut off)   | unclaim at the deadline        |
 * | STANDBY  | OWNER     | seen version unchanged for lease-duration       | take over (crash failover)     |
 * | OWNER    | RELEASING | API release / shutdown                          | unclaim, then release          |
 * | STANDBY  | OWNER     | release seen                                    | take over at once (handover)   |
 * | STANDBY  | OWNER     | release read (watch not established)            | take over within retry period  |
 * | OWNER    | RELEASING | interface stops serving                         | unclaim, release (no hold-off) |
 * | INELIGIBLE| STANDBY  | interface in the subnet serves                  | watch                          |
 * </pre>
 *
 * <p>{@link ClusterElectionIpv6Test} runs every row again for an IPv6 address.
 */
class ClusterElectionTest {
    final String VIP = address();
    final ManualClock clock = new ManualClock(1_000_000_000L);
    final FakeLeases store = new FakeLeases(1500);
    final Map<String, Node> nodes = new LinkedHashMap<>();
    long maxOverlap;

    record Node(String id, Cluster cluster, FakeLeases.Node link, RecordingPort port) {
    }

    /** The elected address; its subnet is the prefix of the one nd0 has (RecordingPort). */
    String address() {
        return "10.77.0.100";
    }

    int prefix() {
        return 24;
    }

    /** The first frame a new owner sends. */
    String firstAnnouncement() {
        return "garp request nd0 " + VIP;
    }

    @BeforeEach
    void threeNodes() {
        for (String id : List.of("node-a", "node-b", "node-c")) {
            FakeLeases.Node link = store.node(id);
            RecordingPort port = new RecordingPort(clock::nanos);
            Cluster c = new Cluster(link, port, clock, ElectionTiming.DEFAULT, link, new ClusterListener() {
            }, 2_000_000);
            nodes.put(id, new Node(id, c, link, port));
        }
    }

    // ------------------------------------------------------------------ steps

    void elect(String... ids) {
        for (String id : ids) {
            nodes.get(id).cluster.add(new VipSpec(IpCidr.parse(VIP + "/" + prefix()), null, Announce.DEFAULT));
        }
        settle();
    }

    /** {@code id} stands alone and takes the address after its head start. */
    void electOwner(String id) {
        elect(id);
        untilAnswered(100);
        assertThat(owner()).isEqualTo(id);
    }

    /** Runs every node's queued work and timers due now, until nothing is left. */
    void settle() {
        boolean busy = true;
        while (busy) {
            busy = false;
            for (Node n : nodes.values()) {
                while (!n.link.queue.isEmpty()) {
                    n.link.queue.poll().run();
                    busy = true;
                }
            }
            for (Node n : nodes.values()) {
                n.cluster.tick();
            }
            busy |= nodes.values().stream().anyMatch(n -> !n.link.queue.isEmpty());
            checkOverlap();
        }
    }

    /** Moves the clock by {@code ms}, stopping at every moment some node has something due. */
    void advance(long ms) {
        long target = clock.nanos() + ms * 1_000_000L;
        while (clock.nanos() < target) {
            long next = target;
            for (Node n : nodes.values()) {
                next = Math.min(next, Math.max(clock.nanos() + 1, n.cluster.tick()));
            }
            clock.set(next);
            settle();
        }
    }

    void advanceTo(long nanos) {
        while (clock.nanos() < nanos) {
            long next = nanos;
            for (Node n : nodes.values()) {
                next = Math.min(next, Math.max(clock.nanos() + 1, n.cluster.tick()));
            }
            clock.set(next);
            settle();
        }
    }

    void checkOverlap() {
        long answering = nodes.values().stream().filter(n -> n.port.answers(VIP)).count();
        maxOverlap = Math.max(maxOverlap, answering);
        assertThat(answering).as("nodes answering for %s at %d ms", VIP, clock.nanos() / 1_000_000).isLessThanOrEqualTo(1);
    }

    String owner() {
        List<String> o = new ArrayList<>();
        nodes.values().forEach(n -> {
            if (n.port.answers(VIP)) {
                o.add(n.id);
            }
        });
        return o.isEmpty() ? null : o.get(0);
    }

    long ms() {
        return clock.nanos() / 1_000_000;
    }

    /** Advances 1 ms at a time until someone answers; the time it took. */
    long untilAnswered(long maxMs) {
        long start = ms();
        while (owner() == null && ms() - start < maxMs) {
            advance(1);
        }
        return ms() - start;
    }

    Node preferred() {
        return nodes.values().stream().max((x, y) -> Double.compare(Rendezvous.weight(x.id, VIP),
                Rendezvous.weight(y.id, VIP))).orElseThrow();
    }

    // ------------------------------------------------------------------ rows

    @Test
    void standbyTakesFreeLeaseInRendezvousOrder() {
        elect("node-a", "node-b", "node-c");
        untilAnswered(100);
        assertThat(owner()).isEqualTo(preferred().id);
        assertThat(store.record(VIP).holder()).isEqualTo(preferred().id);
        assertThat(nodes.values().stream().filter(n -> n.cluster.status(VIP).role() == Role.OWNER).count()).isEqualTo(1);
    }

    @Test
    void ownerRenewsEveryRetryPeriodAndAnnouncesThreeRoundsOfBothForms() {
        electOwner("node-a");
        int writes = store.writes;
        advance(5000);
        Node a = nodes.get("node-a");
        assertThat(owner()).isEqualTo("node-a");
        assertThat(store.writes - writes).isEqualTo(20);
        List<String> sent = a.port.gratuitous();
        long first = Long.parseLong(sent.get(0).replaceAll(".* at ", ""));
        assertThat(sent).extracting(s -> s.replaceAll(" at \\d+$", "") + " +"
                + (Long.parseLong(s.replaceAll(".* at ", "")) - first)).containsExactly(
                "garp request nd0 " + VIP + " +0", "garp reply nd0 " + VIP + " +2",
                "garp request nd0 " + VIP + " +1100", "garp reply nd0 " + VIP + " +1102",
                "garp request nd0 " + VIP + " +2200", "garp reply nd0 " + VIP + " +2202");
        assertThat(a.cluster.status(VIP).gratuitousSent()).isEqualTo(6);
    }

    @Test
    void ownerCutOffFromTheStoreStopsAnsweringAtItsRenewDeadlineBeforeAnyoneElseMayStart() {
        electOwner("node-a");
        advance(600);
        Node a = nodes.get("node-a");
        elect("node-b", "node-c");
        a.link.cutOff();
        long lastSent = a.cluster.status(VIP).lastRenewalNanos() / 1_000_000;
        long deadline = a.cluster.status(VIP).lastRenewalNanos() + 1_000_000_000L;
        advanceTo(deadline - 1);
        assertThat(owner()).isEqualTo("node-a");
        advanceTo(deadline);
        assertThat(owner()).isNull();
        assertThat(a.port.calls).last().isEqualTo("unclaim nd0 " + VIP);
        long stoppedAt = ms();
        long took = untilAnswered(3000);
        assertThat(owner()).isIn("node-b", "node-c");
        // the standbys waited a whole lease duration after the last renewal they saw
        assertThat(stoppedAt + took - lastSent).isGreaterThanOrEqualTo(1500);
        assertThat(maxOverlap).isEqualTo(1);
    }

    @Test
    void crashedOwnerIsReplacedWithinLeaseDurationPlusHeadStart() {
        electOwner("node-a");
        advance(300);
        elect("node-b", "node-c");
        advance(300);
        Node a = nodes.get("node-a");
        // kill -9: the node neither renews nor releases; its engine is gone with it
        nodes.remove("node-a");
        a.port.answering.clear();
        long crashedAt = ms();
        long took = untilAnswered(3000);
        assertThat(owner()).isIn("node-b", "node-c");
        assertThat(took).isBetween(1500L - 250, 1500L + 50);
        assertThat(ms() - crashedAt).isLessThan(2000);
    }

    @Test
    void releaseStopsAnsweringFirstAndAStandbyTakesOverWithoutWaitingForExpiry() {
        electOwner("node-a");
        elect("node-b", "node-c");
        advance(400);
        Node a = nodes.get("node-a");
        List<String> atUnclaim = new ArrayList<>();
        a.port.onUnclaim = () -> atUnclaim.add(store.record(VIP).holder());
        long releasedAt = ms();
        a.cluster.release(VIP);
        // the engine stopped answering while the store still named node-a: nobody else could start
        assertThat(atUnclaim).containsExactly("node-a");
        assertThat(store.record(VIP).holder()).isEmpty();
        long took = untilAnswered(200);
        assertThat(owner()).isIn("node-b", "node-c");
        assertThat(took).isLessThanOrEqualTo(50);
        assertThat(ms() - releasedAt).isLessThanOrEqualTo(50);
        // and node-a does not take it back within its hold-off
        advance(1400);
        assertThat(owner()).isNotEqualTo("node-a");
    }

    @Test
    void theFirstGratuitousArpFollowsTheClaimWithoutWaitingForATick() {
        elect("node-a");
        untilAnswered(100);
        List<String> calls = nodes.get("node-a").port.calls;
        assertThat(calls).hasSizeGreaterThanOrEqualTo(2);
        assertThat(calls.get(0)).startsWith("claim nd0 " + VIP + "/" + prefix() + " until ");
        // the store answered at once: the claim was made at (its deadline - renew deadline)
        long claimedAt = Long.parseLong(calls.get(0).replaceAll(".* until ", "")) - 1000;
        assertThat(calls.get(1)).isEqualTo(firstAnnouncement() + " at " + claimedAt);
    }

    /**
     * A standby that has just started (or whose connection is being set up again) has no watch
     * yet: it reads the lease every retry period instead, so a release reaches it within one,
     * not after the lease duration.
     */
    @Test
    void aStandbyWithoutItsWatchReadsTheLeaseAndTakesAReleaseWithinARetryPeriod() {
        electOwner("node-a");
        Node b = nodes.get("node-b");
        b.link.watchDown = true;
        elect("node-b");
        advance(600);
        assertThat(b.link.reads).as("reads while the watch is down").isGreaterThan(0);
        nodes.get("node-a").cluster.release(VIP);
        long took = untilAnswered(2000);
        assertThat(owner()).isEqualTo("node-b");
        assertThat(took).isLessThanOrEqualTo(250 + 20);
    }

    @Test
    void withItsWatchAStandbyDoesNotRead() {
        electOwner("node-a");
        elect("node-b");
        FakeLeases.Node b = nodes.get("node-b").link;
        int before = b.reads;
        advance(2000);
        assertThat(b.reads).isEqualTo(before);
    }

    @Test
    void renewalAnsweredAfterTheDeadlineGivesNothingUntilATimelyOne() {
        electOwner("node-a");
        Node a = nodes.get("node-a");
        a.link.holdAnswers = true;
        advance(1100);
        assertThat(owner()).isNull();
        // the renewal sent 250 ms after the claim succeeds 850 ms too late: it gives nothing
        a.link.answerFirstHeld();
        settle();
        assertThat(owner()).isNull();
        // the acquisition sent at the deadline (the store still names node-a) is answered in time
        a.link.holdAnswers = false;
        a.link.answerHeld();
        settle();
        assertThat(owner()).isEqualTo("node-a");
    }

    @Test
    void ownerWhoseInterfaceStopsServingStepsDownAndReleases() {
        elect("node-a", "node-b");
        untilAnswered(100);
        Node first = nodes.get(owner());
        first.port.serving("nd0", false);
        advance(1);
        advance(300);
        assertThat(owner()).isNotNull().isNotEqualTo(first.id);
        assertThat(first.cluster.status(VIP).role()).isEqualTo(Role.INELIGIBLE);
    }

    /**
     * An owner whose link went down gave nothing up on purpose: back up, it is a candidate at once
     * (no hold-off), so a handover from the new owner within a lease duration does not leave the
     * address unanswered while the only standby waits.
     */
    @Test
    void anOwnerWhoseLinkCameBackStandsAtOnceWithoutAHoldOff() {
        electOwner("node-a");
        elect("node-b");
        advance(400);
        Node a = nodes.get("node-a");
        a.port.serving("nd0", false);
        advance(300);
        assertThat(owner()).isEqualTo("node-b");
        a.port.serving("nd0", true);
        advance(100);
        assertThat(a.cluster.status(VIP).role()).isEqualTo(Role.STANDBY);
        nodes.get("node-b").cluster.release(VIP);
        long took = untilAnswered(1500);
        assertThat(owner()).isEqualTo("node-a");
        assertThat(took).isLessThanOrEqualTo(50);
    }

    @Test
    void nodeWithoutAnInterfaceInTheSubnetDoesNotStand() {
        Node c = nodes.get("node-c");
        c.port.devices.clear();
        c.port.devices.add(new AddressPort.Device("eth9", true, List.of(Ipv4Cidr.parse("192.0.2.1/24"))));
        elect("node-c");
        advance(3000);
        assertThat(owner()).isNull();
        assertThat(c.cluster.status(VIP).role()).isEqualTo(Role.INELIGIBLE);
        assertThat(store.record(VIP).isAbsent()).isTrue();
    }

    @Test
    void restartedOwnerTakesItsOwnLeaseBackAtOnce() {
        electOwner("node-a");
        advance(100);
        Node a = nodes.remove("node-a");
        a.port.answering.clear();
        FakeLeases.Node link = store.node("node-a");
        RecordingPort port = new RecordingPort(clock::nanos);
        nodes.put("node-a", new Node("node-a", new Cluster(link, port, clock, ElectionTiming.DEFAULT, link,
                new ClusterListener() {
                }, 2_000_000), link, port));
        elect("node-a");
        assertThat(owner()).isEqualTo("node-a");
    }

    @Test
    void twoCandidatesRacingForOneVersionGetOneOwner() {
        Node a = nodes.get("node-a");
        Node b = nodes.get("node-b");
        LeaseRecord seen = store.record(VIP);
        Claim ca = a.link.acquire(VIP, seen).join();
        Claim cb = b.link.acquire(VIP, seen).join();
        assertThat(ca.held()).isTrue();
        assertThat(cb.held()).isFalse();
        assertThat(cb.record().holder()).isEqualTo("node-a");
    }

    @Test
    void timingThatCannotBeProvenSafeIsRefused() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new ElectionTiming(Duration.ofMillis(1000),
                        Duration.ofMillis(990), Duration.ofMillis(200), Duration.ZERO))
                .hasMessageContaining("must exceed renew-deadline (990ms) by at least 21ms");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new ElectionTiming(Duration.ofMillis(1500),
                        Duration.ofMillis(1000), Duration.ofMillis(600), Duration.ZERO))
                .hasMessageContaining("at least twice retry-period");
        assertThat(ElectionTiming.DEFAULT.margin()).isEqualTo(Duration.ofMillis(500));
    }
}
