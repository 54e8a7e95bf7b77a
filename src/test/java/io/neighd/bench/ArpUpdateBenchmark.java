package io.neighd.bench;

import io.neighd.arp.Reason;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Target 2: ARP that updates entries already in the table, nothing answered.
 * <ul>
 *   <li>{@code garpRequest}: arping -U from each peer, same MAC (ip_route_input is not LOCAL,
 *       forwarding is off, arp_is_garp, neigh_update STALE with override: a refresh);</li>
 *   <li>{@code replyToUs}: each peer's is-at unicast to us (neigh_update REACHABLE: confirmed moves);</li>
 *   <li>{@code garpReplyMove}: arping -A with a MAC that alternates on every visit (failover:
 *       the link-layer address changes, RTM_NEWNEIGH is notified).</li>
 * </ul>
 */
public class ArpUpdateBenchmark extends KnownPeersBenchmark {
    private byte[][] garpRequests;
    private byte[][] replies;
    /** Peer i with MAC variant 1 at i, variant 0 at senders + i. */
    private byte[][] garpMoves;

    @Setup(Level.Trial)
    public void setUp() {
        rig = new BenchRig().thresholds(4 * senders, 8 * senders);
        learn(perPeer(BenchRig::requestForUs), Reason.REPLIED);
        garpRequests = perPeer(i -> BenchRig.garpRequest(i, 0));
        replies = perPeer(BenchRig::replyToUs);
        garpMoves = alternating(i -> BenchRig.garpReply(i, 1), i -> BenchRig.garpReply(i, 0));
    }

    @Benchmark
    public Reason garpRequest() {
        return receiveNext(garpRequests);
    }

    @Benchmark
    public Reason replyToUs() {
        return receiveNext(replies);
    }

    @Benchmark
    public Reason garpReplyMove() {
        return receiveNext(garpMoves);
    }

    @TearDown(Level.Trial)
    public void check() {
        var stats = rig.engine.arpStats().of(rig.nd0.ifindex());
        long received = stats.receivedRequests() + stats.receivedReplies();
        if (rig.engine.table().entries() != senders || stats.count(Reason.UPDATED) != received - senders) {
            throw new IllegalStateException("not every frame updated a known entry");
        }
    }
}
