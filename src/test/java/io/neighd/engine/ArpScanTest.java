package io.neighd.engine;

import io.neighd.arp.ArpScans;
import io.neighd.arp.Reason;
import io.neighd.arp.ScanReply;
import io.neighd.arp.ScanResult;
import io.neighd.errno.Errno;
import io.neighd.errno.Result;
import io.neighd.neighbour.NudState;
import io.neighd.testkit.EngineFixture;
import io.neighd.testkit.RecordingTransmitter.Sent;
import io.neighd.wire.ArpMessage;
import io.neighd.wire.ArpOp;
import io.neighd.wire.Ipv4Address;
import io.neighd.wire.Ipv4Cidr;
import io.neighd.wire.MacAddress;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static io.neighd.testkit.EngineFixture.OTHER_MAC;
import static io.neighd.testkit.EngineFixture.OUR_MAC;
import static io.neighd.testkit.EngineFixture.PEER_MAC;
import static io.neighd.testkit.EngineFixture.broadcastReply;
import static io.neighd.testkit.EngineFixture.ip;
import static io.neighd.testkit.EngineFixture.reply;
import static io.neighd.testkit.EngineFixture.request;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The scan (arp-scan's job through arp_solicit's probe), on the manual clock: pacing, retries with
 * arp-scan's backoff, answers and duplicates, silent addresses held outside the table, bounds.
 * Every frame is received through {@link EngineFixture#receive}, so the explain path's parity is
 * checked on each.
 */
class ArpScanTest {
    private EngineFixture fx;
    private final List<ScanResult> done = new ArrayList<>();

    @BeforeEach
    void setUp() {
        fx = new EngineFixture();
    }

    private Result<Integer> scan(String cidr, int rate, int retries, long timeoutMs) {
        return fx.engine.scan(fx.nd0, Ipv4Cidr.parse(cidr), rate, retries, timeoutMs, done::add);
    }

    /** Targets of the requests sent so far, in order; checks each is arp_solicit's broadcast probe from our MAC. */
    private List<String> probes() {
        List<String> out = new ArrayList<>();
        for (Sent s : fx.tx.arp()) {
            ArpMessage m = s.arp();
            assertThat(m.op()).isEqualTo(ArpOp.REQUEST);
            assertThat(s.ethDst()).isEqualTo(MacAddress.BROADCAST);
            assertThat(m.senderMac()).isEqualTo(OUR_MAC);
            out.add(m.targetIp().toString());
        }
        return out;
    }

    private void jiffies(int n) {
        for (int i = 0; i < n; i++) {
            fx.advanceJiffies(1);
        }
    }

    private List<ScanReply> replyEvents() {
        return fx.events.raw().stream().filter(e -> e.type() == NeighEvent.Type.SCAN_REPLY).map(NeighEvent::reply)
                .toList();
    }

    @Test
    void probesLeaveAtTheRateAskedAndSkipWhatNoEntryResolves() {
        // 250/s at HZ 250: one a jiffy; 10.0.0.0/28 holds our own .1, which is not probed
        assertThat(scan("10.0.0.0/28", 250, 0, 500).ok()).isTrue();
        assertThat(probes()).hasSize(1);
        assertThat(fx.tx.arp().get(0).arp().senderIp()).as("inet_select_addr's source").isEqualTo(
                Ipv4Address.parse("10.0.0.1"));
        jiffies(3);
        assertThat(probes()).hasSize(4);
        jiffies(20);
        List<String> p = probes();
        assertThat(p).doesNotContain("10.0.0.1").contains("10.0.0.2", "10.0.0.14", "10.0.0.15").hasSize(15);
        assertThat(p).doesNotHaveDuplicates();
    }

    @Test
    void atTheDefaultRateTwoLeaveEachJiffy() {
        scan("10.0.0.0/24", 500, 0, 500);
        jiffies(10);
        assertThat(probes()).hasSize(1 + 20);
    }

    @Test
    void unlimitedLeavesInSlicesOfAJiffy() {
        scan("10.0.0.0/24", 0, 0, 500);
        assertThat(probes()).as("the whole /24 at once but .1 (ours) and .255 (broadcast)").hasSize(256 - 2);
    }

    @Test
    void aSilentAddressIsProbedAgainAfterEachBackedOffWaitThenGivenUp() {
        scan("10.0.0.4/30", 0, 2, 500);
        assertThat(probes()).containsExactly("10.0.0.4", "10.0.0.5", "10.0.0.6", "10.0.0.7");
        fx.tx.clear();
        jiffies(124);
        assertThat(probes()).as("nothing before 500 ms").isEmpty();
        jiffies(1);
        assertThat(probes()).as("the second probe at 500 ms").hasSize(4);
        fx.tx.clear();
        jiffies(187);
        assertThat(probes()).as("the third waits 1.5 x 500 = 750 ms").isEmpty();
        jiffies(1);
        assertThat(probes()).hasSize(4);
        fx.tx.clear();
        jiffies(281);
        assertThat(done).as("the last wait is 1125 ms").isEmpty();
        jiffies(1);
        assertThat(probes()).as("no fourth probe with 2 retries").isEmpty();
        assertThat(done).hasSize(1);
        ScanResult r = done.get(0);
        assertThat(r.done()).isTrue();
        assertThat(r.probesSent()).isEqualTo(12);
        assertThat(r.timedOut()).isEqualTo(4);
        assertThat(r.responders()).isZero();
        assertThat(fx.engine.table().entries()).as("no entry for an address that never answered").isZero();
        assertThat(fx.engine.scans().running()).isZero();
    }

    @Test
    void anAnswerIsReportedCreatesItsEntryAndEndsItsProbes() {
        scan("10.0.0.4/30", 0, 2, 500);

        assertThat(fx.receive(reply(PEER_MAC, "10.0.0.5", "10.0.0.1"))).isEqualTo(Reason.CREATED_BY_SCAN);

        assertThat(fx.state("10.0.0.5")).as("the entry a resolution's reply leaves").isEqualTo(NudState.REACHABLE);
        assertThat(replyEvents()).singleElement().satisfies(r -> {
            assertThat(r.ip()).isEqualTo(Ipv4Address.parse("10.0.0.5"));
            assertThat(r.mac()).isEqualTo(PEER_MAC);
            assertThat(r.answer()).isEqualTo(1);
            assertThat(r.duplicate()).isFalse();
            assertThat(r.frameMac()).isNull();
        });
        fx.tx.clear();
        jiffies(125);
        assertThat(probes()).as("probed again: the silent ones only").containsExactly("10.0.0.4", "10.0.0.6",
                "10.0.0.7");
        ScanResult now = fx.engine.scans().progress(1);
        assertThat(now.done()).isFalse();
        assertThat(now.responders()).isEqualTo(1);
        assertThat(now.replies()).hasSize(1);
    }

    @Test
    void twoMacsForOneAddressAreADuplicateAndTheEntryKeepsTheFirstWithinLocktime() {
        scan("10.0.0.4/30", 0, 0, 500);
        fx.receive(reply(PEER_MAC, "10.0.0.5", "10.0.0.1"));

        assertThat(fx.receive(reply(OTHER_MAC, "10.0.0.5", "10.0.0.1"))).isEqualTo(Reason.UPDATED);

        assertThat(replyEvents()).extracting(ScanReply::mac, ScanReply::answer, ScanReply::duplicate)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(PEER_MAC, 1, false),
                        org.assertj.core.groups.Tuple.tuple(OTHER_MAC, 2, true));
        assertThat(fx.entry("10.0.0.5").ha()).as("arp_process: no override within locktime, as Linux")
                .isEqualTo(PEER_MAC.bits());
        jiffies(126);
        ScanResult r = done.get(0);
        assertThat(r.responders()).isEqualTo(1);
        assertThat(r.duplicates()).isEqualTo(1);
        assertThat(r.replies()).hasSize(2);
        assertThat(fx.events.raw()).filteredOn(e -> e.type() == NeighEvent.Type.SCAN_DONE).singleElement()
                .satisfies(e -> assertThat(e.scan().replies()).as("the summary event carries no replies").isEmpty());
    }

    @Test
    void aScanWhoseEveryAddressAnsweredEndsWhenTheLastProbesWaitIsOverHearingLateDuplicates() {
        scan("10.0.0.4/31", 0, 2, 500);
        fx.receive(reply(PEER_MAC, "10.0.0.4", "10.0.0.1"));
        fx.receive(reply(OTHER_MAC, "10.0.0.5", "10.0.0.1"));
        jiffies(100);
        assertThat(fx.tx.arp()).as("no probe to an address that answered").hasSize(2);
        assertThat(done).as("the wait after the last probe is not over").isEmpty();
        fx.receive(reply(PEER_MAC, "10.0.0.5", "10.0.0.1"));
        jiffies(25);
        assertThat(done).singleElement().satisfies(r -> {
            assertThat(r.responders()).isEqualTo(2);
            assertThat(r.duplicates()).as("a second host answering the last probe").isEqualTo(1);
            assertThat(r.probesSent()).isEqualTo(2);
            assertThat(r.timedOut()).isZero();
        });
        assertThat(fx.engine.scans().running()).isZero();
    }

    @Test
    void aReplyNobodyAskedForOrNotToUsIsNotAnAnswer() {
        scan("10.0.0.4/30", 0, 0, 500);

        assertThat(fx.receive(reply(PEER_MAC, "10.0.0.9", "10.0.0.1"))).as("not scanned").isEqualTo(Reason.NOT_FOR_US);
        assertThat(fx.receive(broadcastReply(PEER_MAC, "10.0.0.5", "10.0.0.1")))
                .as("arp-scan hears only replies to its MAC").isEqualTo(Reason.NOT_FOR_US);
        assertThat(fx.receive(request(PEER_MAC, "10.0.0.6", "10.0.0.1"))).as("a request is not an answer")
                .isEqualTo(Reason.REPLIED);
        assertThat(replyEvents()).isEmpty();
        assertThat(fx.state("10.0.0.5")).isNull();
    }

    @Test
    void aSixteenOfSilentAddressesNeitherFillsTheTableNorEvictsLiveEntries() {
        fx.sysctl("net.ipv4.neigh.default.gc_thresh2", 12);
        fx.sysctl("net.ipv4.neigh.default.gc_thresh3", 16);
        for (int i = 2; i < 12; i++) {
            fx.receive(request(MacAddress.parse("02:bb:00:00:01:" + String.format("%02x", i)), "10.0.0." + i,
                    "10.0.0.1"));
        }
        fx.advanceMs(10_000);
        assertThat(fx.engine.table().entries()).isEqualTo(10);
        fx.engine.addAddress(fx.nd0, Ipv4Cidr.parse("172.16.0.1/16"));
        fx.tx.clear();

        assertThat(scan("172.16.0.0/16", 0, 1, 500).ok()).isTrue();
        jiffies(254);
        assertThat(probes()).as("256 a jiffy").hasSize(255 * 256);
        jiffies(1);
        assertThat(probes()).as("the whole /16 in 256 slices, one a jiffy; the last slice's room goes to retries")
                .hasSize(65536);
        assertThat(new java.util.HashSet<>(probes())).hasSize(65534);
        fx.receive(reply(PEER_MAC, "172.16.200.7", "172.16.0.1"));
        while (done.isEmpty()) {
            jiffies(1);
        }

        ScanResult r = done.get(0);
        assertThat(r.hosts()).isEqualTo(65536);
        assertThat(r.skipped()).as("the broadcast address and ours").isEqualTo(2);
        assertThat(r.responders()).isEqualTo(1);
        assertThat(r.timedOut()).isEqualTo(65536 - 2 - 1);
        assertThat(fx.engine.table().entries()).as("the ten live ones and the one that answered").isEqualTo(11);
        for (int i = 2; i < 12; i++) {
            assertThat(fx.state("10.0.0." + i)).as("10.0.0.%d kept", i).isNotNull();
        }
        assertThat(fx.engine.stats().tableFulls).isZero();
        assertThat(fx.engine.stats().forcedGcRuns).isZero();
    }

    /** What Linux does with the same sweep (a resolution per address, neigh_create first): the live entries go. */
    @Test
    void resolvingEachAddressAsLinuxWouldEvictsTheLiveEntriesAndFillsTheTable() {
        fx.sysctl("net.ipv4.neigh.default.gc_thresh2", 12);
        fx.sysctl("net.ipv4.neigh.default.gc_thresh3", 16);
        for (int i = 2; i < 12; i++) {
            fx.receive(request(MacAddress.parse("02:bb:00:00:01:" + String.format("%02x", i)), "10.0.0." + i,
                    "10.0.0.1"));
        }
        fx.advanceMs(10_000);
        fx.engine.addAddress(fx.nd0, Ipv4Cidr.parse("172.16.0.1/16"));
        List<ResolveOutcome> told = new ArrayList<>();
        for (int h = 2; h < 256; h++) {
            fx.engine.resolve(fx.nd0, ip("172.16.1." + h), told::add);
        }
        assertThat(fx.state("10.0.0.2")).as("neigh_forced_gc removed the STALE live entry").isNull();
        assertThat(fx.engine.stats().tableFulls).isPositive();
        assertThat(told).contains(ResolveOutcome.TABLE_FULL);
    }

    @Test
    void boundsAreRefusedNamingTheParameter() {
        assertThat(scan("10.0.0.0/15", 0, 2, 500)).extracting(Result::errno, Result::subject)
                .containsExactly(Errno.EINVAL, "cidr");
        assertThat(scan("10.0.0.0/24", -1, 2, 500).subject()).isEqualTo("rate");
        assertThat(scan("10.0.0.0/24", 64_001, 2, 500).subject()).isEqualTo("rate");
        assertThat(scan("10.0.0.0/24", 0, ArpScans.MAX_RETRIES + 1, 500).subject()).isEqualTo("retries");
        assertThat(scan("10.0.0.0/24", 0, 2, 0).subject()).isEqualTo("timeout_ms");
        assertThat(scan("10.0.0.0/24", 0, 2, ArpScans.MAX_TIMEOUT_MS + 1).subject()).isEqualTo("timeout_ms");
        assertThat(fx.tx.arp()).isEmpty();

        assertThat(scan("10.0.0.0/24", 64_000, 2, 500).ok()).isTrue();
        assertThat(scan("10.0.0.0/28", 0, 2, 500)).as("one scan per interface")
                .extracting(Result::errno, Result::subject).containsExactly(Errno.EBUSY, "dev");
        fx.engine.setUp(fx.addInterface("nd1", 3, MacAddress.parse("02:aa:00:00:01:01"), "10.1.0.1/24"), true);
        assertThat(fx.engine.scan(fx.engine.device("nd1"), Ipv4Cidr.parse("10.1.0.0/24"), 0, 0, 500, done::add).ok())
                .as("another interface scans meanwhile").isTrue();
    }

    @Test
    void aDownInterfaceCannotScan() {
        fx.engine.setUp(fx.nd0, false);
        assertThat(scan("10.0.0.0/24", 0, 2, 500).errno()).isEqualTo(Errno.ENETDOWN);
    }
}
