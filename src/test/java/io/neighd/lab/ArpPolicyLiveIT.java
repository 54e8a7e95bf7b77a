package io.neighd.lab;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;
import java.util.Locale;

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

    /**
     * iputils arping from peer s0p1 (answered: by neighd). Proves the stimulus arrived: arping
     * ran and reports its probes, and neighd's nd0 took in exactly as many frames.
     */
    private Iputils.Arping arping(String target) {
        long before = neighd.received("nd0");
        Iputils.Arping r = lab.arping(peer, "-I", "eth0", "-c", "1", "-w", "1", target);
        assertThat(neighd.received("nd0") - before).as("frames neighd took in on nd0 for " + r.sent() + " probes")
                .isEqualTo(r.sent());
        boolean fromNeighd = r.raw().out().contains("[" + MAC0.toUpperCase(Locale.ROOT) + "]");
        assertThat(r.answered()).as("answered only by neighd").isEqualTo(fromNeighd);
        return r;
    }

    /**
     * A request from the raw sender on s0p1 with any sender address; the replies neighd sent.
     * The capture shows the request on nd0's port and neighd's nd0 took in exactly that frame.
     */
    private List<Frame> spoofedRequest(String sip, String tip) {
        long before = neighd.received("nd0");
        PcapCapture cap = lab.captureDut(ND, 0);
        RawSender raw = lab.sender(peer);
        raw.arp(1, "ff:ff:ff:ff:ff:ff", P1_MAC, P1_MAC, sip, "00:00:00:00:00:00", tip);
        cap.await(f -> f.isFrom(MAC0) && f.isArpReply(), 500);
        List<Frame> all = cap.stop();
        assertThat(all).as("the request on nd0's port")
                .filteredOn(f -> f.isFrom(P1_MAC) && f.isArpRequest() && f.arp().senderIp().toString().equals(sip))
                .hasSize(1);
        assertThat(neighd.received("nd0") - before).as("frames neighd took in on nd0").isEqualTo(1);
        return all.stream().filter(f -> f.isFrom(MAC0) && f.isArpReply()).toList();
    }

    @Test
    void arpIgnore0AnswersForTheAddressOfAnotherInterface() {
        assertThat(arping(Lab.ownIp(1)).answered()).isTrue();
    }

    @Test
    void arpIgnore1AnswersOnlyForAddressesOfTheIngressInterface() {
        neighd.sysctl("net.ipv4.conf.nd0.arp_ignore", 1);
        long refused = neighd.reasonCount("nd0", "ARP_IGNORE_NOT_ON_INGRESS");

        Iputils.Arping other = arping(Lab.ownIp(1));
        assertThat(other.answered()).isFalse();
        assertThat(neighd.reasonCount("nd0", "ARP_IGNORE_NOT_ON_INGRESS"))
                .as("every probe for nd1's address refused as not on the ingress device")
                .isEqualTo(refused + other.sent());
        assertThat(arping(Lab.ownIp(0)).answered()).isTrue();
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

        long never = neighd.reasonCount("nd0", "ARP_IGNORE_NEVER");
        Iputils.Arping r = arping(Lab.ownIp(0));
        assertThat(r.answered()).isFalse();
        assertThat(neighd.reasonCount("nd0", "ARP_IGNORE_NEVER")).isEqualTo(never + r.sent());
        assertThat(neighd.neighbours()).isEmpty();
    }

    @Test
    void arpFilterAnswersOnlyWhenTheRouteBackToTheSenderLeavesThroughTheIngressInterface() {
        assertThat(spoofedRequest("10.78.0.50", Lab.ownIp(0))).as("arp_filter 0").hasSize(1);
        neighd.delete("/api/v1/neighbours?state=all").expect(200);
        neighd.sysctl("net.ipv4.conf.nd0.arp_filter", 1);

        long mismatches = neighd.reasonCount("nd0", "ARP_FILTER_ROUTE_MISMATCH");
        assertThat(spoofedRequest("10.78.0.50", Lab.ownIp(0))).as("route to 10.78.0.50 leaves via nd1").isEmpty();
        assertThat(neighd.reasonCount("nd0", "ARP_FILTER_ROUTE_MISMATCH")).isEqualTo(mismatches + 1);
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
        long before = neighd.received("nd0");
        Iputils.Ping ping = lab.ping(peer, "-c", "1", "-W", "2", dst);
        assertThat(ping.received()).as("the echo answered").isEqualTo(1);
        // the echo request and the ARP reply to neighd's request
        assertThat(neighd.received("nd0") - before).as("frames neighd took in on nd0").isEqualTo(2);
        List<Frame> requests = cap.stop().stream().filter(f -> f.isFrom(MAC0) && f.isArpRequest()).toList();
        assertThat(requests).hasSize(1);
        assertThat(requests.get(0).arp().targetIp().toString()).isEqualTo(P1);
        return requests.get(0).arp().senderIp().toString();
    }
}
