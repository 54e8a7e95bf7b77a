package io.neighd.lab;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static io.neighd.lab.Lab.Side.ND;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * neighd as the kernel peers on its segment see it, through the tools people use: iputils
 * arping and ping, arp-scan, tcpdump.
 *
 * <pre>
 * | tool (in peer s0p1)            | expected                                              |
 * |--------------------------------|-------------------------------------------------------|
 * | arping 10.77.0.1               | replies from 02:4e:44:00:00:01; neighd learns p1 STALE |
 * | ping 10.77.0.1                 | every echo answered                                   |
 * | ping -s 1472 -p a5 (full MTU)  | every echo answered with its whole payload            |
 * | ping -f -s 1472, 300 echoes    | all 300 answered whole (longer than a capture slot)   |
 * | arping -D 10.77.0.1 (DAD)      | a reply (address in use); neighd's table untouched    |
 * | arp-scan 10.77.0.0/24          | 10.77.0.1 at neighd's MAC, and the other peers        |
 * | tcpdump -r of neighd's frames  | well-formed ARP/ICMP, nothing truncated or bad        |
 * </pre>
 */
@ExtendWith(LabExtension.class)
class ArpResponderIT {
    private static final String P1 = Lab.peerIp(0, 1);
    private static final String OWN = Lab.ownIp(0);
    private static final String MAC = Lab.portMac(0);

    private final Lab lab;
    private final Neighd neighd;
    private final String peer;

    ArpResponderIT(Lab lab, Neighd neighd) {
        this.lab = lab;
        this.neighd = neighd;
        this.peer = lab.peerNs(ND, 0, 1);
    }

    @Test
    void arpingGetsNeighdsMacAndNeighdLearnsThePeerStale() {
        String out = lab.exec(peer, "arping", "-I", "eth0", "-c", "3", "-w", "5", OWN).orFail();

        assertThat(out).contains("Unicast reply from " + OWN + " [" + MAC.toUpperCase() + "]")
                .contains("Received 3 response(s)");
        Lab.KernelNeighbour n = neighd.neighbour("nd0", P1);
        assertThat(n).isNotNull();
        assertThat(n.state()).isEqualTo("STALE");
        assertThat(n.lladdr()).isEqualTo(Lab.peerMac(0, 1));
    }

    @Test
    void pingFromAPeerGetsEchoReplies() {
        String out = lab.exec(peer, "ping", "-c", "3", "-i", "0.2", "-W", "2", OWN).orFail();

        assertThat(out).contains("3 packets transmitted, 3 received");
    }

    /**
     * A full-size echo is longer than a slot of the capture ring (sized for ARP): the kernel
     * queues it whole beside the ring (TP_STATUS_COPY), and the reply must still carry every byte
     * of the payload, which ping compares with what it sent.
     */
    @Test
    void fullSizeEchoesComeBackWithTheirWholePayload() {
        String one = lab.exec(peer, "ping", "-c", "3", "-i", "0.2", "-W", "2", "-s", "1472", "-p", "a5", OWN).orFail();
        String burst = lab.exec(Duration.ofSeconds(30), peer, "ping", "-f", "-c", "300", "-W", "2", "-s", "1472",
                OWN).orFail();

        assertThat(one).contains("3 packets transmitted, 3 received").contains("1480 bytes from " + OWN)
                .doesNotContain("wrong data").doesNotContain("truncated");
        assertThat(burst).contains("300 packets transmitted, 300 received")
                .doesNotContain("wrong data").doesNotContain("truncated");
    }

    @Test
    void dadProbeForAnOwnedAddressIsAnsweredAndLeavesTheTableAlone() {
        Cmd.Result r = lab.exec(peer, "arping", "-D", "-I", "eth0", "-c", "2", "-w", "3", OWN);

        // iputils arping -D exits 1 when someone answered: the address is in use
        assertThat(r.rc()).as(r.out()).isEqualTo(1);
        assertThat(r.out()).contains("Unicast reply from " + OWN + " [" + MAC.toUpperCase() + "]");
        assertThat(neighd.neighbours()).isEmpty();
    }

    @Test
    void arpScanOfTheSegmentSeesNeighdWithItsMac() {
        String out = lab.exec(Duration.ofSeconds(30), peer, "arp-scan", "-I", "eth0", "--retry", "2",
                "--timeout", "300", "10.77.0.0/24").orFail();

        assertThat(out).containsPattern("(?m)^" + OWN.replace(".", "\\.") + "\\s+" + MAC + "\\b");
        assertThat(out).containsPattern("(?m)^" + Lab.peerIp(0, 2).replace(".", "\\.") + "\\s+" + Lab.peerMac(0, 2));
        assertThat(out).containsPattern("(?m)^" + Lab.gwIp(0).replace(".", "\\.") + "\\s+" + Lab.gwMac(0));
    }

    @Test
    void neighdsFramesDecodeCleanlyInTcpdump() throws Exception {
        Path file = Files.createTempFile("neighd-frames-", ".pcap");
        try (Tcpdump tcpdump = lab.tcpdump(lab.sw(), Lab.dutPort(ND, 0), file, "ether", "src", MAC)) {
            // a reply, a DAD reply, a broadcast request, ICMP echo both ways
            lab.exec(peer, "arping", "-I", "eth0", "-c", "1", "-w", "2", OWN).orFail();
            lab.exec(peer, "arping", "-D", "-I", "eth0", "-c", "1", "-w", "2", OWN);
            neighd.delete("/api/v1/neighbours?state=all").expect(200);
            neighd.ping(P1, 2, 100, 1000);
            lab.exec(peer, "ping", "-c", "2", "-i", "0.2", OWN).orFail();

            String text = tcpdump.decode();

            List<String> lines = text.lines().filter(l -> !l.isBlank()).toList();
            assertThat(lines).hasSizeGreaterThanOrEqualTo(6);
            assertThat(text).doesNotContainIgnoringCase("truncated").doesNotContainIgnoringCase("bad ")
                    .doesNotContainIgnoringCase("wrong").doesNotContain("[|");
            assertThat(text).contains("Reply " + OWN + " is-at " + MAC)
                    .contains("Request who-has " + P1 + " tell " + OWN)
                    .contains("ICMP echo request").contains("ICMP echo reply");
        } finally {
            Files.deleteIfExists(file);
        }
    }
}
