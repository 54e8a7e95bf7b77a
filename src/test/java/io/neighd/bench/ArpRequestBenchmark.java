package io.neighd.bench;

import io.neighd.arp.Reason;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Target 1: who-has 10.0.0.1 from peers already in the table. Each frame goes through
 * Engine.receive (decode, counters) and arp_process: ip_route_input says LOCAL, arp_ignore 0
 * lets it through, neigh_event_ns finds the STALE entry and leaves it as it is, and the reply is
 * built and handed to the blackhole link.
 */
public class ArpRequestBenchmark extends KnownPeersBenchmark {
    private byte[][] frames;

    @Setup(Level.Trial)
    public void setUp() {
        rig = new BenchRig().thresholds(4 * senders, 8 * senders);
        frames = perPeer(BenchRig::requestForUs);
        learn(frames, Reason.REPLIED);
    }

    @Benchmark
    public Reason requestFromKnownSender() {
        return receiveNext(frames);
    }

    @TearDown(Level.Trial)
    public void check() {
        if (rig.engine.table().entries() != senders
                || rig.engine.arpStats().of(rig.nd0.ifindex()).count(Reason.REPLIED) != rig.tx.frames) {
            throw new IllegalStateException("not every request was answered from a known entry");
        }
    }
}
