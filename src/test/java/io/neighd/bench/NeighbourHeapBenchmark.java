package io.neighd.bench;

import io.neighd.arp.Reason;
import io.neighd.neighbour.Neighbour;
import io.neighd.neighbour.NeighbourTable;
import io.neighd.neighbour.NudState;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.concurrent.TimeUnit;

/**
 * Target 4: retained heap per entry with 1,000,000 entries, each with an armed timer. One
 * invocation builds an engine, reads the heap after full GCs (the empty-engine baseline), fills
 * the table, reads it again and reports the difference per entry as the {@code bytesPerEntry}
 * counter; the primary score (time to build and measure) is incidental. One measured iteration:
 * JMH sums EVENTS counters over iterations, and the figure is deterministic to a byte anyway.
 * <ul>
 *   <li>{@code reachable}: arp_accept=1 and an is-at unicast to us from each peer: the entry is
 *       created REACHABLE with its reachable_time timer armed;</li>
 *   <li>{@code incomplete}: neigh_event_send on a new entry, as outbound traffic starts
 *       resolution: INCOMPLETE with its retrans timer armed, one solicitation sent.</li>
 *   <li>{@code ndiscIncomplete}, {@code ndiscReachable}: the same in nd_tbl, 16-byte keys
 *       (2001:db8::/64 peers): INCOMPLETE after neigh_event_send (one NS each), then REACHABLE
 *       after each peer's solicited NA.</li>
 * </ul>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 1)
@Measurement(iterations = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
public class NeighbourHeapBenchmark {
    static final int ENTRIES = 1_000_000;

    /** Reported next to the score. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.EVENTS)
    public static class Footprint {
        public double bytesPerEntry;

        @Setup(Level.Iteration)
        public void clear() {
            bytesPerEntry = 0;
        }
    }

    @Benchmark
    public Object reachable(Footprint out) {
        BenchRig rig = emptyRig().sysctl("net.ipv4.conf.nd0.arp_accept", 1);
        long before = usedHeapAfterGc();
        byte[] frame = BenchRig.replyToUs(0);
        for (int i = 0; i < ENTRIES; i++) {
            BenchRig.rewriteReply(frame, i);
            Reason r = rig.engine.receive(rig.nd0, frame, frame.length);
            if (r != Reason.CREATED_BY_ARP_ACCEPT) {
                throw new IllegalStateException("peer " + i + ": " + r);
            }
        }
        return measure(rig, before, NudState.NUD_REACHABLE, out);
    }

    @Benchmark
    public Object incomplete(Footprint out) {
        BenchRig rig = emptyRig();
        long before = usedHeapAfterGc();
        NeighbourTable tbl = rig.engine.table();
        for (int i = 0; i < ENTRIES; i++) {
            Neighbour n = tbl.create(rig.nd0, BenchRig.peerIp(i));
            tbl.eventSend(n, null);
        }
        rig.tx.last = null;
        return measure(rig, before, NudState.NUD_INCOMPLETE, out);
    }

    @Benchmark
    public Object ndiscIncomplete(Footprint out) {
        BenchRig rig = emptyRig().ipv6(2 * ENTRIES, 2 * ENTRIES);
        long before = usedHeapAfterGc();
        solicitAll(rig);
        return measure(rig, rig.engine.ndTable(), before, NudState.NUD_INCOMPLETE, out);
    }

    @Benchmark
    public Object ndiscReachable(Footprint out) {
        BenchRig rig = emptyRig().ipv6(2 * ENTRIES, 2 * ENTRIES);
        long before = usedHeapAfterGc();
        solicitAll(rig);
        for (int i = 0; i < ENTRIES; i++) {
            byte[] na = BenchRig.naToUs(i);
            Reason r = rig.engine.receive(rig.nd0, na, na.length);
            if (r != Reason.NDISC_NA_UPDATED) {
                throw new IllegalStateException("peer " + i + ": " + r);
            }
        }
        return measure(rig, rig.engine.ndTable(), before, NudState.NUD_REACHABLE, out);
    }

    private static void solicitAll(BenchRig rig) {
        NeighbourTable<io.neighd.ip.NetDevice> tbl = rig.engine.ndTable();
        for (int i = 0; i < ENTRIES; i++) {
            tbl.eventSend(tbl.create(rig.nd0, BenchRig.OUR_IP6_HI, BenchRig.peerIp6Lo(i)), null);
        }
        rig.tx.last = null;
    }

    private static BenchRig emptyRig() {
        return new BenchRig().thresholds(2 * ENTRIES, 2 * ENTRIES);
    }

    private static BenchRig measure(BenchRig rig, long before, int state, Footprint out) {
        return measure(rig, rig.engine.table(), before, state, out);
    }

    private static BenchRig measure(BenchRig rig, NeighbourTable<?> tbl, long before, int state, Footprint out) {
        long after = usedHeapAfterGc();
        int[] armed = {0};
        tbl.forEach(n -> {
            if (n.state() == state && n.timerPending()) {
                armed[0]++;
            }
        });
        if (armed[0] != ENTRIES || rig.engine.wheel().pendingCount() < ENTRIES) {
            throw new IllegalStateException(armed[0] + " entries in " + NudState.ofBit(state) + " with a timer");
        }
        out.bytesPerEntry = (after - before) / (double) ENTRIES;
        return rig;
    }

    /** Heap in use after full collections, once it stops shrinking. */
    static long usedHeapAfterGc() {
        MemoryMXBean mem = ManagementFactory.getMemoryMXBean();
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 10; i++) {
            System.gc();
            long now = mem.getHeapMemoryUsage().getUsed();
            if (now >= used) {
                return now;
            }
            used = now;
        }
        return used;
    }
}
