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
public class Neighbour<D extends NeighDevice> extends Timed {
    /** "No link-layer address given" for {@code __neigh_update}. */
    public static final long NO_LLADDR = -1L;

    /**
     * primary_key's last eight bytes: the whole of an arp_tbl key. A key longer than eight bytes
     * keeps its first eight in {@link WideKey}: the kernel sizes each table's entries to its key
     * (tbl->entry_size = sizeof(struct neighbour) + key_len), so arp_tbl's entries carry no IPv6
     * key space, and neither do neighd's.
     */
    final long lo;
    final D dev;
    /**
     * n->parms: the device's parms for this table, set at creation. n->tbl is parms->tbl here
     * (both are set once, from the same table): one reference less per entry.
     */
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
    /** arp_queue and arp_queue_len_bytes: absent while nothing waits for resolution. */
    ArpQueue arpQueue;

    Neighbour hashNext;
    Neighbour gcPrev;
    Neighbour gcNext;
    boolean onGcList;

    Neighbour(long lo, D dev) {
        this.lo = lo;
        this.dev = dev;
    }

    /** A new entry of a table whose keys are {@code keyLen} bytes long (neigh_alloc's entry_size). */
    static <D extends NeighDevice> Neighbour<D> alloc(int keyLen, long hi, long lo, D dev) {
        return keyLen > Long.BYTES ? new WideKey<>(hi, lo, dev) : new Neighbour<>(lo, dev);
    }

    /** The entry's timer expired: neigh_timer_handler() of its table. */
    public final void timerExpired() {
        table().timerHandler(this);
    }

    /** n->tbl (as parms->tbl). */
    @SuppressWarnings("unchecked")
    public NeighbourTable<D> table() {
        return (NeighbourTable<D>) parms.table();
    }

    /** primary_key's first eight bytes: 0 for a key of eight bytes or fewer. */
    public long keyHi() {
        return 0;
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
        return arpQueue == null ? 0 : arpQueue.lenBytes;
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
                now - used, now - confirmed, now - updated, refcntShown(), queueLenBytes(), queueLenPackets());
    }

    @Override
    public String toString() {
        return (keyHi() == 0 ? Ipv4Address.toString((int) lo) : Long.toHexString(keyHi()) + ":" + Long.toHexString(lo))
                + " dev " + dev.name() + " lladdr " + MacAddress.toString(ha) + " "
                + nudState();
    }

    /** An entry of a table with keys longer than eight bytes (nd_tbl's sixteen). */
    static final class WideKey<D extends NeighDevice> extends Neighbour<D> {
        final long hi;

        WideKey(long hi, long lo, D dev) {
            super(lo, dev);
            this.hi = hi;
        }

        @Override
        public long keyHi() {
            return hi;
        }
    }

    /** n->arp_queue with n->arp_queue_len_bytes: packets waiting for the address, and their truesize. */
    static final class ArpQueue extends ArrayDeque<Skb> {
        private static final long serialVersionUID = 1L;
        int lenBytes;

        ArpQueue() {
            super(4);
        }
    }
}
