package io.neighd.neighbour;

import io.neighd.errno.Errno;
import io.neighd.time.Jiffies;
import io.neighd.time.Task;
import io.neighd.time.TimerWheel;
import io.neighd.wire.IpAddress;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;

import static io.neighd.neighbour.NudState.NUD_CONNECTED;
import static io.neighd.neighbour.NudState.NUD_DELAY;
import static io.neighd.neighbour.NudState.NUD_FAILED;
import static io.neighd.neighbour.NudState.NUD_INCOMPLETE;
import static io.neighd.neighbour.NudState.NUD_IN_TIMER;
import static io.neighd.neighbour.NudState.NUD_NOARP;
import static io.neighd.neighbour.NudState.NUD_NONE;
import static io.neighd.neighbour.NudState.NUD_PERMANENT;
import static io.neighd.neighbour.NudState.NUD_PROBE;
import static io.neighd.neighbour.NudState.NUD_REACHABLE;
import static io.neighd.neighbour.NudState.NUD_STALE;
import static io.neighd.neighbour.NudState.NUD_VALID;

/**
 * struct neigh_table and net/core/neighbour.c: the protocol-independent neighbour table that
 * {@code arp_tbl} (net/ipv4/arp.c) and {@code nd_tbl} (net/ipv6/ndisc.c) are instances of. The
 * protocol comes in through {@link NeighOps} (constructor, solicit, error report, output,
 * proxy_redo, is_multicast) and the table's own defaults; keys are up to 16 bytes, held as two
 * longs ({@code hi}, {@code lo}: an IPv4 key is {@code 0, addr}). Each public method names the
 * kernel function it mirrors; the bodies follow the kernel's order of checks so that the same
 * inputs at the same jiffies give the same states, timers, statistics and notifications.
 *
 * @param <D> the device type of the protocol's entries (struct net_device as the protocol sees it)
 *
 * <p>Single-threaded by design: the engine thread owns the table, so there are no locks and no
 * reference counts. The one place Linux's refcount is visible, "removable only when
 * refcnt == 1", is modelled by its only cause in this setting: an armed timer holds a reference.
 */
public final class NeighbourTable<D extends NeighDevice> {
    private static final int INITIAL_HASH_SHIFT = 3;

    private final NeighTableSpec spec;
    private final Jiffies jiffies;
    private final TimerWheel wheel;
    private final RandomGenerator rnd;
    private final NeighOps<D> ops;
    private final NeighObserver<D> observer;

    private final NeighParms parms;
    private final List<NeighParms> parmsList = new ArrayList<>();
    private final NeighStatistics stats = new NeighStatistics();

    private int gcThresh1;
    private int gcThresh2;
    private int gcThresh3;
    private long gcInterval;
    private long lastFlush;
    private long lastRand;

    private Neighbour<D>[] buckets = newBuckets(1 << INITIAL_HASH_SHIFT);
    private int hashShift = INITIAL_HASH_SHIFT;
    private int entries;
    private int gcEntries;
    private Neighbour<D> gcHead;
    private Neighbour<D> gcTail;
    private final Set<Neighbour<D>> managed = new LinkedHashSet<>();

    private final List<Pneigh<D>> pneighs = new ArrayList<>();
    private final ArrayDeque<ProxySkb<D>> proxyQueue = new ArrayDeque<>();
    private final Task proxyTimer = new Task("proxy_timer", this::proxyProcess);
    private final Task gcWork = new Task("gc_work", this::periodicWork);
    private final Task managedWork = new Task("managed_work", this::managedWork);

    /** neigh_table_init(): the table of {@code spec}'s protocol, not yet started. */
    public NeighbourTable(NeighTableSpec spec, Jiffies jiffies, TimerWheel wheel, RandomGenerator rnd,
                          NeighOps<D> ops, NeighObserver<D> observer) {
        this.spec = spec;
        this.jiffies = jiffies;
        this.wheel = wheel;
        this.rnd = rnd;
        this.ops = ops;
        this.observer = observer;
        this.parms = NeighParms.defaults(this, spec, jiffies, rnd);
        this.parmsList.add(parms);
        this.gcInterval = jiffies.fromSeconds(30);
        this.gcThresh1 = spec.gcThresh1();
        this.gcThresh2 = spec.gcThresh2();
        this.gcThresh3 = spec.gcThresh3();
    }

    @SuppressWarnings("unchecked")
    private static <D extends NeighDevice> Neighbour<D>[] newBuckets(int n) {
        return (Neighbour<D>[]) new Neighbour<?>[n];
    }

    /** tbl->id: the /proc/net/stat file name, {@code arp_cache} or {@code ndisc_cache}. */
    public String id() {
        return spec.id();
    }

    public NeighTableSpec spec() {
        return spec;
    }

    /** neigh_table_init(): schedules the periodic GC and the managed-entry work. */
    public void start() {
        long now = now();
        lastFlush = now;
        lastRand = now + parms.reachableTime * 20;
        gcWork.arm(wheel, now + parms.reachableTime);
        // queue_delayed_work(..., &tbl->managed_work, 0) runs the work at once, not a jiffy later
        managedWork();
    }

    public long now() {
        return wheel.now();
    }

    public Jiffies jiffies() {
        return jiffies;
    }

    public NeighParms defaultParms() {
        return parms;
    }

    /** neigh_parms_alloc(): a device's parms, cloned from the table default. */
    public NeighParms allocParms(D dev) {
        NeighParms p = parms.cloneFor(dev, rnd);
        parmsList.add(p);
        return p;
    }

