package io.neighd.neighbour;

import io.neighd.time.Timed;
import io.neighd.wire.Ipv4Address;
import io.neighd.wire.MacAddress;

import java.util.ArrayDeque;

/**
 * struct neighbour: one ARP cache entry. Fields are compact on purpose (the link-layer address in
 * a long, intrusive hash/GC/timer links, the queue allocated only while packets wait) so that a
 * million entries with armed timers stay well under 256 bytes each.
 *
 * <p>Only the engine thread reads or writes an entry; everything else sees {@link #snapshot}s.
 */
public final class Neighbour extends Timed {
    /** "No link-layer address given" for {@code __neigh_update}. */
    public static final long NO_LLADDR = -1L;

    final int key;
    final NeighDevice dev;
    byte state;
    byte flags;
    boolean dead = true;
    /** hh_cache initialised: CONNECTED output takes the fast path that does not touch {@code used}. */
    boolean hhCached;
    int probes;
    long ha;
    long confirmed;
    long updated;
    long used;
    ArrayDeque<Skb> arpQueue;
    int arpQueueLenBytes;

    Neighbour hashNext;
    Neighbour gcPrev;
    Neighbour gcNext;
    boolean onGcList;

    Neighbour(int key, NeighDevice dev) {
        this.key = key;
        this.dev = dev;
    }

    public int key() {
        return key;
    }

    public Ipv4Address address() {
        return new Ipv4Address(key);
    }

    public NeighDevice dev() {
        return dev;
    }

    public int state() {
        return state & 0xff;
    }

    public NudState nudState() {
        return NudState.ofBit(state & 0xff);
    }

    public int flags() {
        return flags;
    }

    public boolean isRouter() {
        return (flags & NeighFlags.ROUTER) != 0;
    }

    public int probes() {
        return probes;
    }

    /** The link-layer address (meaningful when the state is VALID). */
    public long ha() {
        return ha;
    }

    public long confirmed() {
        return confirmed;
    }

    public long updated() {
        return updated;
    }

    public long used() {
        return used;
    }

    public boolean isDead() {
        return dead;
    }

    public int queueLenBytes() {
        return arpQueueLenBytes;
    }

    public int queueLenPackets() {
        return arpQueue == null ? 0 : arpQueue.size();
    }

    /** refcnt as ip -s neigh prints it (refcnt - 1): the armed timer holds the only extra reference. */
    public int refcntShown() {
        return timerPending() ? 1 : 0;
    }

    /** Mirrors NEIGH_UPDATE's "neigh_ha_snapshot" for setting the address directly (constructors only). */
    public void setNoarpAddress(long mac) {
        this.ha = mac;
        this.state = (byte) NudState.NUD_NOARP;
    }

    public NeighSnapshot snapshot(long now) {
        return new NeighSnapshot(dev.name(), dev.ifindex(), new Ipv4Address(key),
                (state & NudState.NUD_VALID) != 0 ? new MacAddress(ha) : null, nudState(), flags, probes,
                now - used, now - confirmed, now - updated, refcntShown(), arpQueueLenBytes, queueLenPackets());
    }

    @Override
    public String toString() {
        return Ipv4Address.toString(key) + " dev " + dev.name() + " lladdr " + MacAddress.toString(ha) + " "
                + nudState();
    }
}
