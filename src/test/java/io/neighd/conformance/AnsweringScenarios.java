package io.neighd.conformance;

import io.neighd.lab.RawSender;
import io.neighd.wire.ArpPacket;

import java.util.Arrays;
import java.util.List;

import static io.neighd.conformance.Scenarios.BCAST;
import static io.neighd.conformance.Scenarios.DUT;
import static io.neighd.conformance.Scenarios.NEW_MAC;
import static io.neighd.conformance.Scenarios.NOBODY;
import static io.neighd.conformance.Scenarios.OWN0;
import static io.neighd.conformance.Scenarios.OWN1;
import static io.neighd.conformance.Scenarios.ZERO;
import static io.neighd.conformance.Scenarios.arping;
import static io.neighd.conformance.Scenarios.conf;
import static io.neighd.conformance.Scenarios.p;
import static io.neighd.conformance.Scenarios.pmac;
import static io.neighd.conformance.Scenarios.request;

/** arp_rcv/arp_process on requests: what is answered, what is learnt, what is dropped early. */
final class AnsweringScenarios {
    private AnsweringScenarios() {
    }

    /** The frame with an 802.1Q tag for {@code vlan} after the MACs. */
    private static byte[] tagged(byte[] frame, int vlan) {
        byte[] t = new byte[frame.length + 4];
        System.arraycopy(frame, 0, t, 0, 12);
        t[12] = (byte) 0x81;
        t[13] = 0x00;
        t[14] = (byte) (vlan >>> 8);
        t[15] = (byte) vlan;
        System.arraycopy(frame, 12, t, 16, frame.length - 12);
        return t;
    }

