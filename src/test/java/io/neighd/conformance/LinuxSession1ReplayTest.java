package io.neighd.conformance;

import io.neighd.engine.Engine;
import io.neighd.engine.SysctlFile;
import io.neighd.ip.NetDevice;
import io.neighd.link.PcapFile;
import io.neighd.neighbour.NeighSnapshot;
import io.neighd.testkit.RecordingTransmitter;
import io.neighd.testkit.ScriptedRandom;
import io.neighd.time.ManualClock;
import io.neighd.wire.ArpMessage;
import io.neighd.wire.EtherType;
import io.neighd.wire.FrameDecoder;
import io.neighd.wire.Ipv4Address;
import io.neighd.wire.Ipv4Cidr;
import io.neighd.wire.MacAddress;
import io.neighd.wire.RxFrame;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Conformance with a recorded Linux 6.18 session (../shared/data/linux-session-1): the frames the
 * peers sent are replayed into neighd on the capture's own clock, with the device's address and
 * knobs, and the three pings the Linux host started are started at the moments its first frame
 * for each appeared. neighd must send the same ARP frames (byte for byte, within timer slack) and
 * end with the same table as {@code ip -j -s neigh} showed.
 *
 * <p>Tolerances, each from a documented source of nondeterminism: sent frames within 40 ms
 * (Linux's timer wheel fires a 252 ms timer up to 32 ms late; neighd fires it one jiffy after
 * expiry); cacheinfo ages within 1 s (the end of the session is "about 1 s" after the last frame,
 * and REACHABLE's lifetime is a random draw from [base/2, 3·base/2)).
 */
class LinuxSession1ReplayTest {
    private static final Path SESSION = locate();
    private static final MacAddress DUT = MacAddress.parse("02:55:00:00:00:01");
    private static final long SLACK_NANOS = 40_000_000L;

    private static List<PcapFile.Record> capture;
    private static Map<String, Map<String, Object>> linuxTable;

    private final ManualClock clock = new ManualClock();
    private final RecordingTransmitter tx = new RecordingTransmitter();
    private final List<Long> sentAt = new ArrayList<>();
    private final List<String> pinged = new ArrayList<>();

    private static Path locate() {
        for (Path p : List.of(Path.of("../shared/data/linux-session-1"), Path.of("/work/shared/data/linux-session-1"))) {
            if (Files.isDirectory(p)) {
                return p;
            }
        }
        throw new IllegalStateException("the shared fixture linux-session-1 is missing: expected ../shared/data/linux-session-1");
    }

    @BeforeAll
    static void load() throws IOException {
        capture = PcapFile.read(SESSION.resolve("session.pcap"));
        linuxTable = parseIpNeighJson(Files.readString(SESSION.resolve("final-neigh.json"), StandardCharsets.UTF_8));
    }

    /** Runs the session through neighd; returns the engine at the end (last frame + 1 s). */
    private Engine replay() throws IOException {
        long start = capture.get(0).timestampNanos();
        clock.set(start - 1_000_000_000L);
        Engine[] self = new Engine[1];
        Engine engine = new Engine(clock, new ScriptedRandom(), (dev, frame) -> {
            tx.transmit(dev, frame);
            sentAt.add(emissionTime(self[0]));
        }, 250);
        self[0] = engine;
        NetDevice eth0 = engine.addDevice("eth0", 2, DUT, 1500, -1);
        engine.setUp(eth0, true);
        engine.setCarrier(eth0, true);
        engine.addAddress(eth0, Ipv4Cidr.parse("10.55.0.1/24"));
        SysctlFile.apply(engine.sysctl(), SysctlFile.parse(SESSION.resolve("sysctl-eth0.txt")), "sysctl-eth0.txt");

        for (PcapFile.Record r : capture) {
            byte[] f = r.data();
            boolean ours = MacAddress.read(f, 6) == DUT.bits();
            if (ours && !startsAPing(f)) {
                continue; // Linux's own frame: only its time-zero for a local action matters
            }
            clock.set(r.timestampNanos());
            engine.sync();
            if (ours) {
                engine.ping(Ipv4Address.parse(pinged.get(pinged.size() - 1)), 1, 1000, 10_000, 56, result -> { });
            } else {
                engine.receive(eth0, f, f.length);
            }
        }
        clock.set(capture.get(capture.size() - 1).timestampNanos() + 1_000_000_000L);
        engine.sync();
        return engine;
    }

    /**
     * When a frame was handed to the device: a timer-driven frame at the tick its timer ran on
     * (the wheel may be catching up to a later clock), any other at the clock's time.
     */
    private long emissionTime(Engine engine) {
        long clockJiffies = engine.jiffies().fromNanos(clock.nanos());
        return engine.now() < clockJiffies ? engine.jiffies().toNanos(engine.now()) : clock.nanos();
    }

    /**
     * The session's local actions are three pings (README: dut ping 10.55.0.4, 10.55.0.9, 10.55.0.2);
     * each is started when Linux sent the first frame caused by it: an ARP request or echo request
     * towards a destination not yet pinged.
     */
    private boolean startsAPing(byte[] f) {
        RxFrame rx = new RxFrame();
        FrameDecoder.decode(f, f.length, rx);
        String dst = null;
        if (rx.etherType == EtherType.ARP && rx.arpOp == 1 && rx.spa != rx.tpa) {
            dst = Ipv4Address.toString(rx.tpa);
        } else if (rx.etherType == EtherType.IPV4 && rx.ipProtocol == 1 && f[rx.l4] == 8) {
            dst = Ipv4Address.toString(rx.ipDst);
        }
        if (dst != null && !pinged.contains(dst)) {
            pinged.add(dst);
            return true;
        }
        return false;
    }

    @Test
    void sendsTheSameArpFramesAsLinuxAtTheSameTimes() throws IOException {
        replay();
        assertThat(pinged).containsExactly("10.55.0.4", "10.55.0.9", "10.55.0.2");

        List<PcapFile.Record> linuxArp = capture.stream()
                .filter(r -> MacAddress.read(r.data(), 6) == DUT.bits() && isArp(r.data())).toList();
        List<Integer> ours = new ArrayList<>();
        for (int i = 0; i < tx.all().size(); i++) {
            if (tx.all().get(i).isArp()) {
                ours.add(i);
            }
        }
        assertThat(ours).as("ARP frames sent: Linux sent %d", linuxArp.size()).hasSize(linuxArp.size());
        if (Boolean.getBoolean("debugReplay")) {
            for (int k = 0; k < linuxArp.size(); k++) {
                System.out.println("DBG " + k + " linux " + linuxArp.get(k).timestampNanos() + " ours " + sentAt.get(ours.get(k))
                        + " " + describe(linuxArp.get(k).data()));
            }
        }
        for (int k = 0; k < linuxArp.size(); k++) {
            byte[] ourFrame = tx.all().get(ours.get(k)).frame();
            assertThat(ourFrame).as("frame %d: %s", k, describe(linuxArp.get(k).data()))
                    .isEqualTo(linuxArp.get(k).data());
            assertThat(Math.abs(sentAt.get(ours.get(k)) - linuxArp.get(k).timestampNanos()))
                    .as("frame %d sent within timer slack of Linux's", k).isLessThanOrEqualTo(SLACK_NANOS);
        }
    }

    @Test
    void sendsTheSameEchoRequestsToTheSameHosts() throws IOException {
        replay();
        List<String> linux = capture.stream().filter(r -> MacAddress.read(r.data(), 6) == DUT.bits()
                && !isArp(r.data())).map(r -> echoSummary(r.data())).toList();
        List<String> ours = tx.ipv4().stream().map(s -> echoSummary(s.frame())).toList();
        assertThat(ours).isEqualTo(linux);
    }

    @Test
    void endsWithTheSameTableAsIpNeigh() throws IOException {
        Engine engine = replay();
        Map<String, NeighSnapshot> ours = new TreeMap<>();
        for (NeighSnapshot s : engine.neighbours(null, 0xff & ~0x40)) {
            ours.put(s.dst().toString(), s);
        }
        assertThat(ours.keySet()).isEqualTo(linuxTable.keySet());
        long hz = engine.jiffies().hz();
        linuxTable.forEach((dst, linux) -> {
            NeighSnapshot n = ours.get(dst);
            assertThat("[\"" + n.state() + "\"]").as(dst + " state").isEqualTo(linux.get("state"));
            assertThat(n.lladdr() == null ? null : n.lladdr().toString()).as(dst + " lladdr").isEqualTo(linux.get("lladdr"));
            assertThat((long) n.probes()).as(dst + " probes").isEqualTo(linux.get("probes"));
            assertThat(n.usedAgo() / hz).as(dst + " used").isCloseTo((Long) linux.get("used"),
                    org.assertj.core.data.Offset.offset(1L));
            assertThat(n.confirmedAgo() / hz).as(dst + " confirmed").isCloseTo((Long) linux.get("confirmed"),
                    org.assertj.core.data.Offset.offset(1L));
            assertThat(n.updatedAgo() / hz).as(dst + " updated").isCloseTo((Long) linux.get("updated"),
                    org.assertj.core.data.Offset.offset(1L));
            assertThat((long) n.refcnt()).as(dst + " refcnt").isEqualTo(linux.getOrDefault("refcnt", 0L));
        });
    }

    private static boolean isArp(byte[] f) {
        return ((f[12] & 0xff) << 8 | (f[13] & 0xff)) == EtherType.ARP;
    }

    private static String echoSummary(byte[] f) {
        RxFrame rx = new RxFrame();
        FrameDecoder.decode(f, f.length, rx);
        return MacAddress.toString(rx.ethDst) + " " + Ipv4Address.toString(rx.ipSrc) + ">"
                + Ipv4Address.toString(rx.ipDst) + " icmp " + (f[rx.l4] & 0xff);
    }

    private static String describe(byte[] f) {
        return ArpMessage.parse(f, 14, f.length - 14).toString();
    }

    /** Just enough JSON for ip -j output: an array of flat objects with string, number and string-array values. */
    static Map<String, Map<String, Object>> parseIpNeighJson(String json) {
        Map<String, Map<String, Object>> out = new TreeMap<>();
        Matcher obj = Pattern.compile("\\{([^}]*)}").matcher(json);
        Pattern field = Pattern.compile("\"(\\w+)\":(\"[^\"]*\"|\\[[^]]*]|-?\\d+)");
        while (obj.find()) {
            Map<String, Object> m = new TreeMap<>();
            Matcher f = field.matcher(obj.group(1));
            while (f.find()) {
                String v = f.group(2);
                m.put(f.group(1), v.startsWith("\"") ? v.substring(1, v.length() - 1)
                        : v.startsWith("[") ? v : Long.valueOf(v));
            }
            out.put((String) m.get("dst"), m);
        }
        return out;
    }
}
