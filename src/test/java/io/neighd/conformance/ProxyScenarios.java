package io.neighd.conformance;

import io.neighd.lab.Lab;

import java.util.List;

import static io.neighd.conformance.Scenarios.BCAST;
import static io.neighd.conformance.Scenarios.DUT;
import static io.neighd.conformance.Scenarios.ZERO;
import static io.neighd.conformance.Scenarios.conf;
import static io.neighd.conformance.Scenarios.neigh;
import static io.neighd.conformance.Scenarios.p;
import static io.neighd.conformance.Scenarios.pmac;
import static io.neighd.conformance.Scenarios.request;

/**
 * The forwarding branch of arp_process: proxy_arp (and its medium_id), proxy_arp_pvlan, proxy
 * entries, the forwarding it needs, proxy_delay and proxy_qlen. p1 asks on nd0 for 10.78.0.12,
 * which the DUT routes out of nd1, unless a scenario says otherwise.
 */
final class ProxyScenarios {
    private static final String FAR = Lab.peerIp(1, 2);

    private ProxyScenarios() {
    }

    static List<Scenario> all() {
        return List.of(
                proxy("proxy_arp", "p1 asks for 10.78.0.12 (routed out of nd1)").build(),
                Scenario.of("proxy_arp-no-forwarding", "the same without forwarding on nd0")
                        .knob(conf("proxy_arp"), 1).knob(neigh("proxy_delay"), 0)
                        .script(r -> ask(r, FAR)).build(),
                Scenario.of("proxy_arp-all-1-or", "all.proxy_arp=1, nd0's 0 (either applies)")
                        .knob("net.ipv4.conf.all.proxy_arp", 1).knob(conf("forwarding"), 1)
                        .knob(neigh("proxy_delay"), 0)
                        .script(r -> ask(r, FAR)).build(),
                proxy("proxy_arp-same-interface", "p1 asks for 10.77.0.99, routed back out of nd0")
                        .script(r -> ask(r, "10.77.0.99")).build(),
                proxy("proxy_arp-off-subnet-via-gateway", "p1 asks for 10.89.0.7 (routed via 10.78.0.254 "
                        + "on nd1)")
                        .script(r -> ask(r, "10.89.0.7")).build(),
                proxy("medium_id-same-medium", "nd0 and nd1 both medium 1: no proxy")
                        .knob(conf("medium_id"), 1).knob("net.ipv4.conf.nd1.medium_id", 1).build(),
                proxy("medium_id-other-medium", "nd0 medium 1, nd1 medium 2: proxy")
                        .knob(conf("medium_id"), 1).knob("net.ipv4.conf.nd1.medium_id", 2).build(),
                proxy("medium_id--1", "nd0 medium -1: never proxy")
                        .knob(conf("medium_id"), -1).build(),
                Scenario.of("proxy_arp_pvlan", "private VLAN: p1 asks for p2 on the same segment")
                        .knob(conf("proxy_arp_pvlan"), 1).knob(conf("forwarding"), 1).knob(neigh("proxy_delay"), 0)
                        .script(r -> ask(r, p(2))).build(),
                Scenario.of("proxy_arp_pvlan-self-probe", "private VLAN: p1 asks for itself (sip == tip: no proxy)")
                        .knob(conf("proxy_arp_pvlan"), 1).knob(conf("forwarding"), 1).knob(neigh("proxy_delay"), 0)
                        .script(r -> request(r, 1, p(1), p(1))).build(),
                Scenario.of("proxy-entry", "ip neigh add proxy 10.78.0.99 dev nd0; p1 asks for it")
                        .knob(conf("forwarding"), 1).knob(neigh("proxy_delay"), 0)
                        .script(r -> {
                            r.dut.proxy("10.78.0.99", "nd0");
                            ask(r, "10.78.0.99");
                        }).build(),
                Scenario.of("proxy-entry-no-forwarding", "the same without forwarding")
                        .knob(neigh("proxy_delay"), 0)
                        .script(r -> {
                            r.dut.proxy("10.78.0.99", "nd0");
                            ask(r, "10.78.0.99");
                        }).build(),
                Scenario.of("proxy-entry-same-interface", "a proxy entry for 10.77.0.99, routed back out of nd0")
                        .knob(conf("forwarding"), 1).knob(neigh("proxy_delay"), 0)
                        .script(r -> {
                            r.dut.proxy("10.77.0.99", "nd0");
                            ask(r, "10.77.0.99");
                        }).build(),
                Scenario.of("forwarding-routes-ip", "forwarding on nd0 and nd1; p1 pings 10.78.0.12 through "
                                + "the DUT")
                        .knob(conf("forwarding"), 1).knob("net.ipv4.conf.nd1.forwarding", 1)
                        .script(r -> r.ping(0, 1, "-c", "1", "-W", "1", FAR)).build(),
                proxy("proxy_delay-50", "24 requests at once: each reply waits its own random time below 500 ms")
                        .knob(neigh("proxy_delay"), 50)
                        .script(r -> {
                            for (int i = 0; i < 24; i++) {
                                ask(r, FAR);
                            }
                        }).settle(700).randomDelay(500).build(),
                proxy("proxy_delay-unicast-request", "a request to the DUT's MAC is answered at once")
                        .knob(neigh("proxy_delay"), 50)
                        .script(r -> r.arp(0, 1, 1, DUT, pmac(1), p(1), ZERO, FAR)).build(),
                proxy("proxy_qlen-2-burst", "ten requests at once: proxy_qlen + 1 are held and answered")
                        .knob(neigh("proxy_delay"), 30).knob(neigh("proxy_qlen"), 2)
                        .script(r -> {
                            for (int i = 0; i < 10; i++) {
                                request(r, 1, p(1), FAR);
                            }
                        }).settle(500).randomDelay(300).build());
    }

    /** proxy_arp and forwarding on nd0, proxy_delay 0, p1 asking for 10.78.0.12 by default. */
    private static Scenario.Builder proxy(String name, String title) {
        return Scenario.of(name, title)
                .knob(conf("proxy_arp"), 1).knob(conf("forwarding"), 1).knob(neigh("proxy_delay"), 0)
                .script(r -> ask(r, FAR));
    }

    /** p1 asks (broadcast) who has {@code ip}, as arping -b does, without waiting. */
    private static void ask(Run r, String ip) {
        r.arp(0, 1, 1, BCAST, pmac(1), p(1), ZERO, ip);
    }
}
