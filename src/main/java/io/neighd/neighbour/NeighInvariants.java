package io.neighd.neighbour;

import io.neighd.time.TimerWheel;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What must hold of a neighbour table between two events, whatever came in: the hash chains (each
 * entry in its bucket, once, alive, no two with the same device and key, as many as {@code
 * entries}), the GC list (linked both ways, as many as {@code gc_entries}, none of the entries
 * neigh_update_gc_list() keeps off it), every armed entry in the timer wheel exactly once, armed
 * only in the NUD_IN_TIMER states and in all of them but an INCOMPLETE that {@code ip neigh} set, states from the kernel's set, each entry's queue
 * bytes the sum of its packets' truesize, each parms' per-state counts and proxy queue length,
 * the proxy timer armed exactly while requests wait, and the managed list. The fuzzers call it
 * after every batch; a violation is a defect.
 */
public final class NeighInvariants {
    private NeighInvariants() {
    }

    /** What is wrong with {@code tbl} and the {@code wheel} that times it, or an empty list. */
    public static <D extends NeighDevice> List<String> check(NeighbourTable<D> tbl, TimerWheel wheel) {
        List<String> wrong = new ArrayList<>();
        Set<Neighbour<D>> live = Collections.newSetFromMap(new IdentityHashMap<>());
        Map<String, Neighbour<D>> byKey = new java.util.HashMap<>();
        Neighbour<D>[] buckets = tbl.buckets();
        for (int b = 0; b < buckets.length; b++) {
            for (Neighbour<D> n = buckets[b]; n != null; n = n.hashNext) {
                if (!live.add(n)) {
                    wrong.add(n + " is in the hash twice (bucket " + b + ")");
                    break;
                }
                if (tbl.bucketOf(n) != b) {
                    wrong.add(n + " is in bucket " + b + " but hashes to " + tbl.bucketOf(n));
                }
                if (n.dead) {
                    wrong.add(n + " is dead but still in the hash");
                }
                Neighbour<D> other = byKey.put(n.dev.ifindex() + "/" + n.hi + "/" + n.lo, n);
                if (other != null) {
                    wrong.add(n + " and " + other + " have the same device and key");
                }
                entry(tbl, n, wrong);
            }
        }
        if (live.size() != tbl.entries()) {
            wrong.add("the hash holds " + live.size() + " entries, tbl->entries says " + tbl.entries());
        }
        gcList(tbl, live, wrong);
        parms(tbl, live, wrong);
        proxy(tbl, wrong);
        for (Neighbour<D> m : tbl.managed()) {
            if (!live.contains(m)) {
                wrong.add(m + " is on the managed list but not in the table");
            } else if ((m.flags & NeighFlags.MANAGED) == 0) {
                wrong.add(m + " is on the managed list without NTF_MANAGED");
            }
        }
        for (Neighbour<D> n : live) {
            if ((n.flags & NeighFlags.MANAGED) != 0 && !tbl.managed().contains(n)) {
                wrong.add(n + " has NTF_MANAGED but is not on the managed list");
            }
        }
        Set<Object> armed = Collections.newSetFromMap(new IdentityHashMap<>());
        wrong.addAll(wheel.check(armed::add));
        for (Neighbour<D> n : live) {
            boolean inTimer = (n.state & NudState.NUD_IN_TIMER) != 0;
            // the one timer state without a timer: INCOMPLETE set by ip neigh (__neigh_update's non-VALID
            // branch arms nothing), which Linux 6.18 keeps as such indefinitely, too
            if (inTimer && !armed.contains(n) && (n.state & 0xff) != NudState.NUD_INCOMPLETE) {
                wrong.add(n + " is in a timer state but not in the wheel");
            }
            if (!inTimer && armed.contains(n)) {
                wrong.add(n + " is in the wheel outside the timer states");
            }
            if (armed.contains(n) != n.timerPending()) {
                wrong.add(n + " disagrees with the wheel on whether its timer is pending");
            }
        }
        for (Object t : armed) {
            if (t instanceof Neighbour<?> n && n.tbl == tbl && !live.contains(n)) {
                wrong.add(n + " is armed in the wheel but not in the table");
            }
        }
        return wrong;
    }

