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
 * The IPv6 twin of {@link ArpUpdateBenchmark}: neighbour advertisements that update entries
 * already in nd_tbl, nothing answered. The same path as far as ndisc_rcv (ip6_rcv_core, checksum,
 * hop limit), then ndisc_recv_na and ndisc_update.
 * <ul>
 *   <li>{@code solicited}: each peer's S+O advertisement unicast to us (neigh_update REACHABLE:
 *       confirmed moves, the reachable timer is re-armed);</li>
 *   <li>{@code unsolicited}: each peer's O advertisement to ff02::1 with the same MAC
 *       (neigh_update STALE with override: a refresh);</li>
 *   <li>{@code unsolicitedMove}: the same with a MAC that alternates on every visit (failover: the
 *       link-layer address changes, RTM_NEWNEIGH is notified).</li>
 * </ul>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
public class NdiscAdvertisementBenchmark {
    @Param("4096")
    int senders;

    private BenchRig rig;
    private byte[][] solicited;
    private byte[][] unsolicited;
    /** Peer i with MAC variant 1 at i, variant 0 at senders + i. */
    private byte[][] moves;
    private int next;
    private long learned;

    @Setup(Level.Trial)
    public void setUp() {
        rig = new BenchRig().ipv6(4 * senders, 8 * senders);
        solicited = new byte[senders][];
        unsolicited = new byte[senders][];
        moves = new byte[2 * senders][];
        for (int i = 0; i < senders; i++) {
            byte[] learn = BenchRig.nsForUs(i);
            if (rig.engine.receive(rig.nd0, learn, learn.length) != Reason.NDISC_NS_REPLIED) {
                throw new IllegalStateException("learning peer " + i);
            }
            solicited[i] = BenchRig.naToUs(i);
            unsolicited[i] = BenchRig.unsolicitedNa(i, 0);
            moves[i] = BenchRig.unsolicitedNa(i, 1);
            moves[senders + i] = BenchRig.unsolicitedNa(i, 0);
        }
        learned = rig.tx.frames;
    }

    @Benchmark
    public Reason solicited() {
        byte[] f = solicited[next];
        next = (next + 1) & (senders - 1);
        return rig.engine.receive(rig.nd0, f, f.length);
    }

    @Benchmark
    public Reason unsolicited() {
        byte[] f = unsolicited[next];
        next = (next + 1) & (senders - 1);
        return rig.engine.receive(rig.nd0, f, f.length);
    }

    @Benchmark
    public Reason unsolicitedMove() {
        byte[] f = moves[next];
        next = (next + 1) & (2 * senders - 1);
        return rig.engine.receive(rig.nd0, f, f.length);
    }

    @TearDown(Level.Trial)
    public void check() {
        var stats = rig.engine.ndiscStats().of(rig.nd0.ifindex());
        long nas = stats.received(io.neighd.ndisc.NdiscStats.Type.NA);
        if (rig.engine.ndTable().entries() != senders || nas == 0 || stats.count(Reason.NDISC_NA_UPDATED) != nas
                || rig.tx.frames != learned) {
            throw new IllegalStateException("not every advertisement updated a known entry without a reply");
        }
    }
}