    static List<Scenario> all() {
        return List.of(
                Scenario.of("request-own-address", "p1 arpings 10.77.0.1")
                        .script(r -> arping(r, 1, OWN0)).build(),
                Scenario.of("request-unicast-to-dut", "a request sent to the DUT's MAC (PACKET_HOST)")
                        .script(r -> r.arp(0, 1, 1, DUT, pmac(1), p(1), ZERO, OWN0)).build(),
                Scenario.of("request-other-interface-address", "p1 arpings 10.78.0.1, nd1's address, on nd0")
                        .script(r -> arping(r, 1, OWN1)).build(),
                Scenario.of("request-sender-off-subnet", "who-has 10.77.0.1 tell 10.99.0.5")
                        .script(r -> request(r, 1, "10.99.0.5", OWN0)).build(),
                Scenario.of("request-for-a-neighbour", "p1 arpings p2: not for the DUT")
                        .script(r -> arping(r, 1, p(2))).build(),
                Scenario.of("request-to-other-host-mac", "a request to a unicast MAC that is not the DUT's "
                                + "(PACKET_OTHERHOST)")
                        .script(r -> r.arp(0, 1, 1, "02:00:00:00:00:77", pmac(1), p(1), ZERO, OWN0)).build(),
                Scenario.of("request-known-sender-new-mac", "p1 is learnt, then asks again from a new MAC "
                                + "within locktime (neigh_event_ns overrides)")
                        .script(r -> {
                            arping(r, 1, OWN0);
                            r.mark();
                            r.arp(0, 1, 1, BCAST, NEW_MAC, p(1), ZERO, OWN0);
                        }).build(),
                Scenario.of("request-sender-multicast", "who-has 10.77.0.1 tell 224.0.0.9 (a martian source)")
                        .script(r -> request(r, 1, "224.0.0.9", OWN0)).build(),
                Scenario.of("request-sender-loopback", "who-has 10.77.0.1 tell 127.0.0.1")
                        .script(r -> request(r, 1, "127.0.0.1", OWN0)).build(),
                Scenario.of("request-sender-subnet-broadcast", "who-has 10.77.0.1 tell 10.77.0.255")
                        .script(r -> request(r, 1, "10.77.0.255", OWN0)).build(),
                Scenario.of("request-sender-limited-broadcast", "who-has 10.77.0.1 tell 255.255.255.255")
                        .script(r -> request(r, 1, "255.255.255.255", OWN0)).build(),
                Scenario.of("request-sender-own-address", "who-has 10.77.0.12 tell 10.77.0.1: someone claims "
                                + "the DUT's address")
                        .script(r -> request(r, 1, OWN0, p(2))).build(),
                Scenario.of("request-sender-own-address-for-own", "who-has 10.77.0.1 tell 10.78.0.1 (the "
                                + "DUT's other address)")
                        .script(r -> request(r, 1, OWN1, OWN0)).build(),
                Scenario.of("request-broadcast-target", "who-has 10.77.0.255")
                        .script(r -> request(r, 1, p(1), "10.77.0.255")).build(),
                Scenario.of("vlan-tagged-request", "who-has 10.77.0.1 in an 802.1Q frame (VLAN 5)")
                        .script(r -> r.frame(0, 1, tagged(RawSender.frame(1, BCAST, pmac(1), pmac(1),
                                p(1), ZERO, OWN0), 5))).build(),
                Scenario.of("truncated-arp", "a request cut after 20 bytes of ARP")
                        .script(r -> r.frame(0, 1, Arrays.copyOf(RawSender.frame(1, BCAST,
                                pmac(1), pmac(1), p(1), ZERO, OWN0), 14 + 20))).build(),
                Scenario.of("ping-broadcast", "p1 pings 10.77.0.255 (ping -b)")
                        .script(r -> r.ping(0, 1, "-b", "-c", "1", "-W", "1", "10.77.0.255")).build(),
                Scenario.of("request-multicast-target", "who-has 224.0.0.5")
                        .script(r -> request(r, 1, p(1), "224.0.0.5")).build(),
                Scenario.of("request-loopback-target", "who-has 127.0.0.5 (route_localnet 0)")
                        .script(r -> request(r, 1, p(1), "127.0.0.5")).build(),
                Scenario.of("request-loopback-target-route_localnet", "who-has 127.0.0.5 with route_localnet 1")
                        .knob(conf("route_localnet"), 1)
                        .script(r -> request(r, 1, p(1), "127.0.0.5")).build(),
                Scenario.of("unknown-opcode", "an ARP frame with opcode 3 for 10.77.0.1")
                        .script(r -> r.arp(0, 1, 3, BCAST, pmac(1), p(1), ZERO, OWN0)).build(),
                Scenario.of("hardware-type-ieee802", "a request with hardware type 6 (IEEE 802)")
                        .script(r -> {
                            byte[] f = RawSender.frame(1, BCAST, pmac(1), pmac(1), p(1), ZERO, OWN0);
                            f[14 + ArpPacket.HRD + 1] = ArpPacket.HRD_IEEE802;
                            r.frame(0, 1, f);
                        }).build(),
                Scenario.of("dad-probe-owned", "arping -D 10.77.0.1 (sender 0.0.0.0)")
                        .script(r -> r.arping(0, 1, "-D", "-c", "1", "-w", "1", OWN0)).build(),
                Scenario.of("dad-probe-not-owned", "arping -D 10.77.0.99")
                        .script(r -> r.arping(0, 1, "-D", "-c", "1", "-w", "1", NOBODY)).build(),
                Scenario.of("dad-probe-arp_ignore-1-other-interface", "arping -D 10.78.0.1 on nd0, arp_ignore 1")
                        .knob(conf("arp_ignore"), 1)
                        .script(r -> r.arping(0, 1, "-D", "-c", "1", "-w", "1", OWN1)).build(),
                Scenario.of("ping-from-peer", "p1 pings 10.77.0.1 twice")
                        .script(r -> r.ping(0, 1, "-c", "2", "-i", "0.2", "-W", "1", OWN0)).build(),
                Scenario.of("ping-from-peer-other-interface-address", "p1 pings 10.78.0.1 through 10.77.0.1")
                        .script(r -> r.ping(0, 1, "-c", "1", "-W", "1", OWN1)).build());
    }
}
