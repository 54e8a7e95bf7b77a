package io.neighd.conformance;

import io.neighd.lab.Lab;

import java.util.List;

import static io.neighd.conformance.Scenarios.NOBODY;
import static io.neighd.conformance.Scenarios.OWN0;
import static io.neighd.conformance.Scenarios.arping;
import static io.neighd.conformance.Scenarios.neigh;
import static io.neighd.conformance.Scenarios.p;

/**
 * Resolution and NUD on short timers: __neigh_event_send, neigh_timer_handler, arp_solicit and
 * the arp_queue, driven by the DUT resolving (as outbound traffic does) or pinging.
 */
final class ResolutionScenarios {
    private static final String RETRANS = neigh("retrans_time_ms");
    private static final String DELAY = neigh("delay_first_probe_time");

    private ResolutionScenarios() {
    }

    static List<Scenario> all() {
        return List.of(
                Scenario.of("resolve-answered", "the DUT resolves p1")
                        .script(r -> r.dut.resolve("nd0", p(1))).build(),
                Scenario.of("resolve-unanswered", "the DUT resolves 10.77.0.99 (nobody)")
                        .knob(RETRANS, 200)
                        .script(r -> r.dut.resolve("nd0", NOBODY)).settle(900).timers(200, 200).build(),
                Scenario.of("resolve-mcast_solicit-1", "one broadcast probe, then FAILED")
                        .knob(RETRANS, 200).knob(neigh("mcast_solicit"), 1)
                        .script(r -> r.dut.resolve("nd0", NOBODY)).settle(500).build(),
                Scenario.of("resolve-mcast_solicit-5", "five broadcast probes 100 ms apart")
                        .knob(RETRANS, 100).knob(neigh("mcast_solicit"), 5)
                        .script(r -> r.dut.resolve("nd0", NOBODY)).settle(800).timers(100, 100, 100, 100).build(),
                Scenario.of("resolve-mcast_solicit-0", "no probe at all: NONE goes straight to FAILED")
                        .knob(neigh("mcast_solicit"), 0)
                        .script(r -> r.dut.resolve("nd0", NOBODY)).build(),
                Scenario.of("resolve-app_solicit-2", "two app probes (RTM_GETNEIGH, no frame), then one "
                                + "broadcast; frames only (the kernel's miss goes to netlink)")
                        .knob(RETRANS, 200).knob(neigh("mcast_solicit"), 1).knob(neigh("app_solicit"), 2)
                        .script(r -> r.dut.resolve("nd0", NOBODY)).settle(1000).timers(200, 200, 200).build(),
                Scenario.of("resolve-app_solicit-only", "mcast_solicit 0, app_solicit 1: one app probe, no "
                                + "frame, FAILED")
                        .knob(RETRANS, 200).knob(neigh("mcast_solicit"), 0).knob(neigh("app_solicit"), 1)
                        .script(r -> r.dut.resolve("nd0", NOBODY)).settle(500).build(),
                Scenario.of("resolve-again-after-failed", "10.77.0.99 FAILED; resolved again: broadcast probes "
                                + "from the start")
                        .knob(RETRANS, 100).knob(neigh("mcast_solicit"), 2)
                        .script(r -> {
                            r.dut.resolve("nd0", NOBODY);
                            r.sleep(400);
                            r.mark();
                            r.dut.resolve("nd0", NOBODY);
                        }).settle(400).timers(100).build(),
                Scenario.of("resolve-retrans_time_ms-50", "three broadcast probes 50 ms apart")
                        .knob(RETRANS, 50)
                        .script(r -> r.dut.resolve("nd0", NOBODY)).settle(400).timers(50, 50).build(),
                Scenario.of("stale-use-delay-probe-reachable", "p1 is learnt STALE; the DUT uses it: DELAY, "
                                + "a unicast probe after delay_first_probe_time, REACHABLE")
                        .knob(RETRANS, 200).knob(DELAY, 1)
                        .script(r -> {
                            arping(r, 1, OWN0);
                            r.mark();
                            r.dut.resolve("nd0", p(1));
                            r.sleep(1300);
                        }).timers(1000).build(),
                probeFails("stale-use-peer-gone-failed", "ucast_solicit unicast probes, then FAILED", 0, 3, 1400),
                probeFails("stale-use-mcast_resolicit-2", "then two broadcast reprobes, then FAILED", 2, 3, 1800),
                probeFails("stale-use-ucast_solicit-1-mcast_resolicit-1", "one unicast, one broadcast, FAILED",
                        1, 1, 1400),
                probeFails("stale-use-ucast_solicit-0", "no probe in PROBE at all: FAILED after DELAY", 0, 0, 1300),
                Scenario.of("reachable-expires-to-stale", "resolved p1 goes STALE after reachable_time "
                                + "(delay_first_probe_time 0, so not DELAY)")
                        .knob(neigh("base_reachable_time_ms"), 600).knob(DELAY, 0)
                        .script(r -> {
                            r.dut.resolve("nd0", p(1));
                            r.sleep(1200);
                        }).build(),
                Scenario.of("ping-unresolved", "the DUT pings p1 once: the echo waits for the reply")
                        .script(r -> r.dut.ping(p(1), 1, 100)).build(),
                Scenario.of("ping-in-delay-not-confirmed", "p1 is STALE; two pings: DELAY, then PROBE: iputils' "
                                + "MSG_CONFIRM on the second confirms nothing (ping_v4_sendmsg confirms only with "
                                + "MSG_PROBE)")
                        .knob(DELAY, 1)
                        .script(r -> {
                            arping(r, 1, OWN0);
                            r.mark();
                            r.dut.ping(p(1), 2, 200);
                            r.sleep(1300);
                        }).timers(1000).build(),
                Scenario.of("ping-off-subnet-via-gateway", "the DUT pings 10.88.0.1 (default via 10.77.0.254)")
                        .script(r -> r.dut.ping(Lab.farIp(0), 1, 100)).build(),
                unresQueue("unres_qlen_bytes-1", neigh("unres_qlen_bytes"), 1, "only the newest packet survives"),
                unresQueue("unres_qlen-1", neigh("unres_qlen"), 1, "2090 bytes: as many echoes as their truesize "
                        + "lets fit"),
                unresQueue("unres_qlen_bytes-default", null, null, "all four packets wait and go"),
                Scenario.of("stale-use-delay_first_probe_time-3", "as stale-use-delay-probe-reachable with a 3 s "
                                + "DELAY (750 jiffies: Linux's timer wheel files it in level 2, with 64-jiffy granularity)")
                        .knob(RETRANS, 200).knob(DELAY, 3)
                        .script(r -> {
                            arping(r, 1, OWN0);
                            r.mark();
                            r.dut.resolve("nd0", p(1));
                            r.sleep(3400);
                        }).timers(3000).build());
    }

