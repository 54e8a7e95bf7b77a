package io.neighd.conformance;

import java.util.List;
import java.util.Map;

/**
 * The differences from Linux that neighd keeps on purpose, each with its reason. A scenario
 * listed here may differ and is reported as "explained"; any other difference fails the suite.
 * Nothing here hides a bug: a difference that is neighd's fault is fixed, not listed.
 */
final class KnownDifferences {
    /** Differences that hold for every scenario and are absorbed by the comparison's tolerances. */
    static final List<String> GENERAL = List.of(
            "Timers: Linux's timer wheel files a timer of more than 63 jiffies in a coarser bucket (8 jiffies "
                    + "beyond 63, 64 beyond 504, 512 beyond 4032) and so fires it up to that much late; neighd "
                    + "fires every timer one jiffy after it expires. Frames are matched within each scenario's "
                    + "slack (150 ms unless the scenario says otherwise), which covers the 32 ms of the timers "
                    + "used here.",
            "Randomness: reachable_time and the proxy_delay of each request are random draws, on both sides; "
                    + "scenarios that depend on them widen the slack to the whole draw range.",
            "Carrier: the kernel learns of carrier loss on its port at once (NETDEV_CHANGE); neighd polls its "
                    + "port's carrier every second. The carrier scenarios read the tables after both noticed.",
            "Ages: `ip -s neigh` prints used/confirmed/updated in whole seconds; they are compared within 1 s.");

    private static final String NO_ADMIN_STATE = "neighd attaches to a port it does not own and its link watch "
            + "reads only the port's carrier: an administrative down is seen as carrier loss (entries evicted "
            + "per arp_evict_nocarrier, where NETDEV_DOWN would flush every entry, PERMANENT and proxies too) and "
            + "the up as carrier returning, which is no NETDEV_UP, so arp_notify announces nothing. The capture "
            + "survives the bounce. Following IFF_UP in the link watch (Engine.setUp exists) would close this.";

    private static final String NOT_A_ROUTER = "neighd is a neighbour subsystem, not a router: it answers ARP and "
            + "ICMP echo for its own addresses and originates pings, but forwards no IP packet; `forwarding` "
            + "only enables proxy ARP, as arp_process() reads it (IN_DEV_FORWARD).";

    private static final String TIMER_WHEEL = "Linux's timer wheel: a 750-jiffy timer sits in level 2 (64-jiffy "
            + "buckets) and fires up to 256 ms late; neighd fires it 1 jiffy after expiry. Frames differ only in "
            + "time, when the bucket rounding exceeds the 150 ms slack.";

    private static final Map<String, String> EXPLAINED = Map.of(
            "arp_notify-link-up", NO_ADMIN_STATE,
            "link-down-up-flushes-permanent", NO_ADMIN_STATE,
            "forwarding-routes-ip", NOT_A_ROUTER,
            "stale-use-delay_first_probe_time-3", TIMER_WHEEL);

    private KnownDifferences() {
    }

    /** Why {@code scenario} may differ, or null if it must not. */
    static String reason(String scenario) {
        return EXPLAINED.get(scenario);
    }

    static Map<String, String> all() {
        return EXPLAINED;
    }
}
