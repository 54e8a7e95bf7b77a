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
 * The IPv6 twin of {@link ArpRequestBenchmark}: a neighbour solicitation for 2001:db8::1 from
 * peers already in nd_tbl. Each frame goes through Engine.receive (decode, ip6_rcv_core with the
 * solicited-node membership check, the ICMPv6 checksum over the pseudo-header, ndisc_rcv's hop
 * limit, code and option checks), ndisc_recv_ns (the target is ours and valid, neigh_event_ns
 * finds the entry), and ndisc_send_na builds the solicited advertisement (S, O, TLLAO, checksum)
 * and sends it through the entry (neigh_output) to the blackhole link.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
public class NdiscSolicitationBenchmark {
    /** How many distinct known senders the frames cycle through (a power of two). */
    @Param("4096")
    int senders;

    private BenchRig rig;
    private byte[][] frames;
    private int next;

    @Setup(Level.Trial)
    public void setUp() {
        rig = new BenchRig().ipv6(4 * senders, 8 * senders);
        frames = new byte[senders][];
        for (int i = 0; i < senders; i++) {
            frames[i] = BenchRig.nsForUs(i);
            Reason r = rig.engine.receive(rig.nd0, frames[i], frames[i].length);
            if (r != Reason.NDISC_NS_REPLIED) {
                throw new IllegalStateException("learning peer " + i + ": " + r);
            }
        }
        rig.tx.frames = 0;
    }

    @Benchmark
    public Reason solicitationFromKnownSender() {
        byte[] f = frames[next];
        next = (next + 1) & (senders - 1);
        return rig.engine.receive(rig.nd0, f, f.length);
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