    /**
     * neigh_proc_update() (and neigh_proc_base_reachable_time()): a knob of {@code p} written
     * through sysctl. The key is marked as set; base_reachable_time re-randomises reachable_time
     * at once rather than at the next periodic work; a write to the table default reaches every
     * device that never set the key (neigh_copy_dflt_parms: data only, so the devices keep their
     * reachable_time until it is next randomised).
     */
    public void procUpdate(NeighParms p, NeighVar v, int value) {
        p.set(v, value);
        if (v == NeighVar.BASE_REACHABLE_TIME) {
            p.randomiseReachableTime(rnd);
        }
        if (p.dev() == null) {
            for (NeighParms q : parmsList) {
                if (q.dev() != null) {
                    q.copyDefault(v, value);
                }
            }
        }
    }

    /** neigh_parms_release() */
    public void releaseParms(NeighParms p) {
        if (p != parms) {
            parmsList.remove(p);
        }
    }


    public NeighStatistics stats() {
        return stats;
    }

    public int entries() {
        return entries;
    }

    public int gcEntries() {
        return gcEntries;
    }

    public int hashBuckets() {
        return buckets.length;
    }

    public int gcThresh1() {
        return gcThresh1;
    }

    public int gcThresh2() {
        return gcThresh2;
    }

    public int gcThresh3() {
        return gcThresh3;
    }

    public long gcInterval() {
        return gcInterval;
    }

    public void setGcThresh1(int v) {
        gcThresh1 = v;
    }

    public void setGcThresh2(int v) {
        gcThresh2 = v;
    }

    public void setGcThresh3(int v) {
        gcThresh3 = v;
    }

    /** gc_interval is kept for the sysctl: Linux no longer schedules anything by it. */
    public void setGcInterval(long v) {
        gcInterval = v;
    }

    public int proxyQueueLength() {
        return proxyQueue.size();
    }

    // ------------------------------------------------------------------ state funnel

    private void setState(Neighbour<D> n, int to) {
        int from = n.state & 0xff;
        if (from == to) {
            return;
        }
        n.state = (byte) to;
        if (!n.dead) {
            long[] counts = n.parms.stateCounts;
            counts[NudState.index(from)]--;
            counts[NudState.index(to)]++;
        }
        observer.stateChanged(n, from, to);
    }

    private void notify(Neighbour<D> n, int type) {
        observer.notify(type, n);
    }

    // ------------------------------------------------------------------ lookup / create

    /**
     * tbl->hash (arp_hashfn, ndisc_hashfn): the key words and the device mixed with fixed odd
     * multipliers. A 4-byte key has {@code hi} 0 and costs what arp_hashfn does.
     */
    private int hash(long hi, long lo, int ifindex) {
        long k = hi * 0xC2B2AE3D27D4EB4FL + lo;
        int h = (int) (k ^ (k >>> 32)) * 0x9E3779B1 ^ ifindex * 0x85EBCA77;
        h ^= h >>> 15;
        return h & (buckets.length - 1);
    }

    /** An IPv4 address as a table key's low word (hi is 0). */
    public static long key4(int addr) {
        return Integer.toUnsignedLong(addr);
    }

    /** The entry as {@code ip -s neigh} shows it now. */
    public NeighSnapshot snapshot(Neighbour<D> n) {
        return n.snapshot(ops.address(n.keyHi(), n.lo), now());
    }

    /** The entry's key as an address. */
    public IpAddress address(Neighbour<D> n) {
        return ops.address(n.keyHi(), n.lo);
    }

    /** __neigh_lookup_noref(): no statistics. */
    public Neighbour<D> lookupNoref(D dev, long hi, long lo) {
        for (Neighbour<D> n = buckets[hash(hi, lo, dev.ifindex())]; n != null; n = n.hashNext) {
            if (n.lo == lo && n.keyHi() == hi && n.dev == dev) {
                return n;
            }
        }
        return null;
    }

    /** {@link #lookupNoref(NeighDevice, long, long)} for a 4-byte key (__ipv4_neigh_lookup_noref). */
    public Neighbour<D> lookupNoref(D dev, int key) {
        return lookupNoref(dev, 0, key4(key));
    }

    /** neigh_lookup(): counts lookups and hits. */
    public Neighbour<D> lookup(D dev, long hi, long lo) {
        stats.lookups++;
        Neighbour<D> n = lookupNoref(dev, hi, lo);
        if (n != null) {
            stats.hits++;
        }
        return n;
    }

    public Neighbour<D> lookup(D dev, int key) {
        return lookup(dev, 0, key4(key));
    }

    /** __neigh_lookup(): lookup, and create when asked to; null if creation failed. */
    public Neighbour<D> lookupOrCreate(D dev, long hi, long lo, boolean creat) {
        Neighbour<D> n = lookup(dev, hi, lo);
        if (n != null || !creat) {
            return n;
        }
        return create(dev, hi, lo);
    }

    public Neighbour<D> lookupOrCreate(D dev, int key, boolean creat) {
        return lookupOrCreate(dev, 0, key4(key), creat);
    }

    /** neigh_create() / __neigh_create(): entries on a loopback device are exempt from GC. */
    public Neighbour<D> create(D dev, long hi, long lo) {
        return create(dev, hi, lo, 0, dev.isLoopback());
    }

    public Neighbour<D> create(D dev, int key) {
        return create(dev, 0, key4(key));
    }

