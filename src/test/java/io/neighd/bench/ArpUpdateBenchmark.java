package io.neighd.bench;

import io.neighd.arp.Reason;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

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
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
public class ArpUpdateBenchmark {
    @Param("4096")
    int senders;

    private BenchRig rig;
    private byte[][] garpRequests;
    private byte[][] replies;
    /** Peer i with MAC variant 0 at i, variant 1 at senders + i. */
    private byte[][] garpMoves;
    private int next;

    @Setup(Level.Trial)
    public void setUp() {
        rig = new BenchRig().thresholds(4 * senders, 8 * senders);
        garpRequests = new byte[senders][];
        replies = new byte[senders][];
        garpMoves = new byte[2 * senders][];
        for (int i = 0; i < senders; i++) {
            byte[] learn = BenchRig.requestForUs(i);
            if (rig.engine.receive(rig.nd0, learn, learn.length) != Reason.REPLIED) {
                throw new IllegalStateException("learning peer " + i);
            }
            garpRequests[i] = BenchRig.garpRequest(i, 0);
            replies[i] = BenchRig.replyToUs(i);
            garpMoves[i] = BenchRig.garpReply(i, 1);
            garpMoves[senders + i] = BenchRig.garpReply(i, 0);
        }
    }

    @Benchmark
    public Reason garpRequest() {
        byte[] f = garpRequests[next];
        next = (next + 1) & (senders - 1);
        return rig.engine.receive(rig.nd0, f, f.length);
    }

    @Benchmark
    public Reason replyToUs() {
        byte[] f = replies[next];
        next = (next + 1) & (senders - 1);
        return rig.engine.receive(rig.nd0, f, f.length);
    }

    @Benchmark
    public Reason garpReplyMove() {
        byte[] f = garpMoves[next];
        next = (next + 1) & (2 * senders - 1);
        return rig.engine.receive(rig.nd0, f, f.length);
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
