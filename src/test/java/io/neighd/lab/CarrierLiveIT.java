package io.neighd.lab;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Carrier loss on neighd's port: the switch side of nd0's veth goes down, so the kernel reports
 * NO-CARRIER on nd0 (its administrative state stays up and the capture keeps running); neighd
 * learns it from the kernel's link notification and applies arp_evict_nocarrier
 * (neigh_carrier_down). An administrative bounce of nd0 itself is NETDEV_DOWN and NETDEV_UP.
 *
 * <pre>
 * | arp_evict_nocarrier | before                              | after carrier loss                 |
 * |---------------------|-------------------------------------|------------------------------------|
 * | 1 (default)         | p1 REACHABLE, p2 STALE, .50 PERMANENT | only the PERMANENT entry           |
 * | 0 (on nd0)          | the same                            | all three kept                     |
 * </pre>
 */
@ExtendWith(LabExtension.class)
class CarrierLiveIT {
    private final Lab lab;
    private final Neighd neighd;

    CarrierLiveIT(Lab lab, Neighd neighd) {
        this.lab = lab;
        this.neighd = neighd;
    }

    private void populate() {
        neighd.resolve("nd0", Lab.peerIp(0, 1), 3000).expect(200);
        lab.exec(lab.peerNs(Lab.Side.ND, 0, 2), "arping", "-I", "eth0", "-c", "1", "-w", "1", Lab.ownIp(0)).orFail();
        neighd.addNeighbour("nd0", "10.77.0.50", "02:4e:44:00:00:50", "permanent");
        assertThat(neighd.neighbours()).hasSize(3);
    }

    /** Takes nd0's carrier away, waits until neighd saw it, and gives it back afterwards. */
    private List<Lab.KernelNeighbour> afterCarrierLoss() {
        String port = Lab.dutPort(Lab.Side.ND, 0);
        lab.ip(lab.sw(), "link", "set", port, "down");
        try {
            long end = System.nanoTime() + 4_000_000_000L;
            while (neighd.getOk("/api/v1/interfaces/nd0").path("carrier").asBoolean(true)) {
                assertThat(System.nanoTime()).as("neighd sees nd0's carrier go").isLessThan(end);
                Lab.sleep(50);
            }
            return neighd.neighbours();
        } finally {
            lab.ip(lab.sw(), "link", "set", port, "up");
            long end = System.nanoTime() + 4_000_000_000L;
            while (!neighd.getOk("/api/v1/interfaces/nd0").path("carrier").asBoolean(false)
                    && System.nanoTime() < end) {
                Lab.sleep(50);
            }
        }
    }

    @Test
    void carrierLossEvictsAllButPermanentEntries() {
        populate();

        List<Lab.KernelNeighbour> left = afterCarrierLoss();

        assertThat(left).singleElement().satisfies(n -> {
            assertThat(n.dst()).isEqualTo("10.77.0.50");
            assertThat(n.state()).isEqualTo("PERMANENT");
        });
    }

    @Test
    void arpEvictNocarrier0KeepsEverything() {
        neighd.sysctl("net.ipv4.conf.nd0.arp_evict_nocarrier", 0);
        populate();

        List<Lab.KernelNeighbour> left = afterCarrierLoss();

        assertThat(left).extracting(Lab.KernelNeighbour::dst)
                .containsExactlyInAnyOrder(Lab.peerIp(0, 1), Lab.peerIp(0, 2), "10.77.0.50");
    }

    /**
     * {@code ip link set nd0 down; ip link set nd0 up} in one breath, far quicker than any poll:
     * the kernel's link notifications carry both, so neighd flushes as NETDEV_DOWN does (the
     * PERMANENT entry too) and announces as NETDEV_UP does under arp_notify.
     */
    @Test
    void anAdministrativeBounceFlushesEverythingAndArpNotifyAnnounces() {
        neighd.sysctl("net.ipv4.conf.nd0.arp_notify", 1);
        populate();
        PcapCapture cap = lab.captureDut(Lab.Side.ND, 0);

        lab.exec(lab.ndNs(), "sh", "-c", "ip link set nd0 down && ip link set nd0 up").orFail();

        Frame garp = cap.await(f -> f.isFrom(Lab.portMac(0)) && f.isArpRequest()
                && f.arp().senderIp().toString().equals(Lab.ownIp(0))
                && f.arp().targetIp().toString().equals(Lab.ownIp(0)), 2000);
        cap.stop();
        assertThat(garp).as("arp_notify's gratuitous request after NETDEV_UP").isNotNull();
        assertThat(neighd.neighbours()).as("NETDEV_DOWN flushed every entry, PERMANENT too").isEmpty();
        assertThat(neighd.getOk("/api/v1/interfaces/nd0").path("up").asBoolean(false)).isTrue();
    }
}