    /**
     * ___neigh_create(): allocate (forcing GC when the table is over its thresholds), take the
     * device's parms, run the protocol constructor, backdate {@code confirmed}, grow the hash,
     * link into the lists.
     *
     * @return the entry, or null for ENOBUFS (the table is full and GC freed nothing), as the
     *         kernel returns ERR_PTR(-ENOBUFS)
     */
    public Neighbour<D> create(D dev, long hi, long lo, int ntfFlags, boolean exemptFromGc) {
        Neighbour<D> existing = lookupNoref(dev, hi, lo);
        if (existing != null) {
            return existing;
        }
        Neighbour<D> n = alloc(dev, hi, lo, ntfFlags, exemptFromGc);
        if (n == null) {
            return null;
        }
        n.parms = ops.parms(dev);
        ops.construct(n);
        n.confirmed = now() - backdate(n.parms);
        if (entries > buckets.length) {
            hashGrow(hashShift + 1);
        }
        n.dead = false;
        n.parms.stateCounts[NudState.index(n.state & 0xff)]++;
        if (!exemptFromGc) {
            gcListAddTail(n);
        }
        if ((n.flags & NeighFlags.MANAGED) != 0) {
            managed.add(n);
        }
        int b = hash(hi, lo, dev.ifindex());
        n.hashNext = buckets[b];
        buckets[b] = n;
        return n;
    }

    /**
     * Whether {@link #create} would get an entry now, answered without side effects (for
     * explaining a frame): neigh_alloc fails only at gc_thresh3 when forced GC frees nothing.
     */
    public boolean canAllocate(D dev) {
        if (dev.isLoopback() || gcEntries < gcThresh3) {
            return true;
        }
        long now = now();
        long tref = now - 5L * jiffies.hz();
        // forcedGc() as alloc() would run it: gc_entries counted with the new entry, and it stops after
        // the first unreferenced candidate once its (zero) shrunk reaches max_clean
        int maxClean = gcEntries + 1 - gcThresh2;
        for (Neighbour<D> n = gcHead; n != null; n = n.gcNext) {
            if (unreferenced(n)) {
                if (forcedGcRemovable(n, now, tref)) {
                    return true;
                }
                if (maxClean <= 0) {
                    return false;
                }
            }
        }
        return false;
    }

    /** neigh_alloc() */
    private Neighbour<D> alloc(D dev, long hi, long lo, int ntfFlags, boolean exemptFromGc) {
        long now = now();
        if (!exemptFromGc) {
            int e = ++gcEntries - 1;
            if (e >= gcThresh3 || (e >= gcThresh2 && now > lastFlush + 5L * jiffies.hz())) {
                if (forcedGc() == 0 && e >= gcThresh3) {
                    stats.tableFulls++;
                    gcEntries--;
                    return null;
                }
            }
        }
        Neighbour<D> n = Neighbour.alloc(spec.keyLen(), hi, lo, dev);
        n.updated = now;
        n.used = now;
        n.state = NUD_NONE;
        n.flags = (byte) ntfFlags;
        stats.allocs++;
        entries++;
        return n;
    }

    /** neigh_hash_grow() */
    private void hashGrow(int newShift) {
        stats.hashGrows++;
        Neighbour<D>[] old = buckets;
        buckets = newBuckets(1 << newShift);
        hashShift = newShift;
        for (Neighbour<D> head : old) {
            Neighbour<D> n = head;
            while (n != null) {
                Neighbour<D> next = n.hashNext;
                int b = hash(n.keyHi(), n.lo, n.dev.ifindex());
                n.hashNext = buckets[b];
                buckets[b] = n;
                n = next;
            }
        }
    }

    private void hashUnlink(Neighbour<D> n) {
        int b = hash(n.keyHi(), n.lo, n.dev.ifindex());
        Neighbour<D> prev = null;
        for (Neighbour<D> c = buckets[b]; c != null; prev = c, c = c.hashNext) {
            if (c == n) {
                if (prev == null) {
                    buckets[b] = c.hashNext;
                } else {
                    prev.hashNext = c.hashNext;
                }
                n.hashNext = null;
                return;
            }
        }
    }

    private void gcListAddTail(Neighbour<D> n) {
        n.onGcList = true;
        n.gcPrev = gcTail;
        n.gcNext = null;
        if (gcTail != null) {
            gcTail.gcNext = n;
        } else {
            gcHead = n;
        }
        gcTail = n;
    }

    private void gcListDel(Neighbour<D> n) {
        if (n.gcPrev != null) {
            n.gcPrev.gcNext = n.gcNext;
        } else {
            gcHead = n.gcNext;
        }
        if (n.gcNext != null) {
            n.gcNext.gcPrev = n.gcPrev;
        } else {
            gcTail = n.gcPrev;
        }
        n.gcPrev = null;
        n.gcNext = null;
        n.onGcList = false;
    }

    /** neigh_mark_dead() */
    private void markDead(Neighbour<D> n) {
        n.dead = true;
        if (n.onGcList) {
            gcListDel(n);
            gcEntries--;
        }
        managed.remove(n);
        n.parms.stateCounts[NudState.index(n.state & 0xff)]--;
    }

    /** neigh_update_gc_list() */
    private void updateGcList(Neighbour<D> n) {
        if (n.dead) {
            return;
        }
        boolean exempt = (n.state & NUD_PERMANENT) != 0
                || (n.flags & (NeighFlags.EXT_LEARNED | NeighFlags.EXT_VALIDATED)) != 0;
        if (exempt && n.onGcList) {
            gcListDel(n);
            gcEntries--;
        } else if (!exempt && !n.onGcList) {
            gcListAddTail(n);
            gcEntries++;
        }
    }

    /** neigh_update_managed_list() */
    private void updateManagedList(Neighbour<D> n) {
        if (n.dead) {
            return;
        }
        if ((n.flags & NeighFlags.MANAGED) != 0) {
            managed.add(n);
        } else {
            managed.remove(n);
        }
    }

