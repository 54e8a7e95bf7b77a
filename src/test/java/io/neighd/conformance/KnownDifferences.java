package io.neighd.conformance;

import io.neighd.lab.Lab;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The differences from Linux that neighd keeps on purpose. {@link #GENERAL} ones hold for every
 * scenario and are absorbed by the comparison's tolerances, each derived (docs/conformance.md).
 * A scenario-specific one is an {@link Excuse}: a filter that accepts exactly the differences its
 * reason explains, so a scenario it excuses still fails on any other difference; and an excuse
 * that explains nothing (the scenario matches) fails the run until it is removed. Nothing here
 * hides a bug: a difference that is neighd's fault is fixed, not listed.
 */
final class KnownDifferences {
    /** Differences that hold for every scenario and are absorbed by the comparison's tolerances. */
    static final List<String> GENERAL = List.of(
            "Timers: Linux's timer wheel files a timer of 63 jiffies or more in a coarser level and rounds its "
                    + "expiry up to that level's granularity (LVL_GRAN: 8 jiffies from 63, 64 from 504, 512 from "
                    + "4032), so it fires between 1 and LVL_GRAN jiffies after expiry; neighd fires every timer 1 "
                    + "jiffy after it expires (level 0's rounding). Each scenario's slack is derived from the timers "
                    + "on the way to its frames (see Timing), so a frame that differs by more than the wheel "
                    + "allows still fails.",
            "Randomness: reachable_time and the proxy_delay of each request are random draws, on both sides; "
                    + "proxy_delay scenarios compare the delays as distributions (see Timing).",
            "Link state: the kernel acts on its port's down, up and carrier changes inside the call that "
                    + "makes them (NETDEV_DOWN, NETDEV_UP, NETDEV_CHANGE); neighd learns of them a moment later "
                    + "from the rtnetlink notification `ip monitor link` prints. The link scenarios read the "
                    + "tables after both noticed.",
            "Ages: `ip -s neigh` prints used/confirmed/updated in whole seconds; they are compared within 1 s.",
            "Work queued with no delay: the kernel runs neigh_periodic_work at once when it requeues itself "
                    + "with a delay of 0 (base_reachable_time/2 of a one-jiffy base), again and again as fast as "
                    + "the CPU allows; neighd runs it on the next tick (every jiffy).",
            "IPv6 router solicitations: neighd sends none (it configures no address from router advertisements); "
                    + "the lab turns them off in every kernel (router_solicitations 0) and the IPv6 scenarios' "
                    + "captures leave them out.");

    /** What a scenario-specific difference explains: exactly the differences {@link #covers} accepts. */
    interface Excuse {
        /** The reason, for the report. */
        String why();

        /** Whether {@code d}, found between these two outcomes, is the difference this excuse explains. */
        boolean covers(Difference d, Outcome linux, Outcome neighd);

        /**
         * Whether the difference is a race that some runs lose and others win, so that a run in
         * which it did not appear is no sign the excuse is stale. False for every excuse whose
         * difference is deterministic: those fail the run when they explain nothing.
         */
        default boolean racy() {
            return false;
        }
    }

    /**
     * neighd forwards no IP packet. Explains: the forwarded packets Linux sent (ICMP neither from
     * nor to a DUT address), Linux's requests for their next hops and the entries they left, and
     * Linux's use of an entry on the way back (DELAY or REACHABLE where neighd, which did not use
     * it, has STALE); nothing else.
     */
    static final class NotARouter implements Excuse {
        private static final Set<String> OWN = Set.of(Lab.ownIp(0), Lab.ownIp(1));

        @Override
        public String why() {
            return "neighd is a neighbour subsystem, not a router: it answers ARP and ICMP echo for its own "
                    + "addresses and originates pings, but forwards no IP packet; `forwarding` only enables proxy "
                    + "ARP, as arp_process() reads it (IN_DEV_FORWARD). The excuse covers only the forwarded "
                    + "packets, Linux's requests for their next hops, the entries those left, and the state of an "
                    + "entry Linux used to forward.";
        }

        private static boolean forwarded(Outcome.WireFrame f) {
            return f.icmp() && !OWN.contains(f.src()) && !OWN.contains(f.dst());
        }

        /** Where Linux forwarded packets to, by segment and destination. */
        private static boolean forwardedTo(Outcome linux, int seg, String ip) {
            return linux.frames().stream().anyMatch(f -> forwarded(f) && f.dst().equals(ip)
                    && (seg < 0 || f.seg() == seg));
        }

        @Override
        public boolean covers(Difference d, Outcome linux, Outcome neighd) {
            return switch (d.kind()) {
                case FRAME_ONLY_LINUX -> {
                    Outcome.WireFrame f = d.linuxFrame();
                    yield forwarded(f) || (f.text().startsWith("REQUEST ") && forwardedTo(linux, f.seg(), f.dst()));
                }
                case ENTRY_ONLY_LINUX -> forwardedTo(linux, -1, d.linuxEntry().dst());
                case ENTRY_FIELDS -> "state".equals(d.field()) && forwardedTo(linux, -1, d.linuxEntry().dst())
                        && Set.of("DELAY", "REACHABLE", "PROBE").contains(d.linuxEntry().state())
                        && d.neighdEntry().state().equals("STALE");
                default -> false;
            };
        }
    }

    /**
     * The DUT's own device goes down and up with arp_notify. Explains only the lookups and hits
     * counts, not the frames or tables: Linux announces inside NETDEV_UP, before the bridge
     * forwards on the port again, so the kernel peers never see that frame, where they see
     * neighd's, sent a moment later from the link notification: their lookups land in neighd's
     * window only. (The one lookup Linux counted more across every down and up was
     * fib_add_ifaddr's arp_invalidate of the subnet broadcast on NETDEV_UP, which neighd now
     * does too.)
     */
    static final class LinkBounceLookups implements Excuse {
        @Override
        public String why() {
            return "the DUT's own link goes down and up: Linux's NETDEV_UP announcement leaves before the bridge "
                    + "forwards on the port again, so the kernel peers count lookups for neighd's announcement only. "
                    + "The excuse covers only the lookups and hits counts.";
        }

        /**
         * The bridge port forwards again once linkwatch has seen the veth's carrier, which it does
         * asynchronously: in some runs that happens before Linux's announcement leaves, and the
         * peers count it on both sides.
         */
        @Override
        public boolean racy() {
            return true;
        }

        @Override
        public boolean covers(Difference d, Outcome linux, Outcome neighd) {
            return d.kind() == Difference.Kind.STATISTICS && Set.of("lookups", "hits").contains(d.field());
        }
    }

    /**
     * A packet neighd sent itself could not be delivered: resolution failed and arp_error_report
     * called dst_link_failure. Linux then sends the ICMP host unreachable to the packet's source,
     * its own address, through lo; ip_finish_output2 looks lo's neighbour up under the key 0.0.0.0
     * (__ipv4_neigh_lookup_noref keys loopback and point-to-point devices by INADDR_ANY) and
     * allocates the NOARP entry `0.0.0.0 dev lo` that `ip -s neigh show nud all` prints. neighd
     * has no loopback device: an error to itself goes nowhere. Explains exactly one more arp_cache
     * allocation on Linux's side; nothing else.
     */
    static final class NoLoopback implements Excuse {
        @Override
        public String why() {
            return "neighd has no loopback device: Linux's ICMP host unreachable for its own undeliverable "
                    + "echo reply goes to itself through lo and allocates lo's NOARP entry 0.0.0.0 in arp_tbl. "
                    + "The excuse covers only that one allocation.";
        }

        @Override
        public boolean covers(Difference d, Outcome linux, Outcome neighd) {
            return d.kind() == Difference.Kind.STATISTICS && "allocs".equals(d.field())
                    && d.linux() instanceof Long k && d.neighd() instanceof Long n && k == n + 1;
        }
    }

    private static final Map<String, Excuse> EXCUSED = Map.of(
            "forwarding-routes-ip", new NotARouter(),
            "arp_notify-link-up", new LinkBounceLookups(),
            "icmp-source-network-address-rp_filter-0", new NoLoopback(),
            "icmp-source-network-address-rp_filter-1", new NoLoopback());

    private KnownDifferences() {
    }

    /** The excuse for {@code scenario}, or null if it must not differ at all. */
    static Excuse excuse(String scenario) {
        return EXCUSED.get(scenario);
    }

    static Map<String, Excuse> all() {
        return EXCUSED;
    }
}