    /** p1 learnt STALE, then gone (its switch port down); the DUT uses it and probes in vain. */
    private static Scenario probeFails(String name, String what, int mcastResolicit, int ucastSolicit, long wait) {
        return Scenario.of(name, "p1 STALE, then gone; the DUT uses it: DELAY, PROBE: " + what)
                .knob(RETRANS, 200).knob(DELAY, 1)
                .knob(neigh("mcast_resolicit"), mcastResolicit).knob(neigh("ucast_solicit"), ucastSolicit)
                .script(r -> {
                    arping(r, 1, OWN0);
                    r.peerPort(0, 1, false);
                    r.mark();
                    r.dut.resolve("nd0", p(1));
                    r.sleep(wait);
                }).timers(probeChain(ucastSolicit + mcastResolicit)).build();
    }

    /** delay_first_probe_time (1 s), then retrans_time (200 ms) between each of {@code probes} probes. */
    private static long[] probeChain(int probes) {
        long[] t = new long[Math.max(1, probes)];
        java.util.Arrays.fill(t, 200);
        t[0] = 1000;
        return t;
    }

    /**
     * p1 ignores ARP (arp_ignore 8) while the DUT pings it four times, 100 ms apart, so the echoes
     * wait on an INCOMPLETE entry; at 450 ms p1 answers again and the probe at 600 ms resolves it.
     */
    private static Scenario unresQueue(String name, String knob, Integer value, String what) {
        Scenario.Builder b = Scenario.of(name, "four pings wait on an unresolved p1; " + what)
                .knob(RETRANS, 300).knob(neigh("mcast_solicit"), 10);
        if (knob != null) {
            b.knob(knob, value);
        }
        return b.script(r -> {
            r.peerSysctl(0, 1, "net.ipv4.conf.eth0.arp_ignore", 8);
            r.mark();
            r.dut.ping(p(1), 4, 100);
            r.sleep(450);
            r.peerSysctl(0, 1, "net.ipv4.conf.eth0.arp_ignore", 0);
        }).settle(600).timers(300, 300).build();
    }
}