    /** The timer's reference: refcount_read(&n->refcnt) == 1 means no timer is armed. */
    private static boolean unreferenced(Neighbour<?> n) {
        return !n.timerPending();
    }

    /** neigh_cleanup_and_release() + neigh_destroy() */
    private void cleanupAndRelease(Neighbour<D> n) {
        notify(n, NeighObserver.RTM_DELNEIGH);
        delTimer(n);
        purgeQueue(n);
        stats.destroys++;
        entries--;
    }

    /** neigh_remove_one(): only if nothing else holds the entry. */
    public boolean removeOne(Neighbour<D> n) {
        if (!unreferenced(n) || n.dead) {
            return false;
        }
        hashUnlink(n);
        markDead(n);
        cleanupAndRelease(n);
        return true;
    }

    /** neigh_forced_gc(): oldest first, down to gc_thresh2, FAILED/NOARP/multicast or not updated for 5 s. */
    int forcedGc() {
        int maxClean = gcEntries - gcThresh2;
        long now = now();
        long tref = now - 5L * jiffies.hz();
        int shrunk = 0;
        stats.forcedGcRuns++;
        Neighbour<D> n = gcHead;
        while (n != null) {
            Neighbour<D> next = n.gcNext;
            if (unreferenced(n)) {
                if (forcedGcRemovable(n, now, tref) && removeOne(n)) {
                    shrunk++;
                }
                if (shrunk >= maxClean) {
                    break;
                }
            }
            n = next;
        }
        lastFlush = now;
        return shrunk;
    }

    /** neigh_forced_gc()'s test: FAILED, NOARP, a multicast key, or not updated in the last 5 s. */
    private boolean forcedGcRemovable(Neighbour<D> n, long now, long tref) {
        if (!unreferenced(n)) {
            return false;
        }
        int st = n.state & 0xff;
        return st == NUD_FAILED || st == NUD_NOARP || ops.isMulticast(n.keyHi(), n.lo)
                || !(n.updated >= tref && n.updated <= now);
    }

    // ------------------------------------------------------------------ timers

    /**
     * {@code NEIGH_VAR(parms, BASE_REACHABLE_TIME) << 1}: an int shift, as the kernel's is, so a
     * base of 2^30 jiffies or more wraps (and backdating then dates {@code confirmed} in the
     * future, which {@link #addTimer} corrects as neigh_add_timer() does).
     */
    private static long backdate(NeighParms p) {
        return p.get(NeighVar.BASE_REACHABLE_TIME) << 1;
    }

    /**
     * neigh_add_timer(): arms the entry's timer and, as the kernel does on the way, keeps
     * {@code confirmed} within [jiffies - (LONG_MAX - 86400 * HZ), jiffies] (a confirmation dated
     * in the future, or so far past that time_after() would wrap, becomes that far past) and lifts
     * {@code used} to {@code confirmed} when it lags behind.
     */
    private void addTimer(Neighbour<D> n, long when) {
        long now = now();
        long mint = now - (Long.MAX_VALUE - 86_400L * jiffies.hz());
        // time_in_range(confirmed, mint, jiffies), on the kernel's wrapping differences
        if (!(n.confirmed - mint >= 0 && now - n.confirmed >= 0)) {
            n.confirmed = mint;
        }
        if (n.used - n.confirmed < 0) {
            n.used = n.confirmed;
        }
        wheel.add(n, when);
    }

    /** neigh_del_timer(): only entries in a timer state have one. */
    private boolean delTimer(Neighbour<D> n) {
        if ((n.state & NUD_IN_TIMER) != 0) {
            return wheel.cancel(n);
        }
        return false;
    }

    private long retransOrFloor(NeighParms p) {
        return Math.max(p.get(NeighVar.RETRANS_TIME), jiffies.hundredth());
    }

    /** neigh_max_probes() */
    private static int maxProbes(Neighbour<?> n) {
        NeighParms p = n.parms;
        return p.get(NeighVar.UCAST_PROBES) + p.get(NeighVar.APP_PROBES)
                + ((n.state & NUD_PROBE) != 0 ? p.get(NeighVar.MCAST_REPROBES) : p.get(NeighVar.MCAST_PROBES));
    }

    /** neigh_timer_handler(): runs when an entry's timer expires. */
    public void timerHandler(Neighbour<D> n) {
        int state = n.state & 0xff;
        long now = now();
        long next = now + jiffies.hz();
        boolean notify = false;
        boolean skipProbe = false;
        if ((state & NUD_IN_TIMER) == 0 || n.dead) {
            return;
        }
        NeighParms p = n.parms;
        if ((state & NUD_REACHABLE) != 0) {
            if (now <= n.confirmed + p.reachableTime) {
                next = n.confirmed + p.reachableTime;
            } else if (now <= n.used + p.get(NeighVar.DELAY_PROBE_TIME)) {
                setState(n, NUD_DELAY);
                n.updated = now;
                next = now + p.get(NeighVar.DELAY_PROBE_TIME);
            } else {
                setState(n, NUD_STALE);
                n.updated = now;
                notify = true;
            }
        } else if ((state & NUD_DELAY) != 0) {
            if (now <= n.confirmed + p.get(NeighVar.DELAY_PROBE_TIME)) {
                setState(n, NUD_REACHABLE);
                n.updated = now;
                notify = true;
                next = n.confirmed + p.reachableTime;
            } else {
                setState(n, NUD_PROBE);
                n.updated = now;
                n.probes = 0;
                notify = true;
                next = now + retransOrFloor(p);
            }
        } else {
            next = now + retransOrFloor(p);
        }

        if ((n.state & (NUD_INCOMPLETE | NUD_PROBE)) != 0 && n.probes >= maxProbes(n)) {
            if ((n.state & 0xff) == NUD_PROBE && (n.flags & NeighFlags.EXT_VALIDATED) != 0) {
                setState(n, NUD_STALE);
                n.updated = now;
            } else {
                setState(n, NUD_FAILED);
                invalidate(n);
            }
            notify = true;
            skipProbe = true;
        }
        if (notify) {
            notify(n, NeighObserver.RTM_NEWNEIGH);
        }
        if (skipProbe) {
            return;
        }
        if ((n.state & NUD_IN_TIMER) != 0) {
            if (next < now + jiffies.hundredth()) {
                next = now + jiffies.hundredth();
            }
            wheel.add(n, next);
        }
        if ((n.state & (NUD_INCOMPLETE | NUD_PROBE)) != 0) {
            probe(n);
        }
    }

