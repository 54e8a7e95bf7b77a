package io.neighd.lab;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;

import java.util.List;
import java.util.Map;

import static io.neighd.lab.Lab.Side.ND;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The NUD state machine against live kernel peers, on short timers (base_reachable_time_ms 2400,
 * delay_first_probe_time 1 s, retrans_time_ms 200, set on neighd's nd0 and on the peer), and the
 * outbound path that waits on it. reachable_time (a draw from [1.2 s, 3.6 s)) must outlast
 * delay_first_probe_time: when REACHABLE expires within delay_first_probe_time of the last use,
 * neigh_timer_handler goes to DELAY, not STALE, and neigh_add_timer lifts {@code used} to
 * {@code confirmed} on every confirmation, so a shorter reachable_time cycles REACHABLE, DELAY,
 * PROBE for ever, in Linux as in neighd.
 *
 * <pre>
 * | from       | cause                                    | to         | on the wire                      |
 * |------------|------------------------------------------|------------|----------------------------------|
 * | (none)     | REST resolve                             | REACHABLE  | broadcast request, unicast reply |
 * | REACHABLE  | reachable_time passes                    | STALE      | nothing                          |
 * | STALE      | a packet (REST ping, 1 probe)            | DELAY      | echo request to the cached MAC   |
 * | DELAY      | delay_first_probe_time, no confirmation  | PROBE      | unicast request to the cached MAC|
 * | PROBE      | the peer answers                         | REACHABLE  | unicast reply                    |
 * | PROBE      | ucast_solicit probes unanswered          | FAILED     | 3 unicast requests; res_failed+1 |
 * | (none)     | REST ping                                | INCOMPLETE | request; echo waits in arp_queue |
 * | INCOMPLETE | reply                                    | REACHABLE  | the queued echo request follows  |
 * | (none)     | ping 10.88.0.1 (default via .254)        | REACHABLE  | request for the gateway          |
 * </pre>
 */
@ExtendWith(LabExtension.class)
class NudLiveIT {
    private static final Map<String, Object> SHORT_TIMERS = Map.of(
            "net.ipv4.neigh.nd0.base_reachable_time_ms", 2400,
            "net.ipv4.neigh.nd0.delay_first_probe_time", 1,
            "net.ipv4.neigh.nd0.retrans_time_ms", 200);
    private static final Map<String, Object> PEER_SHORT_TIMERS = Map.of(
            "net.ipv4.neigh.eth0.base_reachable_time_ms", 2400,
            "net.ipv4.neigh.eth0.delay_first_probe_time", 1,
            "net.ipv4.neigh.eth0.retrans_time_ms", 200);
    private static final String OWN_MAC = Lab.portMac(0);

    private final Lab lab;
    private final Neighd neighd;

    NudLiveIT(Lab lab, Neighd neighd) {
        this.lab = lab;
        this.neighd = neighd;
    }

    private static boolean fromNeighd(Frame f) {
        return f.ethSrc().toString().equals(OWN_MAC);
    }

    @Test
    void restResolveMakesThePeerReachable() {
        PcapCapture cap = lab.captureDut(ND, 0);

        Neighd.Response r = neighd.resolve("nd0", Lab.peerIp(0, 1), 3000).expect(200);

        assertThat(r.body().path("state").get(0).asString()).isEqualTo("REACHABLE");
        assertThat(r.body().path("lladdr").asString()).isEqualTo(Lab.peerMac(0, 1));
        List<Frame> sent = cap.stop().stream().filter(NudLiveIT::fromNeighd).toList();
        assertThat(sent).hasSize(1);
        assertThat(sent.get(0).ethDst().isBroadcast()).isTrue();
        assertThat(sent.get(0).arp().senderIp().toString()).isEqualTo(Lab.ownIp(0));
        assertThat(sent.get(0).arp().targetIp().toString()).isEqualTo(Lab.peerIp(0, 1));
        assertThat(sent.get(0).arp().targetMac().isZero()).isTrue();
    }

    @Test
    void reachableGoesStaleThenTrafficDelaysProbesUnicastAndIsConfirmedAgain() {
        String peer = Lab.peerIp(0, 2);
        neighd.sysctl(SHORT_TIMERS);
        lab.sysctl(lab.peerNs(ND, 0, 2), PEER_SHORT_TIMERS);
        neighd.resolve("nd0", peer, 3000).expect(200);

        neighd.awaitState("nd0", peer, "STALE", 4500);
        PcapCapture cap = lab.captureDut(ND, 0);
        JsonNode ping = neighd.ping(peer, 1, 100, 1000);
        assertThat(ping.path("received").asInt()).isEqualTo(1);
        assertThat(neighd.neighbour("nd0", peer).state()).isEqualTo("DELAY");
        Frame probe = cap.await(f -> fromNeighd(f) && f.isArpRequest(), 2500);
        Lab.KernelNeighbour after = neighd.awaitState("nd0", peer, "REACHABLE", 1000);

        assertThat(probe).as("a probe in PROBE").isNotNull();
        assertThat(probe.ethDst().toString()).as("PROBE probes unicast to the cached address")
                .isEqualTo(Lab.peerMac(0, 2));
        assertThat(probe.arp().targetMac().isZero()).isTrue();
        List<Frame> frames = cap.stop();
        Frame echo = frames.stream().filter(f -> fromNeighd(f) && f.isIcmp()).findFirst().orElseThrow();
        assertThat(echo.ethDst().toString()).as("DELAY sends with the stale address").isEqualTo(Lab.peerMac(0, 2));
        // the timer is armed as the echo leaves and fires 1 jiffy after its 1 s: Timing's window
        assertThat(probe.millisSince(echo.nanos())).as("DELAY lasts delay_first_probe_time")
                .isBetween(1000L - Timing.JIFFY_MS, Timing.neighdLatestMs(1000));
        assertThat(after.lladdr()).isEqualTo(Lab.peerMac(0, 2));
    }

    @Test
    void probingAPeerThatIsGoneFailsAndCountsResFailed() {
        String peer = Lab.peerIp(0, 3);
        String port = Lab.peerPort(ND, 0, 3);
        neighd.sysctl(SHORT_TIMERS);
        neighd.resolve("nd0", peer, 3000).expect(200);
        neighd.awaitState("nd0", peer, "STALE", 4500);
        long failedBefore = neighd.arpCache("res_failed");
        lab.ip(lab.sw(), "link", "set", port, "down");
        try {
            PcapCapture cap = lab.captureDut(ND, 0);
            JsonNode ping = neighd.ping(peer, 1, 100, 300);
            assertThat(ping.path("received").asInt()).isZero();

            Lab.KernelNeighbour n = neighd.awaitState("nd0", peer, "FAILED", 3000);

            List<Frame> probes = cap.stop().stream().filter(f -> fromNeighd(f) && f.isArpRequest()).toList();
            assertThat(probes).as("ucast_solicit unicast probes, no broadcast (mcast_resolicit 0)").hasSize(3)
                    .allSatisfy(f -> assertThat(f.ethDst().toString()).isEqualTo(Lab.peerMac(0, 3)));
            assertThat(probes.get(1).millisSince(probes.get(0).nanos())).as("retrans_time apart")
                    .isBetween(200L - Timing.JIFFY_MS, Timing.neighdLatestMs(200));
            assertThat(n.lladdr()).isNull();
            assertThat(neighd.arpCache("res_failed")).isEqualTo(failedBefore + 1);
        } finally {
            lab.ip(lab.sw(), "link", "set", port, "up");
        }
    }

    @Test
    void restPingWaitsOnTheUnresolvedEntryAndIsDeliveredOnceResolved() {
        String peer = Lab.peerIp(0, 1);
        PcapCapture cap = lab.captureDut(ND, 0);

        JsonNode ping = neighd.ping(peer, 1, 100, 2000);

        assertThat(ping.path("received").asInt()).isEqualTo(1);
        List<Frame> frames = cap.stop();
        int request = indexOf(frames, f -> fromNeighd(f) && f.isArpRequest());
        int reply = indexOf(frames, f -> !fromNeighd(f) && f.isArpReply());
        int echo = indexOf(frames, f -> fromNeighd(f) && f.isIcmp() && f.icmpType() == 8);
        assertThat(request).isNotNegative();
        assertThat(reply).as("the peer's reply comes before the echo request left the queue").isGreaterThan(request);
        assertThat(echo).isGreaterThan(reply);
        assertThat(frames.stream().filter(f -> fromNeighd(f) && f.isIcmp()).count()).isEqualTo(1);
        assertThat(neighd.neighbour("nd0", peer).state()).isEqualTo("REACHABLE");
    }

    @Test
    void pingToAnOffSubnetAddressResolvesTheDefaultGateway() {
        PcapCapture cap = lab.captureDut(ND, 0);

        JsonNode ping = neighd.ping(Lab.farIp(0), 2, 100, 2000);

        assertThat(ping.path("received").asInt()).isEqualTo(2);
        assertThat(ping.path("neighbour").path("dst").asString()).isEqualTo(Lab.gwIp(0));
        Lab.KernelNeighbour gw = neighd.neighbour("nd0", Lab.gwIp(0));
        assertThat(gw.state()).isEqualTo("REACHABLE");
        assertThat(gw.lladdr()).isEqualTo(Lab.gwMac(0));
        assertThat(neighd.neighbour("nd0", Lab.farIp(0))).isNull();
        List<Frame> requests = cap.stop().stream().filter(f -> fromNeighd(f) && f.isArpRequest()).toList();
        assertThat(requests).isNotEmpty();
        assertThat(requests.get(0).arp().targetIp().toString()).isEqualTo(Lab.gwIp(0));
    }

    private static int indexOf(List<Frame> frames, java.util.function.Predicate<Frame> p) {
        for (int i = 0; i < frames.size(); i++) {
            if (p.test(frames.get(i))) {
                return i;
            }
        }
        return -1;
    }
}
