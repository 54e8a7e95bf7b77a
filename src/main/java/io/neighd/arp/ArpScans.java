package io.neighd.arp;

import io.neighd.errno.Errno;
import io.neighd.errno.Result;
import io.neighd.ip.FibFrontend;
import io.neighd.ip.NetDevice;
import io.neighd.time.Jiffies;
import io.neighd.time.TimerWheel;
import io.neighd.wire.Ipv4Cidr;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * arp-scan's job done by the engine: every address of a prefix is sent the request
 * {@code arp_solicit()} sends for an entry it has just made INCOMPLETE ({@link
 * ArpSolicitor#solicitNew}: arp_announce's source, broadcast), paced on the timer wheel
 * ({@link ArpScan}), and every answer is reported — duplicates too, as arp-scan reports them.
 *
 * <p><b>The probes are held outside the neighbour table until answered.</b> Linux resolves an
 * address by creating its entry first (neigh_create, INCOMPLETE), and a sweep of a /16 that way
 * fills the table with entries that will never answer: once they pass gc_thresh2 and gc_thresh3,
 * neigh_forced_gc() makes room by removing every unreferenced entry not updated for 5 s — live
 * STALE entries included — and then refuses new ones (table_fulls), real neighbours among them.
 * A scan here keeps what it waits for in its own arrays instead; an address gets an entry only
 * when its reply arrives: arp_process() finds no entry for the sender and, because the sender
 * answers a running scan's probe ({@link #awaits}), creates one as arp_accept would
 * ({@link Reason#CREATED_BY_SCAN}) and updates it to REACHABLE — the same neigh_update an
 * INCOMPLETE entry gets from its reply. So a silent address never takes a slot, and the table
 * grows only by the neighbours that exist, as traffic to them would grow it.
 *
 * <p>Scans are bounded: {@value #MAX_SCANS} at a time, a /16 at most each; their state and pacing
 * live on the engine thread and its timer wheel (one timer per scan, no thread).
 */
public final class ArpScans {
    /** Scans that may run at once (one per interface); one more is refused with EBUSY. */
    public static final int MAX_SCANS = 4;
    /** The widest prefix a scan takes: a /16, 65,536 addresses. */
    public static final int MIN_PREFIX_LENGTH = 16;
    /** Probes after the first, at most (arp-scan has no limit; 10 waits of 1.5^k already span minutes). */
    public static final int MAX_RETRIES = 10;
    /** The longest first wait, in ms (arp-scan's --timeout has no limit; a scan must end in hours, not days). */
    public static final long MAX_TIMEOUT_MS = 60_000;
    /** Duplicate answers a scan keeps in its result; more are counted (and each still told as an event). */
    public static final int MAX_KEPT_DUPLICATES = 4096;

    private final ArpSolicitor solicitor;
    private final FibFrontend fib;
    private final TimerWheel wheel;
    private final Jiffies jiffies;
    private final LongSupplier nanos;
    private final ScanObserver observer;
    private final List<ArpScan> running = new ArrayList<>(MAX_SCANS);
    private int nextId;

    public ArpScans(ArpSolicitor solicitor, FibFrontend fib, TimerWheel wheel, Jiffies jiffies, LongSupplier nanos,
                    ScanObserver observer) {
        this.solicitor = solicitor;
        this.fib = fib;
        this.wheel = wheel;
        this.jiffies = jiffies;
        this.nanos = nanos;
        this.observer = observer;
    }

    /**
     * Starts scanning {@code cidr} (its network address is taken) on {@code dev}: its first probes
     * leave now. {@code done} is told the result on the engine thread when the scan ends.
     *
     * @param rate      probes per second, 0 for as fast as the engine sends ({@value ArpScan#PER_TICK} a jiffy,
     *                  which is also the highest rate taken)
     * @param retries   probes after the first for an address that stays silent
     * @param timeoutMs the wait after an address's first probe; each later wait is 1.5 times the one before
     * @return the scan's id; EINVAL for parameters out of range (the subject names it), ENETDOWN on
     * a device that cannot send, EBUSY when a scan runs on the device or {@value #MAX_SCANS} run already
     */
    public Result<Integer> start(NetDevice dev, Ipv4Cidr cidr, int rate, int retries, long timeoutMs,
                                 Consumer<ScanResult> done) {
        if (cidr.prefixLength() < MIN_PREFIX_LENGTH) {
            return Result.error(Errno.EINVAL, "a scan covers a /" + MIN_PREFIX_LENGTH + " (65536 addresses) at most, not a /"
                    + cidr.prefixLength(), "cidr");
        }
        if (rate < 0) {
            return Result.error(Errno.EINVAL, "rate must be 0 (unlimited) or more, not " + rate, "rate");
        }
        if (retries < 0 || retries > MAX_RETRIES) {
            return Result.error(Errno.EINVAL, "retries must be 0-" + MAX_RETRIES + ", not " + retries, "retries");
        }
        if (timeoutMs < 1 || timeoutMs > MAX_TIMEOUT_MS) {
            return Result.error(Errno.EINVAL, "timeout_ms must be 1-" + MAX_TIMEOUT_MS + ", not " + timeoutMs,
                    "timeout_ms");
        }
        if (dev.isNoarp()) {
            return Result.error(Errno.EINVAL, "interface " + dev.name() + " is NOARP: it resolves nothing", "dev");
        }
        if (!dev.canTransmit()) {
            return Result.error(Errno.ENETDOWN, "interface " + dev.name() + " is down or has no carrier", "dev");
        }
        if (rate > maxRate()) {
            return Result.error(Errno.EINVAL, "rate must be at most " + maxRate() + " probes a second ("
                    + ArpScan.PER_TICK + " a jiffy; 0 sends that fast), not " + rate, "rate");
        }
        for (ArpScan s : running) {
            if (s.dev() == dev) {
                return Result.error(Errno.EBUSY, "scan " + s.id() + " is running on " + dev.name()
                        + ": one scan per interface at a time", "dev");
            }
        }
        if (running.size() >= MAX_SCANS) {
            return Result.error(Errno.EBUSY, MAX_SCANS + " scans are running already", null);
        }
        ArpScan s = new ArpScan(this, ++nextId, dev, cidr, rate, retries, timeoutMs, done);
        running.add(s);
        s.run();
        return Result.ok(s.id());
    }

    /** The highest rate a scan takes, probes a second: {@value ArpScan#PER_TICK} a jiffy, as rate 0 sends. */
    public int maxRate() {
        return ArpScan.PER_TICK * jiffies.hz();
    }

    /** Whether a running scan has probed {@code sip} on {@code dev}: its reply is one a scan waits for. */
    public boolean awaits(NetDevice dev, int sip) {
        for (int i = 0; i < running.size(); i++) {
            if (running.get(i).covers(dev, sip)) {
                return true;
            }
        }
        return false;
    }

    /** An ARP reply from {@code sip} delivered to {@code dev}: to every scan that probed it. */
    public void reply(NetDevice dev, int sip, long sha, long ethSrc) {
        // a scan that ends on this reply leaves the list
        for (ArpScan s : running.toArray(new ArpScan[0])) {
            if (s.covers(dev, sip)) {
                s.reply(sip, sha, ethSrc);
            }
        }
    }

    /** Running scan {@code id} as far as it has come, or null if no scan of that id runs. */
    public ScanResult progress(int id) {
        for (ArpScan s : running) {
            if (s.id() == id) {
                return s.result();
            }
        }
        return null;
    }

    /** Scans running now. */
    public int running() {
        return running.size();
    }

    void finished(ArpScan s) {
        running.remove(s);
    }

    ArpSolicitor solicitor() {
        return solicitor;
    }

    FibFrontend fib() {
        return fib;
    }

    TimerWheel wheel() {
        return wheel;
    }

    Jiffies jiffies() {
        return jiffies;
    }

    int hz() {
        return jiffies.hz();
    }

    long nanos() {
        return nanos.getAsLong();
    }

    ScanObserver observer() {
        return observer;
    }
}