    /** neigh_probe(): solicit with the newest queued packet, then count the probe. */
    private void probe(Neighbour<D> n) {
        Skb skb = n.arpQueue == null ? null : n.arpQueue.peekLast();
        ops.solicit(n, skb);
        n.probes++;
    }

    /** neigh_invalidate(): resolution failed; report every queued packet. */
    private void invalidate(Neighbour<D> n) {
        stats.resFailed++;
        n.updated = now();
        while ((n.state & 0xff) == NUD_FAILED && n.arpQueue != null && !n.arpQueue.isEmpty()) {
            Skb skb = n.arpQueue.pollFirst();
            n.arpQueue.lenBytes -= skb.truesize();
            ops.errorReport(n, skb);
        }
        purgeQueue(n);
    }

    private static void purgeQueue(Neighbour<?> n) {
        n.arpQueue = null;
    }

    // ------------------------------------------------------------------ send path

    /** neigh_event_send(): outbound traffic wants the address. 0: go ahead and send; 1: queued or dropped. */
    public int eventSend(Neighbour<D> n, Skb skb) {
        return eventSendProbe(n, skb, true);
    }

    /** neigh_event_send_probe(): always stamps {@code used}. */
    public int eventSendProbe(Neighbour<D> n, Skb skb, boolean immediateOk) {
        n.used = now();
        if ((n.state & (NUD_CONNECTED | NUD_DELAY | NUD_PROBE)) == 0) {
            return eventSendSlow(n, skb, immediateOk);
        }
        return 0;
    }

    /** __neigh_event_send() */
    private int eventSendSlow(Neighbour<D> n, Skb skb, boolean immediateOk) {
        int rc = 0;
        boolean immediateProbe = false;
        if ((n.state & (NUD_CONNECTED | NUD_DELAY | NUD_PROBE)) != 0) {
            return 0;
        }
        if (n.dead) {
            return (n.state & NUD_STALE) != 0 ? 0 : 1;
        }
        NeighParms p = n.parms;
        long now = now();
        if ((n.state & (NUD_STALE | NUD_INCOMPLETE)) == 0) {
            if (p.get(NeighVar.MCAST_PROBES) + p.get(NeighVar.APP_PROBES) != 0) {
                n.probes = p.get(NeighVar.UCAST_PROBES);
                delTimer(n);
                setState(n, NUD_INCOMPLETE);
                n.updated = now;
                long next;
                if (!immediateOk) {
                    next = now + 1;
                } else {
                    immediateProbe = true;
                    next = now + retransOrFloor(p);
                }
                addTimer(n, next);
            } else {
                setState(n, NUD_FAILED);
                n.updated = now;
                return 1;
            }
        } else if ((n.state & NUD_STALE) != 0) {
            delTimer(n);
            setState(n, NUD_DELAY);
            n.updated = now;
            addTimer(n, now + p.get(NeighVar.DELAY_PROBE_TIME));
        }
        if ((n.state & 0xff) == NUD_INCOMPLETE) {
            if (skb != null) {
                int limit = p.get(NeighVar.QUEUE_LEN_BYTES);
                // unsigned int arithmetic in the kernel: no int overflow near INT_MAX
                if (n.arpQueue == null) {
                    n.arpQueue = new Neighbour.ArpQueue();
                }
                while ((long) n.arpQueue.lenBytes + skb.truesize() > limit) {
                    Skb old = n.arpQueue.pollFirst();
                    if (old == null) {
                        break;
                    }
                    n.arpQueue.lenBytes -= old.truesize();
                    stats.unresDiscards++;
                }
                n.arpQueue.addLast(skb);
                n.arpQueue.lenBytes += skb.truesize();
            }
            rc = 1;
        }
        if (immediateProbe) {
            probe(n);
        }
        return rc;
    }

    /**
     * neigh_output(): the fast path (CONNECTED with a cached header: no {@code used} update), or
     * n->output, which for Ethernet's arp_hh_ops is always neigh_resolve_output.
     *
     * @return true if the packet went to the device now
     */
    public boolean output(Neighbour<D> n, Skb skb) {
        if ((n.state & NUD_CONNECTED) != 0 && n.hhCached) {
            ops.transmit(n, skb);
            return true;
        }
        return resolveOutput(n, skb);
    }

    /** neigh_resolve_output() */
    public boolean resolveOutput(Neighbour<D> n, Skb skb) {
        if (eventSend(n, skb) == 0) {
            n.hhCached = true;
            ops.transmit(n, skb);
            return true;
        }
        return false;
    }

    /** neigh_confirm(): an upper layer (dst_confirm_neigh) saw the neighbour answer. */
    public void confirm(Neighbour<D> n) {
        n.confirmed = now();
    }

    // ------------------------------------------------------------------ update

