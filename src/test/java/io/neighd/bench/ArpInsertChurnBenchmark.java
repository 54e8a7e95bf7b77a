package io.neighd.bench;

import io.neighd.arp.Reason;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Target 3: who-has 10.0.0.1 from ever-new senders with gc_thresh2/3 = 10k/20k, so that the
 * table is always full and allocation keeps forcing GC (neigh_forced_gc). The frames cycle through
 * 65,536 senders, far more than the table holds, so each sender is new again when it comes back.
 *
 * <p>The manual clock moves one jiffy (4 ms) every {@code framesPerJiffy} frames, as a replay
 * moves it, because forced GC removes only entries not updated for 5 s: with a frozen clock the
 * table fills and every later frame is TABLE_FULL. At 8 frames per jiffy (2,000 frames per
 * simulated second) the table spans 10 s when it reaches gc_thresh3, so forced GC always finds
 * the ~10,000 entries it must remove, one removal per insert; the periodic GC walk (every 15
 * simulated seconds) comes once per 30,000 frames.
 */
public class ArpInsertChurnBenchmark extends EngineBenchmark {
    private static final int SENDERS = 1 << 16;

    @Param("8")
    int framesPerJiffy;

    private byte[][] frames;
    private int next;

    @Setup(Level.Trial)
    public void setUp() {
        rig = new BenchRig().thresholds(10_000, 20_000);
        frames = new byte[SENDERS][];
        for (int i = 0; i < SENDERS; i++) {
            frames[i] = BenchRig.requestForUs(i);
        }
    }

    @Benchmark
    public Reason requestFromNewSender() {
        byte[] f = frames[next];
        next = (next + 1) & (SENDERS - 1);
        if (next % framesPerJiffy == 0) {
            rig.advanceJiffies(1);
        }
        return rig.engine.receive(rig.nd0, f, f.length);
    }

    @TearDown(Level.Trial)
    public void check() {
        var stats = rig.engine.arpStats().of(rig.nd0.ifindex());
        if (stats.count(Reason.TABLE_FULL) != 0 || stats.count(Reason.REPLIED) != rig.engine.stats().allocs
                || rig.engine.stats().forcedGcRuns == 0) {
            throw new IllegalStateException("expected every frame to insert, and forced GC to make room: "
                    + stats.count(Reason.TABLE_FULL) + " table full, " + rig.engine.stats().allocs + " allocs, "
                    + rig.engine.stats().forcedGcRuns + " forced GC runs");
        }
    }
}
