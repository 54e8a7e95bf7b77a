package io.neighd.arp;

import io.neighd.ip.NetDevice;
import io.neighd.ip.RouteType;
import io.neighd.time.Task;
import io.neighd.wire.Ipv4Address;
import io.neighd.wire.Ipv4Cidr;
import io.neighd.wire.MacAddress;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * One scan of a prefix, paced on the engine's timer wheel: arp-scan's main loop (royhills/arp-scan,
 * arp-scan.c) with {@link ArpSolicitor#solicitNew} as its send_packet. Addresses are visited in
 * order, round and round: the one at the head of the list is sent its next probe once the wait
 * after its last one has passed (500 ms by default, each later wait 1.5 times the one before, as
 * arp-scan's --timeout and --backoff) and the rate allows; one that has had all its probes and
 * its last wait is done without an answer. An answer takes its address out of the round at once,
 * and the scan ends when no address is left waiting — arp-scan's live_count reaching zero.
 *
 * <p>The state of a /16 is a few arrays indexed by host number (about 1.4 MB), nothing per
 * address in the neighbour table: see {@link ArpScans} for why.
 *
 * <p>Engine thread only.
 */
final class ArpScan {
    /** arp-scan's default --backoff: each wait is this many times the one before. */
    static final double BACKOFF = 1.5;
    /**
     * Probes sent per jiffy at most, whatever the rate: at rate 0 ("as fast as it can") a /16 still
     * leaves in slices of this many (64,000 a second at HZ 250), so that the frames and commands
     * the engine serves in between never wait behind a whole sweep. One slice is one sendmmsg.
     */
    static final int PER_TICK = 256;

    private static final byte WAITING = 0;
    private static final byte ANSWERED = 1;
    private static final byte TIMED_OUT = 2;
    private static final byte SKIPPED = 3;

    private final ArpScans owner;
    private final int id;
    private final NetDevice dev;
    private final Ipv4Cidr cidr;
    private final int base;
    private final int mask;
    private final int hosts;
    private final int rate;
    private final int retries;
    private final long timeoutMs;
    /** The wait after the k-th probe (k from 0), in nanoseconds. */
    private final long[] waitNanos;
    private final Consumer<ScanResult> done;
    private final Task task;
    private final long startNanos;

    private final byte[] state;
    private final byte[] probes;
    private final int[] answers;
    private final long[] lastSentNanos;
    /** The jiffy at which the address is next due: a probe, or the end of its last wait. */
    private final long[] due;
    /** The round: host numbers in the order they are visited; each is in it at most once. */
    private final int[] round;
    private int roundHead;
    private int roundSize;

    /** Probes that may be sent now, in units of 1/hz of a probe (rate units accrue per jiffy). */
    private long credit;
    private long refilledAt;
    private int live;
    private long probesSent;
    private int responders;
    private long duplicates;
    private int timedOut;
    private int skipped;
    private int keptDuplicates;
    private final List<ScanReply> replies = new ArrayList<>();
    private boolean finished;
    /** The jiffy the wait after the latest probe ends: the earliest a scan whose addresses are all settled ends. */
    private long lastWaitEnds;

    ArpScan(ArpScans owner, int id, NetDevice dev, Ipv4Cidr cidr, int rate, int retries, long timeoutMs,
            Consumer<ScanResult> done) {
        this.owner = owner;
        this.id = id;
        this.dev = dev;
        this.cidr = new Ipv4Cidr(cidr.network(), cidr.prefixLength());
        this.mask = cidr.mask();
        this.base = cidr.network().bits();
        this.hosts = (int) (1L << (32 - cidr.prefixLength()));
        this.rate = rate;
        this.retries = retries;
        this.timeoutMs = timeoutMs;
        this.done = done;
        this.waitNanos = new long[retries + 1];
        double wait = timeoutMs * 1_000_000.0;
        for (int k = 0; k <= retries; k++) {
            waitNanos[k] = (long) wait;
            wait *= BACKOFF;
        }
        this.state = new byte[hosts];
        this.probes = new byte[hosts];
        this.answers = new int[hosts];
        this.lastSentNanos = new long[hosts];
        this.due = new long[hosts];
        this.round = new int[hosts];
        this.task = new Task("scan " + id + " of " + this.cidr + " on " + dev.name(), this::run);
        this.startNanos = owner.nanos();
        long now = owner.wheel().now();
        for (int h = 0; h < hosts; h++) {
            round[h] = h;
            due[h] = now;
        }
        this.roundSize = hosts;
        this.live = hosts;
        this.refilledAt = now;
        // the first probe leaves at once, as arp-scan's does
        this.credit = owner.hz();
    }

    int id() {
        return id;
    }

    NetDevice dev() {
        return dev;
    }

    /** Whether {@code sip} on {@code dev} is one of this scan's addresses that it has probed. */
    boolean covers(NetDevice d, int sip) {
        return d == dev && (sip & mask) == base && probes[sip - base] > 0;
    }

    /** Sends what is due and the rate allows; re-arms for the next that will be; ends the scan when no address waits. */
    void run() {
        if (finished) {
            return;
        }
        long now = owner.wheel().now();
        refill(now);
        int hz = owner.hz();
        int sent = 0;
        boolean limited = false;
        while (roundSize > 0) {
            int h = round[roundHead];
            if (state[h] != WAITING) {
                pop();
                continue;
            }
            if (due[h] > now) {
                break;
            }
            if (probes[h] > retries) {
                pop();
                state[h] = TIMED_OUT;
                timedOut++;
                live--;
                continue;
            }
            if (probes[h] == 0 && !probeable(base + h)) {
                pop();
                state[h] = SKIPPED;
                skipped++;
                live--;
                continue;
            }
            if (sent == PER_TICK || rate > 0 && credit < hz) {
                limited = true;
                break;
            }
            pop();
            owner.solicitor().solicitNew(dev, base + h);
            long t = owner.nanos();
            lastSentNanos[h] = t;
            due[h] = tickAtOrAfter(t + waitNanos[probes[h]]);
            lastWaitEnds = Math.max(lastWaitEnds, due[h]);
            probes[h]++;
            probesSent++;
            sent++;
            if (rate > 0) {
                credit -= hz;
            }
            push(h);
        }
        if (live == 0) {
            settled(now);
            return;
        }
        long next = roundSize > 0 ? due[round[roundHead]] : now + 1;
        if (limited) {
            long forCredit = rate > 0 && credit < hz ? now + (hz - credit + rate - 1) / rate : now + 1;
            next = Math.max(next, forCredit);
        }
        // a timer armed for jiffy e runs on the tick after it
        task.arm(owner.wheel(), Math.max(next, now + 1) - 1);
    }

    /** arp_constructor() resolves these without a probe (local, broadcast, multicast): nothing to ask. */
    private boolean probeable(int addr) {
        return owner.fib().addrType(addr) == RouteType.UNICAST;
    }

    private void refill(long now) {
        if (rate > 0 && now > refilledAt) {
            long cap = owner.hz() + (long) rate;
            credit = Math.min(cap, credit + (now - refilledAt) * rate);
        }
        refilledAt = now;
    }

    /** The first tick that starts at or after {@code nanos}: a wait is never cut short by the jiffy. */
    private long tickAtOrAfter(long nanos) {
        long j = owner.jiffies().fromNanos(nanos);
        return owner.jiffies().toNanos(j) < nanos ? j + 1 : j;
    }

    private void pop() {
        roundHead = roundHead + 1 == hosts ? 0 : roundHead + 1;
        roundSize--;
    }

    private void push(int h) {
        int tail = roundHead + roundSize;
        round[tail >= hosts ? tail - hosts : tail] = h;
        roundSize++;
    }

    /** An ARP reply from {@code sip} (one of ours, probed), delivered to the device. */
    void reply(int sip, long sha, long ethSrc) {
        int h = sip - base;
        int n = ++answers[h];
        long t = owner.nanos();
        ScanReply r = new ScanReply(id, dev.name(), new Ipv4Address(sip), new MacAddress(sha),
                ethSrc == sha ? null : new MacAddress(ethSrc), n, t - lastSentNanos[h], t - startNanos);
        if (n == 1) {
            responders++;
            if (state[h] == WAITING) {
                live--;
            } else if (state[h] == TIMED_OUT) {
                timedOut--;
            }
            state[h] = ANSWERED;
            replies.add(r);
        } else {
            duplicates++;
            if (keptDuplicates < ArpScans.MAX_KEPT_DUPLICATES) {
                keptDuplicates++;
                replies.add(r);
            }
        }
        owner.observer().scanReply(r);
        if (live == 0 && !finished) {
            settled(owner.wheel().now());
        }
    }

    /**
     * Every address answered or was given up on: the scan ends once the wait after its latest probe
     * is over, so that a second host answering that probe (a duplicate) is still heard when the
     * first answer settled the last address. arp-scan hears it by reading what its buffer holds
     * when its last host answers; answers here come one engine turn at a time.
     */
    private void settled(long now) {
        if (now >= lastWaitEnds) {
            finish();
        } else {
            task.arm(owner.wheel(), lastWaitEnds - 1);
        }
    }

    private void finish() {
        finished = true;
        owner.wheel().cancel(task);
        owner.finished(this);
        ScanResult result = result();
        owner.observer().scanDone(result.summary());
        done.accept(result);
    }

    /** Where the scan is: its counts and answers so far, or its result once it has ended. */
    ScanResult result() {
        return new ScanResult(id, dev.name(), cidr, rate, retries, timeoutMs, hosts, skipped, probesSent,
                responders, duplicates, timedOut, owner.nanos() - startNanos, finished, List.copyOf(replies));
    }

    @Override
    public String toString() {
        return task.toString();
    }
}