    /**
     * __neigh_update(). {@code lladdr} is {@link Neighbour<D>#NO_LLADDR} when none is given.
     *
     * @return 0, {@link Errno#EPERM} or {@link Errno#EINVAL}
     */
    public int update(Neighbour<D> n, long lladdr, int newState, int flags) {
        boolean gcUpdate = false;
        boolean managedUpdate = false;
        boolean processArpQueue = false;
        boolean updateIsRouter = false;
        boolean notify = false;
        int old = n.state & 0xff;
        int neu = newState;
        int err = Errno.EPERM;
        long now = now();

        updating:
        {
            if (n.dead) {
                neu = old;
                break updating;
            }
            if ((flags & UpdateFlags.ADMIN) == 0 && (old & (NUD_NOARP | NUD_PERMANENT)) != 0) {
                break updating;
            }
            if ((flags & UpdateFlags.ADMIN) != 0) {
                int ndm = ((flags & UpdateFlags.EXT_LEARNED) != 0 ? NeighFlags.EXT_LEARNED : 0)
                        | ((flags & UpdateFlags.MANAGED) != 0 ? NeighFlags.MANAGED : 0)
                        | ((flags & UpdateFlags.EXT_VALIDATED) != 0 ? NeighFlags.EXT_VALIDATED : 0);
                int changed = (n.flags ^ ndm) & (NeighFlags.EXT_LEARNED | NeighFlags.MANAGED | NeighFlags.EXT_VALIDATED);
                if (changed != 0) {
                    n.flags = (byte) ((n.flags & ~changed) | (ndm & changed));
                    notify = true;
                    gcUpdate = (changed & (NeighFlags.EXT_LEARNED | NeighFlags.EXT_VALIDATED)) != 0;
                    managedUpdate = (changed & NeighFlags.MANAGED) != 0;
                }
            }
            if ((flags & (UpdateFlags.USE | UpdateFlags.MANAGED)) != 0) {
                neu = old & ~NUD_PERMANENT;
                setState(n, neu);
                err = 0;
                break updating;
            }
            if ((neu & NUD_VALID) == 0) {
                delTimer(n);
                setState(n, neu);
                err = 0;
                notify = (old & NUD_VALID) != 0;
                if ((old & (NUD_INCOMPLETE | NUD_PROBE)) != 0 && (neu & NUD_FAILED) != 0) {
                    invalidate(n);
                    notify = true;
                }
                break updating;
            }
            boolean same;
            if (lladdr != Neighbour.NO_LLADDR) {
                same = (old & NUD_VALID) != 0 && lladdr == n.ha;
            } else {
                err = Errno.EINVAL;
                if ((old & NUD_VALID) == 0) {
                    break updating;
                }
                lladdr = n.ha;
                same = true;
            }
            // the kernel refreshes confirmed even if the update is then ignored
            if ((neu & NUD_CONNECTED) != 0) {
                n.confirmed = now;
            }
            err = 0;
            updateIsRouter = (flags & UpdateFlags.OVERRIDE_ISROUTER) != 0;
            if ((old & NUD_VALID) != 0) {
                if (!same && (flags & UpdateFlags.OVERRIDE) == 0) {
                    updateIsRouter = false;
                    if ((flags & UpdateFlags.WEAK_OVERRIDE) != 0 && (old & NUD_CONNECTED) != 0) {
                        lladdr = n.ha;
                        same = true;
                        neu = NUD_STALE;
                    } else {
                        break updating;
                    }
                } else if (same && neu == NUD_STALE && (flags & UpdateFlags.ADMIN) == 0) {
                    neu = old;
                }
            }
            // only a real change moves 'updated', or no-op updates would slide the locktime window
            if (neu != old || !same) {
                n.updated = now;
            }
            if (neu != old) {
                delTimer(n);
                if ((neu & NUD_PROBE) != 0) {
                    n.probes = 0;
                }
                if ((neu & NUD_IN_TIMER) != 0) {
                    addTimer(n, now + ((neu & NUD_REACHABLE) != 0 ? n.parms.reachableTime : 0));
                }
                setState(n, neu);
                notify = true;
            }
            if (!same) {
                n.ha = lladdr;
                if ((neu & NUD_CONNECTED) == 0) {
                    n.confirmed = now - backdate(n.parms);
                }
                notify = true;
            }
            if (neu == old) {
                break updating;
            }
            if ((old & NUD_VALID) == 0) {
                processArpQueue = true;
            }
        }
        if (updateIsRouter) {
            int want = (flags & UpdateFlags.ISROUTER) != 0 ? NeighFlags.ROUTER : 0;
            if (((n.flags ^ want) & NeighFlags.ROUTER) != 0) {
                n.flags = (byte) ((n.flags & ~NeighFlags.ROUTER) | want);
                notify = true;
            }
        }
        if (notify) {
            notify(n, NeighObserver.RTM_NEWNEIGH);
        }
        if (processArpQueue) {
            processArpQueue(n);
        }
        if (((neu ^ old) & NUD_PERMANENT) != 0 || gcUpdate) {
            updateGcList(n);
        }
        if (managedUpdate) {
            updateManagedList(n);
        }
        return err;
    }

    /** neigh_update_process_arp_queue(): the entry became valid; send what waited, through n->output. */
    private void processArpQueue(Neighbour<D> n) {
        while ((n.state & NUD_VALID) != 0 && n.arpQueue != null && !n.arpQueue.isEmpty()) {
            Skb skb = n.arpQueue.pollFirst();
            n.arpQueue.lenBytes -= skb.truesize();
            resolveOutput(n, skb);
        }
        purgeQueue(n);
    }

    /**
     * {@code neigh->flags |= NTF_ROUTER} as ndisc_router_discovery() sets it on the entry of a new
     * default router, directly: no notification.
     */
    public void markRouter(Neighbour<D> n) {
        n.flags |= NeighFlags.ROUTER;
    }

