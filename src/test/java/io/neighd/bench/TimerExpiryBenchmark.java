package io.neighd.bench;

import io.neighd.arp.Reason;
import io.neighd.neighbour.NeighVar;
import io.neighd.neighbour.NudState;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * Target 5: 1,000,000 REACHABLE entries whose reachable_time timers were armed over 1,000
 * jiffies (4 s); one invocation moves the manual clock past all their deadlines and
 * {@code Engine.sync()} runs the wheel tick by tick: 1,000,000 neigh_timer_handler calls, each
 * REACHABLE → STALE. The score is time per expiry; expirations/s = 1e9 / score.
 *
 * <p>gc_thresh1 is set above the table size so that the periodic GC work, which also falls due
 * while the clock moves 34 s, does not walk the million entries inside the measurement: that
 * walk is not timer expiry (the kernel skips it below gc_thresh1 too).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5)
@Measurement(iterations = 10)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
public class TimerExpiryBenchmark {
    static final int ENTRIES = 1_000_000;
    static final int SPREAD_JIFFIES = 1_000;

    private BenchRig rig;
    private byte[] frame;
    private long advance;

    @Setup(Level.Trial)
    public void setUp() {
        rig = new BenchRig().thresholds(2 * ENTRIES, 2 * ENTRIES)
                .sysctl("net.ipv4.neigh.default.gc_thresh1", 2 * ENTRIES)
                .sysctl("net.ipv4.conf.nd0.arp_accept", 1);
        frame = BenchRig.replyToUs(0);
        advance = rig.nd0.arpParms().reachableTime() + SPREAD_JIFFIES + 2;
    }

    /** Every entry REACHABLE again (created the first time), deadlines spread over 1,000 jiffies. */
    @Setup(Level.Iteration)
    public void arm() {
        int perJiffy = ENTRIES / SPREAD_JIFFIES;
        for (int i = 0; i < ENTRIES; i++) {
            if (i % perJiffy == 0) {
                rig.advanceJiffies(1);
            }
            BenchRig.rewriteReply(frame, i);
            Reason r = rig.engine.receive(rig.nd0, frame, frame.length);
            if (r != Reason.UPDATED && r != Reason.CREATED_BY_ARP_ACCEPT) {
                throw new IllegalStateException("peer " + i + ": " + r);
            }
        }
        expectAll(NudState.NUD_REACHABLE);
        System.gc();
    }

    @Benchmark
    @OperationsPerInvocation(ENTRIES)
    public long expireAll() {
        rig.advanceJiffies(advance);
        return rig.engine.wheel().pendingCount();
    }

    @TearDown(Level.Iteration)
    public void check() {
        expectAll(NudState.NUD_STALE);
    }

    private void expectAll(int state) {
        long n = rig.nd0.arpParms().stateCount(NudState.index(state));
        if (n != ENTRIES) {
            throw new IllegalStateException(n + " entries " + NudState.ofBit(state) + ", expected " + ENTRIES
                    + " (delay_probe_time " + rig.nd0.arpParms().get(NeighVar.DELAY_PROBE_TIME) + ")");
        }
    }
}
