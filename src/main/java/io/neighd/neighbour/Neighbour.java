package io.neighd.neighbour;

import io.neighd.time.Timed;
import io.neighd.wire.IpAddress;
import io.neighd.wire.Ipv4Address;
import io.neighd.wire.MacAddress;

import java.util.ArrayDeque;

/**
 * struct neighbour: one entry of a neighbour table. Fields are compact on purpose (the key in two
 * longs, the link-layer address in a long, intrusive hash/GC/timer links, the queue allocated
 * only while packets wait) so that a million entries with armed timers stay well under 256 bytes
 * each, 16-byte keys included.
 *
 * <p>Only the engine thread reads or writes an entry; everything else sees {@link NeighSnapshot}s.
 */
public final class Neighbour<D extends NeighDevice> extends Timed {
    /** "No link-layer address given" for {@code __neigh_update}. */
    public static final long NO_LLADDR = -1L;

    /** primary_key: the first and last eight bytes (an IPv4 key has hi 0). */
    final long hi;
    final long lo;
    final D dev;
    /** n->tbl: whose timer handler runs when the entry's timer expires. */
    final NeighbourTable<D> tbl;
    /** n->parms: the device's parms for this table, set at creation. */
    NeighParms parms;
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

    Neighbour(NeighbourTable<D> tbl, long hi, long lo, D dev) {
        this.tbl = tbl;
        this.hi = hi;
        this.lo = lo;
        this.dev = dev;
    }

    /** The entry's timer expired: neigh_timer_handler() of its table. */
    public void timerExpired() {
        tbl.timerHandler(this);
    }

    /** n->tbl */
    public NeighbourTable<D> table() {
        return tbl;
    }

    public long keyHi() {
        return hi;
    }

    public long keyLo() {
        return lo;
    }

    /** The key of an arp_tbl entry: an IPv4 address. */
    public int key4() {
        return (int) lo;
    }

    public D dev() {
        return dev;
    }

    public NeighParms parms() {
        return parms;
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

    /** The entry as {@code ip -s neigh} shows it, ages in jiffies before {@code now}. */
    public NeighSnapshot snapshot(IpAddress dst, long now) {
        return new NeighSnapshot(dev.name(), dev.ifindex(), dst,
                (state & NudState.NUD_VALID) != 0 ? new MacAddress(ha) : null, nudState(), flags, probes,
                now - used, now - confirmed, now - updated, refcntShown(), arpQueueLenBytes, queueLenPackets());
    }

    @Override
    public String toString() {
        return (hi == 0 ? Ipv4Address.toString((int) lo) : Long.toHexString(hi) + ":" + Long.toHexString(lo))
                + " dev " + dev.name() + " lladdr " + MacAddress.toString(ha) + " "
                + nudState();
    }
}
