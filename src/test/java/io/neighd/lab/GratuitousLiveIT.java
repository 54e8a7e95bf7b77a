package io.neighd.lab;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static io.neighd.lab.Lab.Side.ND;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Gratuitous ARP from a kernel peer (iputils {@code arping -U}: a request with sender = target;
 * {@code arping -A}: the same as a reply) under arp_accept and drop_gratuitous_arp.
 *
 * <pre>
 * | arp_accept | drop_gratuitous_arp | sender              | form | entry afterwards            |
 * |------------|---------------------|---------------------|------|-----------------------------|
 * | 0          | 0                   | 10.77.0.11          | -U   | none                        |
 * | 0          | 0                   | 10.77.0.11          | -A   | none                        |
 * | 1          | 0                   | 10.77.0.11          | -U   | STALE, the peer's MAC       |
 * | 1          | 0                   | 10.77.0.11          | -A   | STALE                       |
 * | 2          | 0                   | 10.77.0.11 (subnet) | -U   | STALE                       |
 * | 2          | 0                   | 10.99.0.5 (raw)     | -U   | none (not in nd0's subnets) |
 * | 1          | 1                   | 10.77.0.11          | -U   | none; GRATUITOUS_DROPPED    |
 * | 0          | 0                   | known, other MAC    | -U   | updated to the new MAC      |
 * </pre>
 */
@ExtendWith(LabExtension.class)
class GratuitousLiveIT {
    private static final String P1 = Lab.peerIp(0, 1);
    private static final String P1_MAC = Lab.peerMac(0, 1);

    private final Lab lab;
    private final Neighd neighd;
    private final String peer;

    GratuitousLiveIT(Lab lab, Neighd neighd) {
        this.lab = lab;
        this.neighd = neighd;
        this.peer = lab.peerNs(ND, 0, 1);
    }

    /**
     * arping -U or -A from peer s0p1 for its own address; answers how many it sent, once neighd's
     * nd0 has taken in exactly that many frames (so an entry that is not there was refused, not
     * missed).
     */
    private int garp(String form) {
        long before = neighd.received("nd0");
        Iputils.Arping r = lab.arping(peer, form, "-I", "eth0", "-c", "1", "-w", "1", P1);
        awaitReceived(before + r.sent());
        return r.sent();
    }

    private void awaitReceived(long total) {
        long end = System.nanoTime() + 2_000_000_000L;
        while (neighd.received("nd0") < total && System.nanoTime() < end) {
            Lab.sleep(10);
        }
        assertThat(neighd.received("nd0")).as("frames neighd took in on nd0").isEqualTo(total);
    }

    @ParameterizedTest(name = "arp_accept={0} arping {1} -> {2}")
    @CsvSource({"0, -U, ", "0, -A, ", "1, -U, STALE", "1, -A, STALE", "2, -U, STALE", "2, -A, STALE"})
    void arpAcceptDecidesWhetherUnsolicitedArpCreatesAnEntry(int accept, String form, String expected) {
        neighd.sysctl("net.ipv4.conf.nd0.arp_accept", accept);

        garp(form);

        Lab.KernelNeighbour n = neighd.neighbour("nd0", P1);
        if (expected == null) {
            assertThat(n).isNull();
        } else {
            assertThat(n).isNotNull();
            assertThat(n.state()).isEqualTo(expected);
            assertThat(n.lladdr()).isEqualTo(P1_MAC);
        }
    }

    @Test
    void arpAccept2RefusesASenderOutsideTheInterfacesSubnets() {
        neighd.sysctl("net.ipv4.conf.nd0.arp_accept", 2);

        long before = neighd.received("nd0");
        lab.sender(peer).arp(1, "ff:ff:ff:ff:ff:ff", P1_MAC, P1_MAC, "10.99.0.5", "ff:ff:ff:ff:ff:ff", "10.99.0.5");
        awaitReceived(before + 1);

        assertThat(neighd.neighbour("nd0", "10.99.0.5")).isNull();
    }

    @Test
    void dropGratuitousArpDropsBeforeArpAcceptIsAsked() {
        neighd.sysctl("net.ipv4.conf.nd0.arp_accept", 1);
        neighd.sysctl("net.ipv4.conf.nd0.drop_gratuitous_arp", 1);
        long before = neighd.reasonCount("nd0", "GRATUITOUS_DROPPED");

        int sent = garp("-U") + garp("-A");

        assertThat(neighd.neighbour("nd0", P1)).isNull();
        assertThat(neighd.reasonCount("nd0", "GRATUITOUS_DROPPED")).isEqualTo(before + sent);
    }

    @Test
    void aKnownEntryIsUpdatedWhateverArpAcceptSays() {
        neighd.addNeighbour("nd0", P1, "02:4e:44:00:00:99", "stale");

        garp("-U");

        Lab.KernelNeighbour n = neighd.neighbour("nd0", P1);
        assertThat(n.lladdr()).as("a gratuitous ARP overrides even within locktime").isEqualTo(P1_MAC);
        assertThat(n.state()).isEqualTo("STALE");
    }
}
