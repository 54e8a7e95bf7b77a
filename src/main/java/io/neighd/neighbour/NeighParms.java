package io.neighd.neighbour;

import io.neighd.time.Jiffies;

import java.util.EnumSet;
import java.util.random.RandomGenerator;

/**
 * struct neigh_parms: the knobs of one device's parameters for one table (or the table default),
 * which of them were set explicitly (data_state, so that writes to {@code default} reach only the
 * devices that never set the key), and the randomised {@code reachable_time}. neighd also keeps
 * here how many of the device's entries are in each NUD state (for its metrics; Linux counts
 * nothing per state).
 */
public final class NeighParms {
    private final int[] data = new int[NeighVar.values().length];
    private final EnumSet<NeighVar> dataState = EnumSet.noneOf(NeighVar.class);
    /** The device these belong to, or null for the table default. */
    private final NeighDevice dev;
    /** Randomised in [base/2, 3*base/2), jiffies; an int, as the kernel's is. */
    int reachableTime;
    /** Frames of this device waiting in the proxy queue. */
    int qlen;
    /** The device's entries per NUD state index ({@link NudState#index}), kept by the table. */
    final long[] stateCounts = new long[NudState.values().length];

    /** The table default, from the protocol's table initialiser (arp_tbl, nd_tbl). */
    public static NeighParms defaults(NeighTableSpec spec, Jiffies jiffies, RandomGenerator rnd) {
        NeighParms p = new NeighParms(null);
        for (NeighVar v : NeighVar.values()) {
            int d = spec.defaultValue(v);
            p.data[v.ordinal()] = v.unit() == NeighVar.Unit.JIFFIES ? (int) jiffies.fromMillis(d) : d;
        }
        p.reachableTime = randReachTime(p.get(NeighVar.BASE_REACHABLE_TIME), rnd);
        return p;
    }

    private NeighParms(NeighDevice dev) {
        this.dev = dev;
    }

    /** neigh_parms_alloc(): a device's copy of the table default, with nothing marked as set. */
    public NeighParms cloneFor(NeighDevice device, RandomGenerator rnd) {
        NeighParms p = new NeighParms(device);
        System.arraycopy(data, 0, p.data, 0, data.length);
        p.reachableTime = randReachTime(p.get(NeighVar.BASE_REACHABLE_TIME), rnd);
        return p;
    }

    public NeighDevice dev() {
        return dev;
    }

    public int get(NeighVar v) {
        return data[v.ordinal()];
    }

    /** NEIGH_VAR_SET: sets the value and marks it as explicitly set. */
    public void set(NeighVar v, int value) {
        data[v.ordinal()] = value;
        dataState.add(v);
    }

    /** neigh_copy_dflt_parms(): take the default's value unless this key was set here. */
    public void copyDefault(NeighVar v, int value) {
        if (!dataState.contains(v)) {
            data[v.ordinal()] = value;
        }
    }

    public boolean isSet(NeighVar v) {
        return dataState.contains(v);
    }

    public int reachableTime() {
        return reachableTime;
    }

    /** Recomputes reachable_time from base_reachable_time, as a write of that knob does. */
    public void randomiseReachableTime(RandomGenerator rnd) {
        reachableTime = randReachTime(get(NeighVar.BASE_REACHABLE_TIME), rnd);
    }

    public int proxyQueueLength() {
        return qlen;
    }

    /** Entries of this device in the state with index {@code i} ({@link NudState#index}). */
    public long stateCount(int i) {
        return stateCounts[i];
    }

    /**
     * neigh_rand_reach_time(): uniform in [base/2, 3*base/2), 0 for 0. The kernel takes the int
     * knob as an unsigned long: get_random_u32_below() sees its low 32 bits and the half is a
     * logical shift of the sign-extended value, so a negative base (Linux stores one for a
     * negative base_reachable_time) gives what the kernel's int reachable_time then holds.
     */
    public static int randReachTime(int base, RandomGenerator rnd) {
        if (base == 0) {
            return 0;
        }
        return (int) (rnd.nextLong(Integer.toUnsignedLong(base)) + ((long) base >>> 1));
    }
}
