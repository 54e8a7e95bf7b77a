package io.neighd.cluster;

import io.neighd.wire.IpAddress;
import io.neighd.wire.Ipv4Address;
import io.neighd.wire.Ipv6Address;

import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Announcements for addresses this node has just taken — gratuitous ARP for IPv4, unsolicited
 * neighbour advertisements for IPv6 (one per round: an NA has no request/reply forms, and
 * {@link Announce#form()} does not apply to it) — in bursts per {@link Announce}, paced per
 * interface so that a node taking over many addresses at once sends at most one frame per
 * {@code minGapNanos} on each interface (keepalived's {@code vrrp_garp_interval}, added because
 * switches rate-limit bursts: keepalived PR #108). The default gap, 2 ms, lets 250 addresses
 * (500 frames in form BOTH) out within a second. Cluster thread only; time comes in as arguments.
 */
public final class Announcer {
    private record Frame(String key, String dev, IpAddress addr, boolean reply) {
    }

    private static final class Burst {
        final String dev;
        final IpAddress addr;
        final Announce policy;
        int roundsLeft;
        long nextRound;

        Burst(String dev, IpAddress addr, Announce policy, long now) {
            this.dev = dev;
            this.addr = addr;
            this.policy = policy;
            this.roundsLeft = policy.count();
            this.nextRound = now;
        }
    }

    private static final class Pacer {
        final ArrayDeque<Frame> queue = new ArrayDeque<>();
        long nextSend = Long.MIN_VALUE;
    }

    private final AddressPort port;
    private final ClusterListener listener;
    private final long minGapNanos;
    private final Map<String, Burst> bursts = new LinkedHashMap<>();
    private final Map<String, Pacer> pacers = new LinkedHashMap<>();

    public Announcer(AddressPort port, ClusterListener listener, long minGapNanos) {
        this.port = port;
        this.listener = listener;
        this.minGapNanos = minGapNanos;
    }

    /** {@code key} was taken on {@code dev}: its first round is due now. */
    public void start(String key, String dev, IpAddress addr, Announce policy, long now) {
        stop(key);
        bursts.put(key, new Burst(dev, addr, policy, now));
    }

    /** {@code key} is no longer ours: nothing more goes out for it, queued frames included. */
    public void stop(String key) {
        Burst b = bursts.remove(key);
        if (b != null) {
            Pacer p = pacers.get(b.dev);
            if (p != null) {
                p.queue.removeIf(f -> f.key.equals(key));
            }
        }
    }

    public boolean active(String key) {
        return bursts.containsKey(key);
    }

    /** Queues the rounds due by {@code now}, then sends what each interface's pace allows. */
    public void tick(long now) {
        for (Iterator<Map.Entry<String, Burst>> it = bursts.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, Burst> e = it.next();
            Burst b = e.getValue();
            if (b.nextRound > now) {
                continue;
            }
            Pacer p = pacers.computeIfAbsent(b.dev, d -> new Pacer());
            Announce.Form form = b.policy.form();
            if (b.addr instanceof Ipv6Address) {
                p.queue.add(new Frame(e.getKey(), b.dev, b.addr, false));
            } else if (form != Announce.Form.REPLY) {
                p.queue.add(new Frame(e.getKey(), b.dev, b.addr, false));
            }
            if (form != Announce.Form.REQUEST && !(b.addr instanceof Ipv6Address)) {
                p.queue.add(new Frame(e.getKey(), b.dev, b.addr, true));
            }
            if (b.roundsLeft > 1) {
                b.roundsLeft--;
                b.nextRound += b.policy.interval().toNanos();
            } else if (!b.policy.refresh().isZero()) {
                b.nextRound += b.policy.refresh().toNanos();
            } else {
                it.remove();
            }
        }
        for (Pacer p : pacers.values()) {
            while (!p.queue.isEmpty() && now >= p.nextSend) {
                Frame f = p.queue.poll();
                if (f.addr instanceof Ipv6Address v6) {
                    port.unsolicitedNa(f.dev, v6);
                } else {
                    port.gratuitous(f.dev, (Ipv4Address) f.addr, f.reply);
                }
                listener.gratuitousSent(f.key, f.dev);
                p.nextSend = now + minGapNanos;
            }
        }
    }

    /** When {@link #tick} next has something to do; {@code Long.MAX_VALUE} if never. */
    public long nextDue() {
        long next = Long.MAX_VALUE;
        for (Burst b : bursts.values()) {
            next = Math.min(next, b.nextRound);
        }
        for (Pacer p : pacers.values()) {
            if (!p.queue.isEmpty()) {
                next = Math.min(next, p.nextSend);
            }
        }
        return next;
    }
}
