package io.neighd.conformance;

import java.util.List;

import static io.neighd.conformance.Scenarios.BCAST;
import static io.neighd.conformance.Scenarios.DUT;
import static io.neighd.conformance.Scenarios.NEW_MAC;
import static io.neighd.conformance.Scenarios.NOBODY;
import static io.neighd.conformance.Scenarios.OWN0;
import static io.neighd.conformance.Scenarios.arping;
import static io.neighd.conformance.Scenarios.conf;
import static io.neighd.conformance.Scenarios.neigh;
import static io.neighd.conformance.Scenarios.p;
import static io.neighd.conformance.Scenarios.pmac;

/**
 * The cache update at the end of arp_process: gratuitous ARP and unsolicited replies under
 * arp_accept and drop_gratuitous_arp, locktime, and what ARP may not change (PERMANENT).
 */
final class UnsolicitedScenarios {
    private UnsolicitedScenarios() {
    }

    static List<Scenario> all() {
        return List.of(
                garp(0, "-U"), garp(0, "-A"), garp(1, "-U"), garp(1, "-A"), garp(2, "-U"), garp(2, "-A"),
                Scenario.of("garp-arp_accept-2-sender-off-subnet", "a gratuitous request from 10.99.0.5")
                        .knob(conf("arp_accept"), 2)
                        .script(r -> r.arp(0, 1, 1, BCAST, pmac(1), "10.99.0.5", BCAST, "10.99.0.5")).build(),
                Scenario.of("garp-own-address-arp_accept-1", "p1 sends a gratuitous request for 10.77.0.1, the "
                                + "DUT's own address")
                        .knob(conf("arp_accept"), 1)
                        .script(r -> r.arp(0, 1, 1, BCAST, pmac(1), OWN0, BCAST, OWN0)).build(),
                Scenario.of("garp-drop_gratuitous_arp", "arping -U and -A with arp_accept 1 and "
                                + "drop_gratuitous_arp 1")
                        .knob(conf("arp_accept"), 1).knob(conf("drop_gratuitous_arp"), 1)
                        .script(r -> {
                            r.arping(0, 1, "-U", "-c", "1", "-w", "1", p(1));
                            r.arping(0, 2, "-A", "-c", "1", "-w", "1", p(2));
                        }).build(),
                Scenario.of("garp-updates-known-entry", "p1 is learnt; a gratuitous request moves it to a new "
                                + "MAC within locktime")
                        .script(r -> {
                            arping(r, 1, OWN0);
                            r.mark();
                            r.arp(0, 1, 1, BCAST, NEW_MAC, p(1), BCAST, p(1));
                        }).build(),
                Scenario.of("reply-within-locktime-ignored", "p1 is learnt; at once a broadcast reply says it "
                                + "moved (not gratuitous: locktime holds)")
                        .script(r -> {
                            arping(r, 1, OWN0);
                            r.arp(0, 1, 2, BCAST, NEW_MAC, p(1), BCAST, p(2));
                        }).build(),
                Scenario.of("reply-after-locktime-overrides", "the same reply 1.2 s later (locktime 1 s)")
                        .script(r -> {
                            arping(r, 1, OWN0);
                            r.sleep(1200);
                            r.arp(0, 1, 2, BCAST, NEW_MAC, p(1), BCAST, p(2));
                        }).build(),
                Scenario.of("reply-locktime-0-overrides", "the same reply at once, locktime 0")
                        .knob(neigh("locktime"), 0)
                        .script(r -> {
                            arping(r, 1, OWN0);
                            r.arp(0, 1, 2, BCAST, NEW_MAC, p(1), BCAST, p(2));
                        }).build(),
                Scenario.of("unsolicited-unicast-reply-arp_accept-1", "p1 replies to the DUT unasked "
                                + "(unicast): created REACHABLE")
                        .knob(conf("arp_accept"), 1)
                        .script(r -> r.arp(0, 1, 2, DUT, pmac(1), p(1), DUT, OWN0)).build(),
                Scenario.of("unsolicited-broadcast-reply-arp_accept-1", "the same reply broadcast: STALE")
                        .knob(conf("arp_accept"), 1)
                        .script(r -> r.arp(0, 1, 2, BCAST, pmac(1), p(1), DUT, OWN0)).build(),
                Scenario.of("unsolicited-unicast-reply-arp_accept-0", "the unicast reply, arp_accept 0")
                        .script(r -> r.arp(0, 1, 2, DUT, pmac(1), p(1), DUT, OWN0)).build(),
                Scenario.of("reply-completes-incomplete", "the DUT resolves 10.77.0.99; someone answers for it "
                                + "unicast")
                        .knob(neigh("retrans_time_ms"), 300)
                        .script(r -> {
                            r.dut.resolve("nd0", NOBODY);
                            r.sleep(100);
                            r.arp(0, 3, 2, DUT, NEW_MAC, NOBODY, DUT, OWN0);
                        }).build(),
                Scenario.of("permanent-not-changed-by-arp", "p1 is PERMANENT at another MAC; p1 arpings the "
                                + "DUT and sends a gratuitous request")
                        .script(r -> {
                            r.dut.neighbour("nd0", p(1), NEW_MAC, "permanent");
                            arping(r, 1, OWN0);
                            r.arp(0, 1, 1, BCAST, pmac(1), p(1), BCAST, p(1));
                        }).build());
    }

    /** iputils arping -U (gratuitous request) or -A (gratuitous reply, tha = sha) from p1. */
    private static Scenario garp(int accept, String form) {
        return Scenario.of("garp-arp_accept-" + accept + (form.equals("-U") ? "-request" : "-reply"),
                        "arping " + form + " from p1, unknown to the DUT")
                .knob(conf("arp_accept"), accept)
                .script(r -> r.arping(0, 1, form, "-c", "1", "-w", "1", p(1))).build();
    }
}
