package io.neighd.engine;

import io.neighd.arp.ArpScans;
import io.neighd.arp.ScanReply;
import io.neighd.arp.ScanResult;
import io.neighd.testkit.EngineFixture;
import io.neighd.wire.Ipv4Cidr;
import io.neighd.wire.MacAddress;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static io.neighd.testkit.EngineFixture.PEER_MAC;
import static io.neighd.testkit.EngineFixture.reply;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The scan's timing to the jiffy (HZ 250, 4 ms): probe n of a rate r leaves on the first jiffy at
 * or after n / r seconds, as arp-scan spaces its packets by 1 / r; the times an answer carries
 * (since its probe, since the scan began); an answer from an address already given up on; the
 * bound on the duplicates a scan keeps.
 */
class ArpScanPacingTest {
    private EngineFixture fx;
    private final List<ScanResult> done = new ArrayList<>();

    @BeforeEach
    void setUp() {
        fx = new EngineFixture();
    }

    private void scan(String cidr, int rate, int retries, long timeoutMs) {
        assertThat(fx.engine.scan(fx.nd0, Ipv4Cidr.parse(cidr), rate, retries, timeoutMs, done::add).ok()).isTrue();
    }

    /** Probes sent by the end of each jiffy 0, 1, 2 … {@code last}. */
    private List<Integer> sentByJiffy(int last) {
        List<Integer> out = new ArrayList<>();
        out.add(fx.tx.arp().size());
        for (int j = 1; j <= last; j++) {
            fx.advanceJiffies(1);
            out.add(fx.tx.arp().size());
        }
        return out;
    }

    @Test
    void aHundredASecondIsOneEveryTwoAndAHalfJiffies() {
        scan("10.0.0.0/24", 100, 0, 500);

        // 0, 10, 20, 30, 40 ms: jiffies 0, 3 (2.5), 5, 8 (7.5), 10
        assertThat(sentByJiffy(10)).containsExactly(1, 1, 1, 2, 2, 3, 3, 3, 4, 4, 5);
    }

    @Test
    void threeHundredASecondIsSometimesTwoInAJiffy() {
        scan("10.0.0.0/24", 300, 0, 500);

        // n / 300 s in jiffies: 0, 0.83, 1.67, 2.5, 3.33, 4.17, 5, 5.83, 6.67: two leave in jiffy 5
        assertThat(sentByJiffy(7)).containsExactly(1, 2, 3, 4, 5, 7, 8, 9);
    }

    @Test
    void anAnswerCarriesTheTimeSinceItsProbeAndSinceTheScanBegan() {
        scan("10.0.0.4/30", 0, 2, 500);
        fx.advanceJiffies(125); // the second probes leave at 500 ms
        fx.advanceJiffies(5);

        fx.receive(reply(PEER_MAC, "10.0.0.5", "10.0.0.1"));

        ScanReply r = fx.engine.scans().progress(1).replies().get(0);
        assertThat(r.rttNanos()).isEqualTo(20_000_000L);
        assertThat(r.atNanos()).isEqualTo(520_000_000L);
        assertThat(fx.engine.scans().progress(1).elapsedNanos()).isEqualTo(520_000_000L);
    }

    @Test
    void anAnswerAfterTheAddressWasGivenUpOnCountsAsAnAnswerNotATimeout() {
        // one a second: .4 at 0 s … .7 at 3 s; with no retry .4 is given up on after 0.5 s, .7 still waits at 3.2 s
        scan("10.0.0.4/30", 1, 0, 500);
        fx.advanceJiffies(800);
        assertThat(done).isEmpty();
        int before = fx.engine.scans().progress(1).timedOut();
        assertThat(before).isPositive();

        fx.receive(reply(PEER_MAC, "10.0.0.4", "10.0.0.1"));

        assertThat(fx.engine.scans().progress(1).timedOut()).isEqualTo(before - 1);
        assertThat(fx.engine.scans().progress(1).responders()).isEqualTo(1);
        fx.advanceJiffies(1000);
        assertThat(done).singleElement().satisfies(s -> {
            assertThat(s.timedOut()).isEqualTo(3);
            assertThat(s.responders()).isEqualTo(1);
            assertThat(s.probesSent()).isEqualTo(4);
        });
    }

    @Test
    void duplicatesAreCountedAllButKeptOnlyUpToTheBound() {
        scan("10.0.0.4/30", 0, 0, 500);
        int extra = ArpScans.MAX_KEPT_DUPLICATES + 2;
        fx.receive(reply(PEER_MAC, "10.0.0.5", "10.0.0.1"));
        for (int i = 0; i < extra; i++) {
            fx.receive(reply(MacAddress.parse(String.format("02:dd:00:00:%02x:%02x", i >>> 8, i & 0xff)), "10.0.0.5",
                    "10.0.0.1"));
        }

        ScanResult now = fx.engine.scans().progress(1);
        assertThat(now.duplicates()).isEqualTo(extra);
        assertThat(now.replies()).hasSize(1 + ArpScans.MAX_KEPT_DUPLICATES);
    }
}