    private static <D extends NeighDevice> void entry(NeighbourTable<D> tbl, Neighbour<D> n, List<String> wrong) {
        int st = n.state & 0xff;
        if (st != 0 && (Integer.bitCount(st) != 1 || st > NudState.NUD_PERMANENT)) {
            wrong.add(n + " is in state 0x" + Integer.toHexString(st) + ", not one of the kernel's");
        }
        long bytes = 0;
        if (n.arpQueue != null) {
            for (Skb s : n.arpQueue) {
                bytes += s.truesize();
            }
        }
        if (bytes != n.arpQueueLenBytes) {
            wrong.add(n + " counts " + n.arpQueueLenBytes + " queued bytes, its queue holds " + bytes);
        }
        if (n.tbl != tbl) {
            wrong.add(n + " names another table");
        }
    }

    /** neigh_update_gc_list(): never on the list while PERMANENT or externally learned. */
    private static <D extends NeighDevice> void gcList(NeighbourTable<D> tbl, Set<Neighbour<D>> live,
                                                       List<String> wrong) {
        Set<Neighbour<D>> onList = Collections.newSetFromMap(new IdentityHashMap<>());
        Neighbour<D> prev = null;
        for (Neighbour<D> n = tbl.gcHead(); n != null; n = n.gcNext) {
            if (!onList.add(n)) {
                wrong.add(n + " is on the GC list twice");
                break;
            }
            if (n.gcPrev != prev) {
                wrong.add(n + " has a broken back link on the GC list");
            }
            if (!n.onGcList) {
                wrong.add(n + " is on the GC list but not marked so");
            }
            if (!live.contains(n)) {
                wrong.add(n + " is on the GC list but not in the table");
            }
            prev = n;
        }
        if (prev != tbl.gcTail()) {
            wrong.add("the GC list's tail is not its last entry");
        }
        if (onList.size() != tbl.gcEntries()) {
            wrong.add("the GC list holds " + onList.size() + " entries, gc_entries says " + tbl.gcEntries());
        }
        for (Neighbour<D> n : live) {
            boolean exempt = (n.state & NudState.NUD_PERMANENT) != 0
                    || (n.flags & (NeighFlags.EXT_LEARNED | NeighFlags.EXT_VALIDATED)) != 0;
            boolean on = onList.contains(n);
            if (on != n.onGcList) {
                wrong.add(n + " is marked " + (n.onGcList ? "on" : "off") + " the GC list but is " + (on ? "on" : "off"));
            }
            // the converse does not hold: neigh_add() creates an entry exempt for a PERMANENT or extern_learn
            // request, and if the update then fails (no link-layer address) it stays NONE off the list, in
            // Linux as here; loopback entries are created off it too
            if (on && exempt) {
                wrong.add(n + " is exempt from GC but on the GC list");
            }
        }
    }

    /** Each parms' per-state counts are its live entries' states; every entry's parms is a live one. */
    private static <D extends NeighDevice> void parms(NeighbourTable<D> tbl, Set<Neighbour<D>> live,
                                                      List<String> wrong) {
        Map<NeighParms, long[]> counted = new IdentityHashMap<>();
        for (NeighParms p : tbl.parmsList()) {
            counted.put(p, new long[NudState.values().length]);
        }
        for (Neighbour<D> n : live) {
            long[] c = counted.get(n.parms);
            if (c == null) {
                wrong.add(n + " uses parms that are not the table's");
                continue;
            }
            c[NudState.index(n.state & 0xff)]++;
        }
        counted.forEach((p, c) -> {
            for (int i = 0; i < c.length; i++) {
                if (p.stateCounts[i] != c[i]) {
                    wrong.add((p.dev() == null ? "default" : p.dev().name()) + " parms count " + p.stateCounts[i] + " "
                            + NudState.values()[i] + " entries, the table holds " + c[i]);
                }
            }
        });
    }

    /** pneigh_enqueue/neigh_proxy_process: each parms' qlen is its requests waiting; the timer runs while any wait. */
    private static <D extends NeighDevice> void proxy(NeighbourTable<D> tbl, List<String> wrong) {
        Map<NeighParms, Integer> queued = new IdentityHashMap<>();
        int total = 0;
        for (ProxySkb<D> s : tbl.proxyQueue()) {
            queued.merge(tbl.ops().parms(s.dev()), 1, Integer::sum);
            total++;
        }
        for (NeighParms p : tbl.parmsList()) {
            int q = queued.getOrDefault(p, 0);
            if (p.qlen != q) {
                wrong.add((p.dev() == null ? "default" : p.dev().name()) + " parms qlen " + p.qlen + ", " + q
                        + " of its requests wait");
            }
        }
        if ((total > 0) != tbl.proxyTimerPending()) {
            wrong.add(total + " proxied requests wait but the proxy timer is " + (tbl.proxyTimerPending() ? "" : "not ")
                    + "armed");
        }
    }
}
