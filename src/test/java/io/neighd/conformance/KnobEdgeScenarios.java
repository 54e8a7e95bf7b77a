package io.neighd.conformance;

import java.util.List;

import static io.neighd.conformance.Scenarios.BCAST;
import static io.neighd.conformance.Scenarios.NEW_MAC;
import static io.neighd.conformance.Scenarios.NOBODY;
import static io.neighd.conformance.Scenarios.OWN0;
import static io.neighd.conformance.Scenarios.OWN1;
import static io.neighd.conformance.Scenarios.ZERO;
import static io.neighd.conformance.Scenarios.arping;
import static io.neighd.conformance.Scenarios.conf;
import static io.neighd.conformance.Scenarios.neigh;
import static io.neighd.conformance.Scenarios.p;
import static io.neighd.conformance.Scenarios.pmac;

/**
 * Knobs at the values Linux stores but a reader would not expect (issue 10, defect 3): a USER_HZ
 * value that overflows the kernel's int (900000000 is stored as -2044967296 jiffies at HZ 250), a
 * negative one, an int sum that wraps, a devconf value outside its documented range. Both DUTs
 * accept the write (sysctl.conf keeps working) and must then behave alike.
 */
final class KnobEdgeScenarios {
    private static final String FAR = io.neighd.lab.Lab.peerIp(1, 2);

    private KnobEdgeScenarios() {
    }

    static List<Scenario> all() {
        return List.of(
                Scenario.of("locktime-overflowed", "locktime 900000000 (a negative int): a request from a new MAC "
                                + "claiming p1 overrides at once")
                        .knob(neigh("locktime"), 900000000)
                        .script(KnobEdgeScenarios::newMacClaimsP1).build(),
                Scenario.of("locktime-negative", "locktime -5 (stored as -1 jiffy): the same")
                        .knob(neigh("locktime"), -5)
                        .script(KnobEdgeScenarios::newMacClaimsP1).build(),
                Scenario.of("proxy_delay-overflowed", "proxy_delay 900000000: a proxied request waits up to 104 days; "
                                + "nothing is sent, then nd0 bounces (NETDEV_DOWN purges the proxy queue)")
                        .knob(conf("proxy_arp"), 1).knob(conf("forwarding"), 1)
                        .knob(neigh("proxy_delay"), 900000000)
                        .script(r -> {
                            r.arp(0, 1, 1, BCAST, pmac(1), p(1), ZERO, FAR);
                            r.sleep(500);
                            r.dut.bounce(0);
                        }).build(),
                Scenario.of("retrans_time-overflowed", "retrans_time 900000000: probes HZ/100 apart (the floor), "
                                + "then FAILED")
                        .knob(neigh("retrans_time"), 900000000)
                        .script(r -> r.dut.resolve("nd0", NOBODY)).settle(500).build(),
                Scenario.of("mcast_solicit-int-max", "mcast_solicit 2147483647: neigh_max_probes wraps negative, "
                                + "FAILED after the first probe")
                        .knob(neigh("retrans_time_ms"), 200).knob(neigh("mcast_solicit"), Integer.MAX_VALUE)
                        .script(r -> r.dut.resolve("nd0", NOBODY)).settle(600).build(),
                Scenario.of("arp_ignore-9", "arp_ignore 9 (undocumented): the switch's default replies; p1 "
                                + "arpings nd1's address on nd0")
                        .knob(conf("arp_ignore"), 9)
                        .script(r -> arping(r, 1, OWN1)).build(),
                // 4294968 s is 1073742000 jiffies: backdating by (int) (base << 1) wraps and dates a learned
                // entry's confirmation 2147483296 jiffies in the future, while reachable_time stays positive
                Scenario.of("base_reachable_time-wrapping-backdate", "base_reachable_time 4294968: a learned "
                                + "entry's confirmation is dated in the future, which arming the DELAY timer pulls "
                                + "back: probed, not trusted")
                        .knob(neigh("base_reachable_time"), 4294968).knob(neigh("delay_first_probe_time"), 1)
                        .knob(neigh("retrans_time_ms"), 200)
                        .script(r -> {
                            arping(r, 1, OWN0);
                            r.mark();
                            r.dut.resolve("nd0", p(1));
                            r.sleep(1300);
                        }).build());
    }

    /** p1 is learnt; then a request from a new MAC claiming p1's address asks for p2 (not the DUT). */
    private static void newMacClaimsP1(Run r) {
        arping(r, 1, OWN0);
        r.mark();
        r.arp(0, 1, 1, BCAST, NEW_MAC, p(1), ZERO, p(2));
    }
}
