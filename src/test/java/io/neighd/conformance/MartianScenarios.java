package io.neighd.conformance;

import io.neighd.lab.Lab;
import io.neighd.wire.EtherType;
import io.neighd.wire.EthernetFrame;
import io.neighd.wire.IcmpEcho;
import io.neighd.wire.Ipv4Address;
import io.neighd.wire.Ipv4Packet;
import io.neighd.wire.MacAddress;

import java.util.ArrayList;
import java.util.List;

import static io.neighd.conformance.Scenarios.OWN0;
import static io.neighd.conformance.Scenarios.conf;
import static io.neighd.conformance.Scenarios.neigh;

/**
 * ICMP echo requests to 10.77.0.1 from every class of source, under rp_filter 0, 1 and 2 (issue
 * 10, defect 6): the input route (ip_route_input_slow, fib_validate_source) decides whether the
 * DUT answers, and where the answer goes shows it on the wire — to the Ethernet broadcast for a
 * subnet broadcast source, out of nd1 for a source routed there, through a gateway. Sources whose
 * answer would stay inside the DUT (its own addresses, with accept_local) are left to the unit
 * tables (io.neighd.ip.MartianSourceTest): nothing on the wire tells them from a drop.
 */
final class MartianScenarios {
    private MartianScenarios() {
    }

    /** An echo request from {@code src} to {@code dst}, sent by peer {@code i} of segment {@code seg} to the DUT's MAC. */
    static byte[] echo(int seg, int i, String src, String dst) {
        byte[] msg = IcmpEcho.build(IcmpEcho.TYPE_ECHO_REQUEST, 0x4e44, 1, new byte[16], 0, 16);
        byte[] l3 = Ipv4Packet.build(Ipv4Address.parseBits(src), Ipv4Address.parseBits(dst), Ipv4Packet.PROTO_ICMP,
                1, 64, msg);
        return EthernetFrame.wrap(MacAddress.parse(Lab.portMac(seg)).bits(), MacAddress.parse(Lab.peerMac(seg, i)).bits(),
                -1, EtherType.IPV4, l3);
    }

    static List<Scenario> all() {
        List<Scenario> all = new ArrayList<>();
        for (int rp = 0; rp <= 2; rp++) {
            all.add(onNd0("subnet-broadcast", "10.77.0.255", rp, "the subnet broadcast (answered to ff:ff:ff:ff:ff:ff "
                    + "without rp_filter; a broadcast route back is invalid with it)").build());
        }
        all.add(onNd0("limited-broadcast", "255.255.255.255", 0, "the limited broadcast (always martian)").build());
        all.add(onNd0("limited-broadcast", "255.255.255.255", 2, "the limited broadcast (always martian)").build());
        for (int rp = 0; rp <= 1; rp++) {
            all.add(onNd0("network-address", "10.77.0.0", rp, "the subnet's network address (a unicast route back "
                    + "through nd0: answered, after ARP for it fails)").knob(neigh("retrans_time_ms"), 200)
                    .settle(900).build());
        }
        all.add(onNd0("zero", "0.0.0.0", 0, "0.0.0.0 (accepted only towards the limited broadcast)").build());
        all.add(onNd0("zeronet", "0.1.2.3", 0, "0.1.2.3 (unicast since Linux 5.3: answered through the default "
                + "route)").build());
        all.add(Scenario.of("arp-sender-zeronet", "who-has 10.77.0.1 tell 0.1.2.3: since Linux 5.3 only 0.0.0.0 "
                        + "is the zero net, so it is answered and learned")
                .script(r -> Scenarios.request(r, 1, "0.1.2.3", OWN0)).build());
        all.add(onNd0("multicast", "224.0.0.9", 0, "a multicast address").build());
        all.add(onNd0("loopback", "127.0.0.1", 0, "127.0.0.1 (route_localnet 0)").build());
        for (int rp = 0; rp <= 2; rp++) {
            all.add(onNd0("other-segment", Lab.peerIp(1, 1), rp, "nd1's peer 10.78.0.11, arriving on nd0 (strict "
                    + "mode refuses it; otherwise answered out of nd1)").settle(600).build());
        }
        for (int rp = 1; rp <= 2; rp++) {
            all.add(onNd0("behind-nd1-gateway", "10.89.0.7", rp, "10.89.0.7, routed via 10.78.0.254 on nd1, arriving "
                    + "on nd0").settle(600).build());
        }
        all.add(onNd0("default-route", "192.0.2.7", 1, "192.0.2.7: the default route back leaves nd0, so strict mode "
                + "accepts it; answered through 10.77.0.254").settle(600).build());
        all.add(Scenario.of("icmp-source-default-route-on-nd1-rp_filter-1", "echo to 10.78.0.1 on nd1 from "
                        + "192.0.2.7: the default route back leaves nd0, so strict mode on nd1 refuses it")
                .knob("net.ipv4.conf.nd1.rp_filter", 1)
                .script(r -> r.frame(1, 1, echo(1, 1, "192.0.2.7", Lab.ownIp(1)))).settle(600).build());
        all.add(Scenario.of("icmp-source-default-route-on-nd1-rp_filter-2", "the same in loose mode: answered "
                        + "through 10.77.0.254 on nd0")
                .knob("net.ipv4.conf.nd1.rp_filter", 2)
                .script(r -> r.frame(1, 1, echo(1, 1, "192.0.2.7", Lab.ownIp(1)))).settle(600).build());
        return all;
    }

    /** p1 on nd0 sends an echo request from {@code src} to 10.77.0.1, rp_filter {@code rp} on nd0. */
    private static Scenario.Builder onNd0(String name, String src, int rp, String what) {
        return Scenario.of("icmp-source-" + name + "-rp_filter-" + rp, "echo to 10.77.0.1 from " + what
                        + ", rp_filter " + rp)
                .knob(conf("rp_filter"), rp)
                .script(r -> r.frame(0, 1, echo(0, 1, src, OWN0)));
    }
}
