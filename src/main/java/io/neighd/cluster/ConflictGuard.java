package io.neighd.cluster;

import io.neighd.wire.IpAddress;
import io.neighd.wire.Ipv4Address;
import io.neighd.wire.MacAddress;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Two nodes answering for one address, seen from either end. Pure logic on injected time; the
 * engine thread's listener calls it and acts on the verdict.
 *
 * <ul>
 *   <li><b>Address conflict</b> (RFC 5227 §2.4): an ARP frame whose sender IP is an address this
 *       node answers for (owned or elected) and whose sender MAC is not this interface's. Every
 *       one is counted and reported; the log line is rate-limited to one per address per
 *       {@link #DEFEND_INTERVAL_NANOS}; and the address is defended with one gratuitous ARP
 *       unless it was defended within the last {@code DEFEND_INTERVAL} (10 s). neighd defends
 *       indefinitely (§2.4 (c)): an owned address is configuration, and an elected one is held
 *       through the store, which is the arbiter, not the wire. Linux itself neither counts nor
 *       defends.</li>
 *   <li><b>Flip-flop</b> (arpwatch): a neighbour whose MAC changes back to the one it had before
 *       the last change, within {@code window}: two hosts answering for one address.</li>
 * </ul>
 */
public final class ConflictGuard {
    /** RFC 5227 §1.1: DEFEND_INTERVAL, 10 seconds. */
    public static final long DEFEND_INTERVAL_NANOS = 10_000_000_000L;
    /** Neighbours whose MAC history is kept; beyond it the least recently changed are forgotten. */
    static final int MAX_TRACKED = 65_536;

    /** What to do about a frame claiming one of our addresses. */
    public record Verdict(boolean defend, boolean log) {
    }

    /** A neighbour's MAC changed back: {@code from} and {@code to} are the two MACs it alternates between. */
    public record FlipFlop(String dev, IpAddress ip, MacAddress from, MacAddress to) {
    }

    private record Key(String dev, int ip) {
    }

    private record Key6(String dev, long hi, long lo) {
    }

    private static final class Defence {
        long lastDefended = Long.MIN_VALUE;
        long lastLogged = Long.MIN_VALUE;
    }

    private static final class History {
        long current;
        long previous = -1;
        long changedAt;

        History(long mac, long at) {
            this.current = mac;
            this.changedAt = at;
        }
    }

    private final long windowNanos;
    private final Map<Object, Defence> defences = new HashMap<>();
    private final LinkedHashMap<Object, History> histories = new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Object, History> eldest) {
            return size() > MAX_TRACKED;
        }
    };

    public ConflictGuard(long flipFlopWindowNanos) {
        this.windowNanos = flipFlopWindowNanos;
    }

    /**
     * A frame on {@code dev} from another station claims {@code sip}, an address this node
     * answers for (the engine's receive path decides that, RFC 5227 section 2.4): defend and log
     * at most once per address per DEFEND_INTERVAL.
     */
    public Verdict claim(String dev, int sip, long now) {
        return claim(new Key(dev, sip), now);
    }

    /**
     * The same for either family: for IPv6, a neighbour advertisement from another station whose
     * target is {@code address}; defended with one unsolicited NA per DEFEND_INTERVAL (RFC 4861
     * has no defence rule of its own; RFC 5227's interval is reused).
     */
    public Verdict claim(String dev, IpAddress address, long now) {
        return address instanceof Ipv4Address v4 ? claim(new Key(dev, v4.bits()), now)
                : claim(new Key6(dev, address.hi(), address.lo()), now);
    }

    private Verdict claim(Object key, long now) {
        Defence d = defences.computeIfAbsent(key, k -> new Defence());
        boolean defend = d.lastDefended == Long.MIN_VALUE || now - d.lastDefended >= DEFEND_INTERVAL_NANOS;
        if (defend) {
            d.lastDefended = now;
        }
        boolean log = d.lastLogged == Long.MIN_VALUE || now - d.lastLogged >= DEFEND_INTERVAL_NANOS;
        if (log) {
            d.lastLogged = now;
        }
        return new Verdict(defend, log);
    }

    /** A neighbour entry now has {@code mac}; a flip-flop if that is the MAC it had before the last change. */
    public FlipFlop neighbour(String dev, int ip, long mac, long now) {
        return neighbour(dev, new Ipv4Address(ip), mac, now);
    }

    /** The same for either family (an nd_tbl entry's MAC as an NA or NS with an option set it). */
    public FlipFlop neighbour(String dev, IpAddress ip, long mac, long now) {
        if (mac == 0) {
            return null;
        }
        Object k = ip instanceof Ipv4Address v4 ? new Key(dev, v4.bits()) : new Key6(dev, ip.hi(), ip.lo());
        History h = histories.get(k);
        if (h == null) {
            histories.put(k, new History(mac, now));
            return null;
        }
        if (h.current == mac) {
            return null;
        }
        FlipFlop f = null;
        if (h.previous == mac && now - h.changedAt <= windowNanos) {
            f = new FlipFlop(dev, ip, new MacAddress(h.current), new MacAddress(mac));
        }
        h.previous = h.current;
        h.current = mac;
        h.changedAt = now;
        return f;
    }
}
