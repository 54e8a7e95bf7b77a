package io.neighd.lab;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;

import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.neighd.lab.Lab.Side.ND;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The scan against kernel peers on segment 0: every host that answers Debian's arp-scan answers
 * neighd's scan, with the same MAC; two kernels owning one address show as a duplicate, as
 * arp-scan shows them; silent addresses leave no entry.
 *
 * <pre>
 * | peers                                  | scan of 10.77.0.0/24 reports                         |
 * |----------------------------------------|------------------------------------------------------|
 * | s0p1..s0p3, gateway                    | what arp-scan from s0p1 reports, less neighd, plus s0p1 |
 * | s0p2 and s0p3 both own 10.77.0.50      | 10.77.0.50 twice: answer 1 and a duplicate, two MACs |
 * </pre>
 */
@ExtendWith(LabExtension.class)
class ScanLiveIT {
    private static final String SHARED = "10.77.0.50";

    private final Lab lab;
    private final Neighd neighd;

    ScanLiveIT(Lab lab, Neighd neighd) {
        this.lab = lab;
        this.neighd = neighd;
    }

    /** Starts a scan, polls its resource until it is done, and answers it. */
    private JsonNode scan(String cidr) {
        Neighd.Response started = neighd.post("/api/v1/interfaces/nd0/scan",
                Map.of("cidr", cidr, "rate", 0, "retries", 1, "timeout_ms", 200)).expect(202);
        String location = "/api/v1/interfaces/nd0/scans/" + started.body().path("id").asInt();
        long end = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < end) {
            JsonNode s = neighd.getOk(location);
            if (s.path("state").asString().equals("done")) {
                return s;
            }
            Lab.sleep(50);
        }
        throw new AssertionError("scan of " + cidr + " still running after 20 s");
    }

    /** First answers by address: the MAC of each. */
    private static Map<String, String> firstAnswers(JsonNode scan) {
        Map<String, String> out = new TreeMap<>();
        for (JsonNode r : scan.path("replies")) {
            if (r.path("answer").asInt() == 1) {
                out.put(r.path("ip").asString(), r.path("mac").asString());
            }
        }
        return out;
    }

    @Test
    void aScanFindsWhatArpScanFinds() {
        String from = lab.peerNs(ND, 0, 1);
        String out = lab.exec(Duration.ofSeconds(30), from, "arp-scan", "-I", "eth0", "--retry", "2",
                "--timeout", "200", "10.77.0.0/24").orFail();
        Map<String, String> arpScan = new TreeMap<>();
        Matcher m = Pattern.compile("(?m)^(10\\.77\\.0\\.\\d+)\\s+([0-9a-f:]{17})").matcher(out);
        while (m.find()) {
            arpScan.putIfAbsent(m.group(1), m.group(2));
        }
        // what neighd should see: arp-scan's view less neighd itself, plus the peer arp-scan ran on
        arpScan.remove(Lab.ownIp(0));
        arpScan.put(Lab.peerIp(0, 1), Lab.peerMac(0, 1));

        JsonNode scan = scan("10.77.0.0/24");

        assertThat(firstAnswers(scan)).isEqualTo(arpScan);
        assertThat(scan.path("duplicates").asInt()).isZero();
        assertThat(scan.path("responders").asInt()).isEqualTo(arpScan.size());
        assertThat(scan.path("timed_out").asInt()).isEqualTo(256 - 2 - arpScan.size());
        for (Map.Entry<String, String> e : arpScan.entrySet()) {
            Lab.KernelNeighbour n = neighd.neighbour("nd0", e.getKey());
            assertThat(n).as(e.getKey()).isNotNull();
            assertThat(n.lladdr()).isEqualTo(e.getValue());
            assertThat(n.state()).isEqualTo("REACHABLE");
        }
        assertThat(neighd.neighbours()).filteredOn(n -> n.dev().equals("nd0"))
                .as("no entry for an address that stayed silent").hasSize(arpScan.size());
    }

    @Test
    void twoPeersAnsweringForOneAddressAreADuplicate() {
        String p2 = lab.peerNs(ND, 0, 2);
        String p3 = lab.peerNs(ND, 0, 3);
        lab.ip(p2, "addr", "add", SHARED + "/24", "dev", "eth0");
        lab.ip(p3, "addr", "add", SHARED + "/24", "dev", "eth0");
        try {
            // arp-scan from a third host sees both kernels answer
            String out = lab.exec(Duration.ofSeconds(30), lab.peerNs(ND, 0, 1), "arp-scan", "-I", "eth0",
                    SHARED + "/32").orFail();
            assertThat(out).contains(Lab.peerMac(0, 2)).contains(Lab.peerMac(0, 3)).contains("(DUP: 2)");

            JsonNode scan = scan(SHARED + "/32");

            assertThat(scan.path("responders").asInt()).as(scan.toString()).isEqualTo(1);
            assertThat(scan.path("duplicates").asInt()).as(scan.toString()).isEqualTo(1);
            Map<Integer, String> byAnswer = new TreeMap<>();
            for (JsonNode r : scan.path("replies")) {
                assertThat(r.path("ip").asString()).isEqualTo(SHARED);
                byAnswer.put(r.path("answer").asInt(), r.path("mac").asString());
            }
            assertThat(byAnswer).containsOnlyKeys(1, 2);
            assertThat(byAnswer.values()).containsExactlyInAnyOrder(Lab.peerMac(0, 2), Lab.peerMac(0, 3));
            assertThat(neighd.neighbour("nd0", SHARED).lladdr()).as("the first answer's, within locktime")
                    .isEqualTo(byAnswer.get(1));
        } finally {
            lab.tryIp(p2, "addr", "del", SHARED + "/24", "dev", "eth0");
            lab.tryIp(p3, "addr", "del", SHARED + "/24", "dev", "eth0");
        }
    }
}
