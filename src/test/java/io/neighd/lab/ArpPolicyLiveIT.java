package io.neighd.lab;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;

import static io.neighd.lab.Lab.Side.ND;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which requests neighd answers, and which address it asks from, with its two interfaces on two
 * segments: nd0 (10.77.0.1/24) and nd1 (10.78.0.1/24). Requests come from kernel peers (arping)
 * or, where the sender must be spoofed, from a raw sender on peer s0p1.
 *
 * <pre>
 * | knob on nd0       | request on nd0                          | expected                           |
 * |-------------------|-----------------------------------------|------------------------------------|
 * | arp_ignore 0      | who-has 10.78.0.1 (nd1's)               | reply with nd0's MAC               |
 * | arp_ignore 1      | who-has 10.78.0.1                       | none (not on the ingress device)   |
 * | arp_ignore 1      | who-has 10.77.0.1                       | reply                              |
 * | arp_ignore 2      | who-has 10.77.0.1 tell 10.99.0.5        | none (sender not in the subnet)    |
 * | arp_ignore 2      | who-has 10.77.0.1 tell 10.77.0.11       | reply                              |
 * | arp_ignore 8      | who-has 10.77.0.1                       | none                               |
 * | arp_filter 1      | who-has 10.77.0.1 tell 10.78.0.50       | none (route back leaves via nd1)   |
 * | arp_filter 1      | who-has 10.78.0.1 tell 10.77.0.11       | reply (route back leaves via nd0)  |
 * | arp_announce 0/2  | peer pings 10.78.0.1; neighd resolves it| request tells 10.78.0.1 / 10.77.0.1|
 * </pre>
 */
@ExtendWith(LabExtension.class)
class ArpPolicyLiveIT {
    private static final String MAC0 = Lab.portMac(0);
    private static final String P1_MAC = Lab.peerMac(0, 1);
    private static final String P1 = Lab.peerIp(0, 1);

    private final Lab lab;
    private final Neighd neighd;
    private final String peer;

    ArpPolicyLiveIT(Lab lab, Neighd neighd) {
        this.lab = lab;
        this.neighd = neighd;
        this.peer = lab.peerNs(ND, 0, 1);
    }

    /** iputils arping from peer s0p1: true if it got an answer. */
    private boolean arping(String target) {
        Cmd.Result r = lab.exec(peer, "arping", "-I", "eth0", "-c", "1", "-w", "1", target);
        return r.rc() == 0 && r.out().contains("[" + MAC0.toUpperCase() + "]");
    }

    /** A request from the raw sender on s0p1 with any sender address; the replies neighd sent. */
    private List<Frame> spoofedRequest(String sip, String tip) {
        PcapCapture cap = lab.captureDut(ND, 0);
        RawSender raw = lab.sender(peer);
        raw.arp(1, "ff:ff:ff:ff:ff:ff", P1_MAC, P1_MAC, sip, "00:00:00:00:00:00", tip);
        cap.await(f -> f.isFrom(MAC0) && f.isArpReply(), 500);
        return cap.stop().stream().filter(f -> f.isFrom(MAC0) && f.isArpReply()).toList();
    }

    @Test
    void arpIgnore0AnswersForTheAddressOfAnotherInterface() {
        assertThat(arping(Lab.ownIp(1))).isTrue();
    }

    @Test
    void arpIgnore1AnswersOnlyForAddressesOfTheIngressInterface() {
        neighd.sysctl("net.ipv4.conf.nd0.arp_ignore", 1);

        assertThat(arping(Lab.ownIp(1))).isFalse();
        assertThat(arping(Lab.ownIp(0))).isTrue();
        assertThat(neighd.reasonCount("nd0", "ARP_IGNORE_NOT_ON_INGRESS")).isPositive();
    }

    @Test
    void arpIgnore2AlsoWantsTheSenderInTheTargetsSubnet() {
        neighd.sysctl("net.ipv4.conf.all.arp_ignore", 2);

        assertThat(spoofedRequest("10.99.0.5", Lab.ownIp(0))).isEmpty();
        assertThat(spoofedRequest(P1, Lab.ownIp(0))).singleElement()
                .satisfies(f -> assertThat(f.arp().targetIp().toString()).isEqualTo(P1));
        assertThat(neighd.neighbour("nd0", "10.99.0.5")).as("an ignored request teaches nothing").isNull();
    }

    @Test
    void arpIgnore8NeverAnswers() {
        neighd.sysctl("net.ipv4.conf.nd0.arp_ignore", 8);

        assertThat(arping(Lab.ownIp(0))).isFalse();
        assertThat(neighd.neighbours()).isEmpty();
    }

    @Test
    void arpFilterAnswersOnlyWhenTheRouteBackToTheSenderLeavesThroughTheIngressInterface() {
        assertThat(spoofedRequest("10.78.0.50", Lab.ownIp(0))).as("arp_filter 0").hasSize(1);
        neighd.delete("/api/v1/neighbours?state=all").expect(200);
        neighd.sysctl("net.ipv4.conf.nd0.arp_filter", 1);

        assertThat(spoofedRequest("10.78.0.50", Lab.ownIp(0))).as("route to 10.78.0.50 leaves via nd1").isEmpty();
        assertThat(neighd.reasonCount("nd0", "ARP_FILTER_ROUTE_MISMATCH")).isPositive();
        assertThat(spoofedRequest(P1, Lab.ownIp(1))).as("nd1's address, asked on nd0 by a sender behind nd0")
                .singleElement().satisfies(f -> assertThat(f.arp().senderMac().toString()).isEqualTo(MAC0));
    }

    @Test
    void arpAnnounce0AsksFromTheQueuedPacketsSourceAndArpAnnounce2FromTheInterfacesAddress() {
        assertThat(solicitationSourceWhenAnsweringAPingTo(Lab.ownIp(1))).isEqualTo(Lab.ownIp(1));
        neighd.delete("/api/v1/neighbours?state=all").expect(200);
        neighd.sysctl("net.ipv4.conf.nd0.arp_announce", 2);

        assertThat(solicitationSourceWhenAnsweringAPingTo(Lab.ownIp(1))).isEqualTo(Lab.ownIp(0));
    }

    @Test
    void arpAnnounce1KeepsTheSourceOnlyWhenItIsOnTheTargetsSubnet() {
        neighd.sysctl("net.ipv4.conf.nd0.arp_announce", 1);

        assertThat(solicitationSourceWhenAnsweringAPingTo(Lab.ownIp(1))).isEqualTo(Lab.ownIp(0));
    }

    /**
     * The peer knows neighd's MAC (a permanent entry, so it never asks) and pings {@code dst}, an
     * address of neighd's; neighd does not know the peer, so its echo reply (from {@code dst})
     * waits on a new entry whose request is what arp_announce shapes. Answers its sender address.
     */
    private String solicitationSourceWhenAnsweringAPingTo(String dst) {
        lab.ip(peer, "neigh", "replace", Lab.ownIp(0), "lladdr", MAC0, "dev", "eth0", "nud", "permanent");
        PcapCapture cap = lab.captureDut(ND, 0);
        lab.exec(peer, "ping", "-c", "1", "-W", "2", dst).orFail();
        List<Frame> requests = cap.stop().stream().filter(f -> f.isFrom(MAC0) && f.isArpRequest()).toList();
        assertThat(requests).hasSize(1);
        assertThat(requests.get(0).arp().targetIp().toString()).isEqualTo(P1);
        return requests.get(0).arp().senderIp().toString();
    }
}
