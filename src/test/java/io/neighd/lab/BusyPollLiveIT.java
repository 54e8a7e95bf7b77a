package io.neighd.lab;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * neighd with {@code neighd.busy-poll=true} on a lab segment of its own (one segment, two kernel
 * peers): the engine thread spins on the capture instead of sleeping on it, and everything a
 * sleeping engine does still happens — ARP answered, a full-size echo answered whole, the peer
 * learnt, REST commands served between frames, timers run (a resolution of the second peer).
 */
class BusyPollLiveIT {
    @Test
    void aBusyPollingNeighdAnswersArpAndPingAndServesItsApi() {
        LabEnvironment.require();
        try (Lab lab = new Lab(1, 2)) {
            lab.up();
            try (Neighd neighd = Neighd.start(lab, Map.of("neighd.busy-poll", true))) {
                String peer = lab.peerNs(Lab.Side.ND, 0, 1);

                String arping = lab.exec(peer, "arping", "-I", "eth0", "-c", "3", "-w", "5", Lab.ownIp(0)).orFail();
                String ping = lab.exec(Duration.ofSeconds(20), peer, "ping", "-c", "3", "-i", "0.2", "-s", "1472",
                        "-W", "2", Lab.ownIp(0)).orFail();

                assertThat(arping).contains("Unicast reply from " + Lab.ownIp(0) + " [" + Lab.portMac(0).toUpperCase()
                        + "]").contains("Received 3 response(s)");
                assertThat(ping).contains("3 packets transmitted, 3 received").contains("1480 bytes from")
                        .doesNotContain("wrong data").doesNotContain("truncated");
                assertThat(neighd.neighbour(Lab.dev(0), Lab.peerIp(0, 1))).isNotNull()
                        .satisfies(n -> assertThat(n.lladdr()).isEqualTo(Lab.peerMac(0, 1)));
                Neighd.Response resolved = neighd.resolve(Lab.dev(0), Lab.peerIp(0, 2), 3000).expect(200);
                assertThat(resolved.body().path("lladdr").asString()).isEqualTo(Lab.peerMac(0, 2));
            }
        }
    }
}
