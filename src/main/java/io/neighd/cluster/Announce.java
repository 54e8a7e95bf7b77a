package io.neighd.cluster;

import java.time.Duration;

/**
 * How a new owner tells the segment an address moved: {@code count} rounds of gratuitous ARP,
 * {@code interval} apart, each round in {@code form}; then, if {@code refresh} is positive, one
 * round every {@code refresh} for as long as it owns the address.
 *
 * <p>The defaults, and why (docs/operations.md has the longer story):
 * <ul>
 *   <li>{@code count = 3}: one round updates every Linux peer that has an entry (arp_is_garp()
 *       overrides locktime); the repeats cover a frame lost to a busy switch or a peer that
 *       was resolving at that instant. MetalLB sends 5-6 rounds over 5 s, keepalived 5 + 5;
 *       their users report no case the fourth round fixed, and every round is a broadcast to
 *       every host on the segment.</li>
 *   <li>{@code interval = 1100 ms}: MetalLB's spacing (metallb#172), chosen to outlast the
 *       kernel's 1 s {@code locktime}, so that a repeat lands after a reply the old owner had in
 *       flight can no longer pin the peer's entry.</li>
 *   <li>{@code form = BOTH}: a request (sender = target, what Linux's arp_notify and
 *       {@code arping -U} send) and then a reply with target MAC = sender MAC (what
 *       arp_is_garp() needs to call a reply gratuitous; {@code arping -A}). Old kernels and
 *       some routers only take one of the two (metallb#172); both cost one frame more.</li>
 *   <li>{@code refresh = 0} (off): as MetalLB (PR #3125) and keepalived
 *       ({@code garp_master_refresh 0}); switches that age their FDB faster than the hosts'
 *       traffic refreshes it want about a third of the ageing time (keepalived's advice: 100 s
 *       for a 300 s FDB).</li>
 * </ul>
 */
public record Announce(int count, Duration interval, Form form, Duration refresh) {
    public static final Announce DEFAULT = new Announce(3, Duration.ofMillis(1100), Form.BOTH, Duration.ZERO);

    /** The frames of one round. */
    public enum Form {
        REQUEST, REPLY, BOTH;

        public static Form parse(String s, String field) {
            try {
                return valueOf(s.strip().toUpperCase(java.util.Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(field + ": '" + s + "' is not one of request, reply, both");
            }
        }
    }

    public Announce {
        if (count < 1 || count > 20) {
            throw new IllegalArgumentException("announce.count: " + count + " is out of range (1-20)");
        }
        if (interval == null || interval.toMillis() < 10 || interval.toSeconds() > 60) {
            throw new IllegalArgumentException("announce.interval: " + interval + " is out of range (10ms-60s)");
        }
        if (form == null) {
            throw new IllegalArgumentException("announce.form is missing (request, reply or both)");
        }
        if (refresh == null || refresh.isNegative() || (!refresh.isZero() && refresh.toSeconds() < 1)) {
            throw new IllegalArgumentException("announce.refresh: " + refresh + " must be 0 (off) or at least 1s");
        }
    }
}
