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
 * Target 1: who-has 10.0.0.1 from peers already in the table. Each frame goes through
 * Engine.receive (decode, counters) and arp_process: ip_route_input says LOCAL, arp_ignore 0
 * lets it through, neigh_event_ns finds the STALE entry and leaves it as it is, and the reply is
 * built and handed to the blackhole link.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
public class ArpRequestBenchmark {
    /** How many distinct known senders the frames cycle through (a power of two). */
    @Param("4096")
    int senders;

    private BenchRig rig;
    private byte[][] frames;
    private int next;

    @Setup(Level.Trial)
    public void setUp() {
        rig = new BenchRig().thresholds(4 * senders, 8 * senders);
        frames = new byte[senders][];
        for (int i = 0; i < senders; i++) {
            frames[i] = BenchRig.requestForUs(i);
            Reason r = rig.engine.receive(rig.nd0, frames[i], frames[i].length);
            if (r != Reason.REPLIED) {
                throw new IllegalStateException("learning peer " + i + ": " + r);
            }
        }
    }

    @Benchmark
    public Reason requestFromKnownSender() {
        byte[] f = frames[next];
        next = (next + 1) & (senders - 1);
        return rig.engine.receive(rig.nd0, f, f.length);
    }

    @TearDown(Level.Trial)
    public void check() {
        if (rig.engine.table().entries() != senders
                || rig.engine.arpStats().of(rig.nd0.ifindex()).count(Reason.REPLIED) != rig.tx.frames) {
            throw new IllegalStateException("not every request was answered from a known entry");
        }
    }
}
