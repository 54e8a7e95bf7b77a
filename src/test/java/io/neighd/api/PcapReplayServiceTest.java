package io.neighd.api;

import io.neighd.link.PcapFile;
import io.neighd.link.PcapFileLink;
import io.neighd.service.EngineRuntime;
import io.neighd.wire.MacAddress;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Captures replayed through the running service, on two pcap-file interfaces:
 * <ul>
 * <li>{@code eth0}: the recorded Linux session (../shared/data/linux-session-1) with the session's
 * MAC, address and knobs, writing what neighd sends to pcap-out. The session's local pings are not
 * replayed (a capture has no "ping" in it), so neighd must send exactly the ARP replies Linux sent
 * to its peers' requests, byte for byte and at the same moments, and the API must show what the
 * peers taught it.</li>
 * <li>{@code odd0}: a capture built here of odd frames (truncated, VLAN-tagged, garbage, bad
 * lengths and opcodes, a torn last record) around one good request: every frame is counted under
 * its reason in /api/v1/stats, and only the good one is answered.</li>
 * </ul>
 * The odd capture's timestamps precede the session's, so however the two replays interleave, the
 * session's frames still arrive on their own clock.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class PcapReplayServiceTest {
    static final Path SESSION = locate();
    static final Path WORK = TempDirs.create("neighd-replay");
    private static final long DUT = MacAddress.parse("02:55:00:00:00:01").bits();
    private static final long SLACK_NANOS = 40_000_000L;

    @LocalServerPort
    int port;

    @Autowired
    EngineRuntime service;

    static Path locate() {
        for (Path p : List.of(Path.of("../shared/data/linux-session-1"), Path.of("/work/shared/data/linux-session-1"))) {
            if (Files.isDirectory(p)) {
                // absolute: Spring's String-to-Path conversion refuses paths that climb with ".."
                return p.toAbsolutePath().normalize();
            }
        }
        throw new IllegalStateException("the shared fixture linux-session-1 is missing: expected "
                + "../shared/data/linux-session-1");
    }

    @DynamicPropertySource
    static void files(DynamicPropertyRegistry r) {
        // the whole list in one property source: Boot binds an indexed list from a single source
        r.add("neighd.interfaces[0].name", () -> "eth0");
        r.add("neighd.interfaces[0].mac", () -> "02:55:00:00:00:01");
        r.add("neighd.interfaces[0].ifindex", () -> "2");
        r.add("neighd.interfaces[0].addresses[0]", () -> "10.55.0.1/24");
        r.add("neighd.interfaces[1].name", () -> "odd0");
        r.add("neighd.interfaces[1].mac", () -> "02:66:00:00:00:01");
        r.add("neighd.interfaces[1].ifindex", () -> "3");
        r.add("neighd.interfaces[1].addresses[0]", () -> "10.66.0.1/24");
        r.add("neighd.interfaces[0].pcap-file", () -> SESSION.resolve("session.pcap").toString());
        r.add("neighd.interfaces[0].pcap-out", () -> WORK.resolve("out.pcap").toString());
        r.add("neighd.sysctl-file", () -> SESSION.resolve("sysctl-eth0.txt").toString());
        r.add("neighd.state-file", () -> WORK.resolve("state.json").toString());
        r.add("neighd.interfaces[1].pcap-file", () -> OddCapture.write(WORK.resolve("odd.pcap"),
                PcapFile.firstTimestampNanos(SESSION.resolve("session.pcap"))).toString());
        r.add("neighd.interfaces[1].pcap-out", () -> WORK.resolve("odd-out.pcap").toString());
    }

    /**
     * What neighd sent less its IPv6 (the DAD of its link-local address): the session was captured
     * with an ARP and ICMP filter, so Linux's own IPv6 frames are not in it either.
     */
    private static List<PcapFile.Record> ipv4Side(List<PcapFile.Record> sent) {
        return sent.stream().filter(r -> (((r.data()[12] & 0xff) << 8) | (r.data()[13] & 0xff)) != 0x86dd).toList();
    }

    private void replayed() throws Exception {
        for (String dev : List.of("eth0", "odd0")) {
            PcapFileLink link = (PcapFileLink) service.links().get(dev);
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(link::finished);
        }
        service.loop().submit(e -> null).get(10, TimeUnit.SECONDS);
    }

    @Test
    void countsOddFramesUnderTheirReasonsAndAnswersOnlyTheGoodOne() throws Exception {
        replayed();
        JsonNode odd = new ApiClient(port, null).get("/api/v1/stats").json().path("interfaces").path(1);
        assertThat(odd.path("dev").asString()).isEqualTo("odd0");
        JsonNode reasons = odd.path("reasons");
        assertThat(reasons.propertyNames()).containsExactlyInAnyOrder("MALFORMED_TRUNCATED", "VLAN_MISMATCH",
                "OTHER_ETHERTYPE", "MALFORMED_HLEN", "UNKNOWN_OP", "REPLIED");
        assertThat(reasons.path("MALFORMED_TRUNCATED").path("count").asLong()).isEqualTo(2);
        assertThat(reasons.path("MALFORMED_TRUNCATED").path("kind").asString()).isEqualTo("dropped");
        assertThat(reasons.path("VLAN_MISMATCH").path("count").asLong()).isEqualTo(1);
        assertThat(reasons.path("VLAN_MISMATCH").path("kind").asString()).isEqualTo("ignored");
        assertThat(reasons.path("OTHER_ETHERTYPE").path("count").asLong()).isEqualTo(1);
        assertThat(reasons.path("MALFORMED_HLEN").path("count").asLong()).isEqualTo(1);
        assertThat(reasons.path("UNKNOWN_OP").path("count").asLong()).isEqualTo(1);
        assertThat(reasons.path("REPLIED").path("count").asLong()).isEqualTo(1);
        // the torn last record ends the file, as tcpdump ends it
        assertThat(odd.path("capture").path("received").asLong()).isEqualTo(OddCapture.COMPLETE_FRAMES);
        assertThat(odd.path("sent").path("reply").asLong()).isEqualTo(1);

        List<PcapFile.Record> sent = ipv4Side(PcapFile.read(WORK.resolve("odd-out.pcap")));
        assertThat(sent).singleElement().satisfies(r -> assertThat(r.data()).isEqualTo(OddCapture.expectedReply()));
    }

    @Test
    void answersThePeersRequestsAsLinuxDid() throws Exception {
        replayed();
        List<PcapFile.Record> capture = PcapFile.read(SESSION.resolve("session.pcap"));
        List<PcapFile.Record> linuxReplies = capture.stream()
                .filter(r -> MacAddress.read(r.data(), 6) == DUT && isArpReply(r.data())).toList();
        List<PcapFile.Record> ours = ipv4Side(PcapFile.read(WORK.resolve("out.pcap")));

        assertThat(linuxReplies).hasSize(4);
        assertThat(ours).hasSameSizeAs(linuxReplies);
        for (int i = 0; i < ours.size(); i++) {
            assertThat(ours.get(i).data()).as("reply %d", i).isEqualTo(linuxReplies.get(i).data());
            // pcap-out is written with microseconds
            assertThat(Math.abs(ours.get(i).timestampNanos() - linuxReplies.get(i).timestampNanos()))
                    .as("reply %d sent within timer slack of Linux's", i).isLessThanOrEqualTo(SLACK_NANOS);
        }
    }

    @Test
    void showsWhatThePeersTaughtItAndCountsEveryFrame() throws Exception {
        replayed();
        ApiClient api = new ApiClient(port, null);
        JsonNode table = api.get("/api/v1/neighbours?dev=eth0&state=all").json();
        assertThat(table).extracting(n -> n.path("dst").asString() + " " + n.path("lladdr").asString())
                .contains("10.55.0.2 02:55:00:00:00:02", "10.55.0.3 02:55:00:00:00:03", "10.55.0.4 02:55:00:00:00:04")
                .noneMatch(s -> s.startsWith("10.55.0.9"));

        JsonNode eth0 = api.get("/api/v1/stats").json().path("interfaces").path(0);
        assertThat(eth0.path("dev").asString()).isEqualTo("eth0");
        assertThat(eth0.path("received").path("request").asLong()).isEqualTo(5);
        assertThat(eth0.path("received").path("reply").asLong()).isEqualTo(2);
        assertThat(eth0.path("sent").path("reply").asLong()).isEqualTo(4);
        assertThat(eth0.path("sent").path("request").asLong()).isZero();
        assertThat(eth0.path("reasons").path("REPLIED").path("count").asLong()).isEqualTo(4);
        assertThat(eth0.path("reasons").path("REPLIED").path("kind").asString()).isEqualTo("used");

        JsonNode iface = api.get("/api/v1/interfaces/eth0").json();
        assertThat(iface.path("conf").path("arp_accept").asInt()).isEqualTo(1);
        assertThat(iface.path("capture").path("received").asLong()).isEqualTo(capture().size() - ownFrames());
    }

    private static boolean isArpReply(byte[] f) {
        return f.length >= 22 && f[12] == 0x08 && f[13] == 0x06 && f[20] == 0 && f[21] == 2;
    }

    private static List<PcapFile.Record> capture() throws Exception {
        return PcapFile.read(SESSION.resolve("session.pcap"));
    }

    private static long ownFrames() throws Exception {
        return capture().stream().filter(r -> MacAddress.read(r.data(), 6) == DUT).count();
    }
}