    /** neigh_event_ns(): someone told us their address; learn it as STALE. */
    public Neighbour<D> eventNs(D dev, long lladdr, long hi, long lo) {
        Neighbour<D> n = lookupOrCreate(dev, hi, lo, true);
        if (n != null) {
            update(n, lladdr, NUD_STALE, UpdateFlags.OVERRIDE);
        }
        return n;
    }

    // ------------------------------------------------------------------ periodic work

    /** neigh_periodic_work(): every base_reachable_time/2. */
    void periodicWork() {
        stats.periodicGcRuns++;
        long now = now();
        if (now > lastRand + 300L * jiffies.hz()) {
            lastRand = now;
            for (NeighParms p : parmsList) {
                p.randomiseReachableTime(rnd);
            }
        }
        if (entries >= gcThresh1) {
            for (int b = 0; b < buckets.length; b++) {
                Neighbour<D> n = buckets[b];
                while (n != null) {
                    Neighbour<D> next = n.hashNext;
                    int state = n.state & 0xff;
                    if ((state & (NUD_PERMANENT | NUD_IN_TIMER)) == 0
                            && (n.flags & (NeighFlags.EXT_LEARNED | NeighFlags.EXT_VALIDATED)) == 0) {
                        if (n.used < n.confirmed && n.confirmed <= now) {
                            n.used = n.confirmed;
                        }
                        long stale = n.parms.get(NeighVar.GC_STALETIME);
                        if (unreferenced(n) && (state == NUD_FAILED || !(now >= n.used && now < n.used + stale))) {
                            removeOne(n);
                        }
                    }
                    n = next;
                }
            }
        }
        gcWork.arm(wheel, now + (parms.get(NeighVar.BASE_REACHABLE_TIME) >> 1));
    }

    /** neigh_managed_work(): re-resolve managed entries every interval_probe_time_ms. */
    void managedWork() {
        for (Neighbour<D> n : List.copyOf(managed)) {
            eventSendProbe(n, null, false);
        }
        managedWork.arm(wheel, now() + parms.get(NeighVar.INTERVAL_PROBE_TIME_MS));
    }

    // ------------------------------------------------------------------ flushing

    /** neigh_flush_dev() via neigh_flush_one(): removes even referenced entries. */
    private int flushDev(D dev, boolean skipPerm) {
        List<Neighbour<D>> victims = new ArrayList<>();
        forEach(n -> {
            if (n.dev == dev && !(skipPerm && ((n.state & NUD_PERMANENT) != 0
                    || (n.flags & NeighFlags.EXT_VALIDATED) != 0))) {
                victims.add(n);
            }
        });
        for (Neighbour<D> n : victims) {
            flushOne(n);
        }
        return victims.size();
    }

    private void flushOne(Neighbour<D> n) {
        hashUnlink(n);
        delTimer(n);
        markDead(n);
        cleanupAndRelease(n);
    }

    /** neigh_changeaddr(): the device's address or IFF_NOARP changed: everything goes, PERMANENT too. */
    public int changeAddr(D dev) {
        return flushDev(dev, false);
    }

    /** neigh_carrier_down(): keeps PERMANENT and externally validated entries and permanent proxies. */
    public int carrierDown(D dev) {
        int flushed = flushDev(dev, true);
        pneighIfdown(dev, true);
        purgeProxyQueue();
        return flushed;
    }

    /** neigh_ifdown(): the device went down: every entry and proxy goes. */
    public int ifdown(D dev) {
        int flushed = flushDev(dev, false);
        pneighIfdown(dev, false);
        purgeProxyQueue();
        return flushed;
    }

    /** ip neigh del: __neigh_update(FAILED, OVERRIDE|ADMIN), then neigh_remove_one(). */
    public int delete(Neighbour<D> n) {
        int err = update(n, Neighbour.NO_LLADDR, NUD_FAILED, UpdateFlags.OVERRIDE | UpdateFlags.ADMIN);
        removeOne(n);
        return err;
    }

    /**
     * A slice of neigh_dump_table()'s walk, which goes on from a bucket index as a netlink dump
     * goes on from {@code cb->args}: every entry of the buckets from {@code bucket} on, whole
     * buckets only, until at least {@code atLeast} were given. Returns the bucket to go on from,
     * or -1 after the last. A resize ({@link NeighStatistics#hashGrows}) between slices moves
     * entries to other buckets: the caller starts again, as a dump sees NLM_F_DUMP_INTR.
     */
    public int forEachFrom(int bucket, int atLeast, Consumer<Neighbour<D>> action) {
        int given = 0;
        int b = bucket;
        for (; b < buckets.length && given < atLeast; b++) {
            for (Neighbour<D> n = buckets[b]; n != null; n = n.hashNext) {
                action.accept(n);
                given++;
            }
        }
        return b < buckets.length ? b : -1;
    }

    /** Every live entry, in hash order. The action must not add or remove entries. */
    public void forEach(Consumer<Neighbour<D>> action) {
        for (Neighbour<D> head : buckets) {
            for (Neighbour<D> n = head; n != null; n = n.hashNext) {
                action.accept(n);
            }
        }
    }

    // ------------------------------------------------------------------ proxy entries and queue

    /** pneigh_lookup(): an entry for {@code key} on {@code dev} or on any device. */
    public Pneigh<D> pneighLookup(long hi, long lo, D dev) {
        for (int i = 0; i < pneighs.size(); i++) {
            Pneigh<D> p = pneighs.get(i);
            if (p.key().lo() == lo && p.key().hi() == hi && (p.dev() == dev || p.dev() == null)) {
                return p;
            }
        }
        return null;
    }

