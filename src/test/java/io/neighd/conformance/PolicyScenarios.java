package io.neighd.conformance;

import java.util.List;

import static io.neighd.conformance.Scenarios.DUT;
import static io.neighd.conformance.Scenarios.OWN0;
import static io.neighd.conformance.Scenarios.OWN1;
import static io.neighd.conformance.Scenarios.arping;
import static io.neighd.conformance.Scenarios.conf;
import static io.neighd.conformance.Scenarios.request;

/** arp_ignore, arp_filter and arp_announce, with the two interfaces nd0 and nd1. */
final class PolicyScenarios {
    private PolicyScenarios() {
    }

    static List<Scenario> all() {
        return List.of(
                Scenario.of("arp_ignore-1-other-interface-address", "p1 arpings 10.78.0.1 on nd0")
                        .knob(conf("arp_ignore"), 1)
                        .script(r -> arping(r, 1, OWN1)).build(),
                Scenario.of("arp_ignore-1-own-address", "p1 arpings 10.77.0.1")
                        .knob(conf("arp_ignore"), 1)
                        .script(r -> arping(r, 1, OWN0)).build(),
                Scenario.of("arp_ignore-2-sender-off-subnet", "who-has 10.77.0.1 tell 10.99.0.5")
                        .knob(conf("arp_ignore"), 2)
                        .script(r -> request(r, 1, "10.99.0.5", OWN0)).build(),
                Scenario.of("arp_ignore-2-sender-in-subnet", "p1 arpings 10.77.0.1")
                        .knob(conf("arp_ignore"), 2)
                        .script(r -> arping(r, 1, OWN0)).build(),
                Scenario.of("arp_ignore-3-scope-host-address", "nd0 also has 10.77.0.5/32 scope host; "
                                + "p1 arpings it, then 10.77.0.1")
                        .knob(conf("arp_ignore"), 3)
                        .script(r -> {
                            r.dut.address("nd0", "10.77.0.5/32", "host");
                            arping(r, 1, "10.77.0.5");
                            r.mark();
                            arping(r, 2, OWN0);
                        }).build(),
                Scenario.of("arp_ignore-0-scope-host-address", "nd0 also has 10.77.0.5/32 scope host; "
                                + "p1 arpings it")
                        .script(r -> {
                            r.dut.address("nd0", "10.77.0.5/32", "host");
                            arping(r, 1, "10.77.0.5");
                        }).build(),
                Scenario.of("arp_ignore-5-as-0", "p1 arpings 10.78.0.1 on nd0 (levels 4-7 are 0)")
                        .knob(conf("arp_ignore"), 5)
                        .script(r -> arping(r, 1, OWN1)).build(),
                Scenario.of("arp_ignore-8", "p1 arpings 10.77.0.1")
                        .knob(conf("arp_ignore"), 8)
                        .script(r -> arping(r, 1, OWN0)).build(),
                Scenario.of("arp_ignore-all-1-max", "all=1, nd0=0 (the maximum applies); p1 arpings 10.78.0.1")
                        .knob("net.ipv4.conf.all.arp_ignore", 1)
                        .script(r -> arping(r, 1, OWN1)).build(),
                Scenario.of("arp_filter-1-sender-behind-other-interface", "who-has 10.77.0.1 tell 10.78.0.50 "
                                + "on nd0 (the route back leaves through nd1)")
                        .knob(conf("arp_filter"), 1)
                        .script(r -> request(r, 1, "10.78.0.50", OWN0)).build(),
                Scenario.of("arp_filter-0-sender-behind-other-interface", "the same with arp_filter 0")
                        .script(r -> request(r, 1, "10.78.0.50", OWN0)).build(),
                Scenario.of("arp_filter-1-other-interface-address", "p1 arpings 10.78.0.1 on nd0 (route back "
                                + "leaves through nd0)")
                        .knob(conf("arp_filter"), 1)
                        .script(r -> arping(r, 1, OWN1)).build(),
                Scenario.of("arp_filter-all-1-or", "all=1, nd0=0 (either applies); who-has 10.77.0.1 tell "
                                + "10.78.0.50")
                        .knob("net.ipv4.conf.all.arp_filter", 1)
                        .script(r -> request(r, 1, "10.78.0.50", OWN0)).build(),
                announce(0, OWN1, "the echo reply's source 10.78.0.1 is local: asked from it"),
                announce(1, OWN1, "10.78.0.1 is not on nd0's subnet: inet_select_addr"),
                announce(2, OWN1, "always inet_select_addr"),
                announceSecondary(1),
                announceSecondary(2));
    }

    /**
     * p1 knows the DUT's MAC (permanent entries) and pings {@code dst}; the DUT does not know p1, so
     * its echo reply waits on a new entry, and arp_announce picks the request's sender address.
     */
    private static Scenario announce(int level, String dst, String why) {
        return Scenario.of("arp_announce-" + level + "-reply-from-" + dst, "p1 pings " + dst + "; " + why)
                .knob(conf("arp_announce"), level)
                .script(r -> {
                    r.peerIp(0, 1, "neigh", "replace", OWN0, "lladdr", DUT, "dev", "eth0", "nud", "permanent");
                    r.mark();
                    r.ping(0, 1, "-c", "1", "-W", "1", dst);
                }).build();
    }

    /** The same with 10.77.0.2/24, a secondary address of nd0 on the peer's own subnet. */
    private static Scenario announceSecondary(int level) {
        return Scenario.of("arp_announce-" + level + "-secondary-on-subnet", "nd0 also has 10.77.0.2/24; p1 "
                        + "pings it; the source is on-link with the target")
                .knob(conf("arp_announce"), level)
                .script(r -> {
                    r.dut.address("nd0", "10.77.0.2/24", null);
                    r.peerIp(0, 1, "neigh", "replace", "10.77.0.2", "lladdr", DUT, "dev", "eth0", "nud", "permanent");
                    r.mark();
                    r.ping(0, 1, "-c", "1", "-W", "1", "10.77.0.2");
                }).build();
    }
}
