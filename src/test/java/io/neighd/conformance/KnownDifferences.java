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
            "Link state: the kernel acts on its port's down, up and carrier changes inside the call that "
                    + "makes them (NETDEV_DOWN, NETDEV_UP, NETDEV_CHANGE); neighd learns of them a moment later "
                    + "from the rtnetlink notification `ip monitor link` prints. The link scenarios read the "
                    + "tables after both noticed.",
            "Ages: `ip -s neigh` prints used/confirmed/updated in whole seconds; they are compared within 1 s.",
            "IPv6 router solicitations: neighd sends none (it configures no address from router advertisements); "
                    + "the lab turns them off in every kernel (router_solicitations 0) and the IPv6 scenarios' "
                    + "captures leave them out.");

    private static final String NOT_A_ROUTER = "neighd is a neighbour subsystem, not a router: it answers ARP and "
            + "ICMP echo for its own addresses and originates pings, but forwards no IP packet; `forwarding` "
            + "only enables proxy ARP, as arp_process() reads it (IN_DEV_FORWARD).";

    private static final String TIMER_WHEEL = "Linux's timer wheel: a 750-jiffy timer sits in level 2 (64-jiffy "
            + "buckets) and fires up to 256 ms late; neighd fires it 1 jiffy after expiry. Frames differ only in "
            + "time, when the bucket rounding exceeds the 150 ms slack.";

    private static final Map<String, String> EXPLAINED = Map.of(
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