    /**
     * pneigh_create(): adds, or updates the permanent flag of the entry pneigh_lookup() finds, which
     * may be a device-less one: adding ADDR dev D next to a device-less ADDR updates the latter.
     */
    public Pneigh<D> pneighCreate(IpAddress key, D dev, boolean permanent) {
        return pneighCreate(key, dev, permanent, false);
    }

    /**
     * pneigh_create() then neigh_add()'s {@code pn->flags = ndm_flags}: NTF_ROUTER set or cleared.
     * A new entry the protocol's pconstructor refuses is not made (null).
     */
    public Pneigh<D> pneighCreate(IpAddress key, D dev, boolean permanent, boolean router) {
        for (int i = 0; i < pneighs.size(); i++) {
            Pneigh<D> p = pneighs.get(i);
            if (p.key().equals(key) && (p.dev() == dev || p.dev() == null)) {
                Pneigh<D> updated = new Pneigh<>(p.key(), p.dev(), permanent, router);
                pneighs.set(i, updated);
                return updated;
            }
        }
        Pneigh<D> p = new Pneigh<>(key, dev, permanent, router);
        if (!ops.pneighConstruct(p)) {
            return null;
        }
        pneighs.add(0, p);
        return p;
    }

    /** pneigh_delete(): exact device match. */
    public int pneighDelete(IpAddress key, D dev) {
        for (Iterator<Pneigh<D>> it = pneighs.iterator(); it.hasNext(); ) {
            Pneigh<D> p = it.next();
            if (p.key().equals(key) && p.dev() == dev) {
                it.remove();
                ops.pneighDestroy(p);
                return 0;
            }
        }
        return Errno.ENOENT;
    }

    public List<Pneigh<D>> pneighs() {
        return List.copyOf(pneighs);
    }

    /** pneigh_ifdown() */
    private void pneighIfdown(D dev, boolean skipPerm) {
        for (Iterator<Pneigh<D>> it = pneighs.iterator(); it.hasNext(); ) {
            Pneigh<D> p = it.next();
            if (!(skipPerm && p.permanent()) && (dev == null || p.dev() == dev)) {
                it.remove();
                ops.pneighDestroy(p);
            }
        }
    }

    /**
     * pneigh_queue_purge(): called with the device's namespace, so it empties the whole proxy
     * queue, not only this device's frames, as Linux does.
     */
    private void purgeProxyQueue() {
        for (ProxySkb<D> s : proxyQueue) {
            ops.parms(s.dev()).qlen--;
        }
        proxyQueue.clear();
        wheel.cancel(proxyTimer);
    }

    /**
     * pneigh_enqueue(): hold a proxied request for a random delay in [0, proxy_delay).
     *
     * @return false if the device's proxy queue was over proxy_qlen and the frame was dropped
     */
    public boolean pneighEnqueue(NeighParms p, ProxySkb<D> skb) {
        long schedNext = now() + proxyDelay(p);
        if (p.qlen > p.get(NeighVar.PROXY_QLEN)) {
            return false;
        }
        skb.schedNext = schedNext;
        if (wheel.cancel(proxyTimer) && proxyTimer.expires() < schedNext) {
            schedNext = proxyTimer.expires();
        }
        proxyQueue.addLast(skb);
        p.qlen++;
        proxyTimer.arm(wheel, schedNext);
        return true;
    }

    /**
     * neigh_proxy_delay(): get_random_u32_below() of the knob taken as an unsigned long, that is
     * of its low 32 bits: proxy_delay overflowed to a negative int by its USER_HZ handler (Linux
     * stores 900000000 as -2044967296 jiffies at HZ 250) delays by up to 2250000000 jiffies.
     */
    long proxyDelay(NeighParms p) {
        int delay = p.get(NeighVar.PROXY_DELAY);
        return delay != 0 ? rnd.nextLong(Integer.toUnsignedLong(delay)) : 0;
    }

    /** neigh_proxy_process(): answer the requests whose delay has passed. */
    void proxyProcess() {
        long now = now();
        long schedNext = 0;
        List<ProxySkb<D>> due = new ArrayList<>();
        for (Iterator<ProxySkb<D>> it = proxyQueue.iterator(); it.hasNext(); ) {
            ProxySkb<D> s = it.next();
            long tdif = s.schedNext - now;
            if (tdif <= 0) {
                ops.parms(s.dev()).qlen--;
                it.remove();
                due.add(s);
            } else if (schedNext == 0 || tdif < schedNext) {
                schedNext = tdif;
            }
        }
        wheel.cancel(proxyTimer);
        if (schedNext != 0) {
            proxyTimer.arm(wheel, now + schedNext);
        }
        for (ProxySkb<D> s : due) {
            if (s.dev().isUp()) {
                ops.proxyRedo(s);
            }
        }
    }

    // ------------------------------------------------------------------ for NeighInvariants

    Neighbour<D>[] buckets() {
        return buckets;
    }

    int bucketOf(Neighbour<D> n) {
        return hash(n.keyHi(), n.lo, n.dev.ifindex());
    }

    Neighbour<D> gcHead() {
        return gcHead;
    }

    Neighbour<D> gcTail() {
        return gcTail;
    }

    List<NeighParms> parmsList() {
        return parmsList;
    }

    Iterable<ProxySkb<D>> proxyQueue() {
        return proxyQueue;
    }

    Set<Neighbour<D>> managed() {
        return managed;
    }

    boolean proxyTimerPending() {
        return proxyTimer.timerPending();
    }

    NeighOps<D> ops() {
        return ops;
    }
}
