package io.neighd.bench;

import io.neighd.arp.Reason;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The IPv6 twin of {@link ArpRequestBenchmark}: a neighbour solicitation for 2001:db8::1 from
 * peers already in nd_tbl. Each frame goes through Engine.receive (decode, ip6_rcv_core with the
 * solicited-node membership check, the ICMPv6 checksum over the pseudo-header, ndisc_rcv's hop
 * limit, code and option checks), ndisc_recv_ns (the target is ours and valid, neigh_event_ns
 * finds the entry), and ndisc_send_na builds the solicited advertisement (S, O, TLLAO, checksum)
 * and sends it through the entry (neigh_output) to the blackhole link.
 */
public class NdiscSolicitationBenchmark extends KnownPeersBenchmark {
    private byte[][] frames;

    @Setup(Level.Trial)
    public void setUp() {
        rig = new BenchRig().ipv6(4 * senders, 8 * senders);
        frames = perPeer(BenchRig::nsForUs);
        learn(frames, Reason.NDISC_NS_REPLIED);
        rig.tx.frames = 0;
    }

    @Benchmark
    public Reason solicitationFromKnownSender() {
        return receiveNext(frames);
    }

    @TearDown(Level.Trial)
    public void check() {
        long replied = rig.engine.ndiscStats().of(rig.nd0.ifindex()).count(Reason.NDISC_NS_REPLIED);
        if (rig.engine.ndTable().entries() != senders || replied != rig.tx.frames + senders) {
            throw new IllegalStateException("not every solicitation was answered from a known entry: "
                    + replied + " answered, " + rig.tx.frames + " sent");
        }
    }
}
