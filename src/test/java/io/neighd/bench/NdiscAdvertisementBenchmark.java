package io.neighd.bench;

import io.neighd.arp.Reason;
import io.neighd.ndisc.NdiscStats;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;

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
public class NdiscAdvertisementBenchmark extends KnownPeersBenchmark {
    private byte[][] solicited;
    private byte[][] unsolicited;
    /** Peer i with MAC variant 1 at i, variant 0 at senders + i. */
    private byte[][] moves;
    private long learned;

    @Setup(Level.Trial)
    public void setUp() {
        rig = new BenchRig().ipv6(4 * senders, 8 * senders);
        learn(perPeer(BenchRig::nsForUs), Reason.NDISC_NS_REPLIED);
        solicited = perPeer(BenchRig::naToUs);
        unsolicited = perPeer(i -> BenchRig.unsolicitedNa(i, 0));
        moves = alternating(i -> BenchRig.unsolicitedNa(i, 1), i -> BenchRig.unsolicitedNa(i, 0));
        learned = rig.tx.frames;
    }

    @Benchmark
    public Reason solicited() {
        return receiveNext(solicited);
    }

    @Benchmark
    public Reason unsolicited() {
        return receiveNext(unsolicited);
    }

    @Benchmark
    public Reason unsolicitedMove() {
        return receiveNext(moves);
    }

    @TearDown(Level.Trial)
    public void check() {
        var stats = rig.engine.ndiscStats().of(rig.nd0.ifindex());
        long nas = stats.received(NdiscStats.Type.NA);
        if (rig.engine.ndTable().entries() != senders || nas == 0 || stats.count(Reason.NDISC_NA_UPDATED) != nas
                || rig.tx.frames != learned) {
            throw new IllegalStateException("not every advertisement updated a known entry without a reply");
        }
    }
}
