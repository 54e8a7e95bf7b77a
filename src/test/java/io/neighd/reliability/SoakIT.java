package io.neighd.reliability;

import io.neighd.lab.LabEnvironment;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import static io.neighd.reliability.SoakLoad.SENDER_BASE;
import static io.neighd.reliability.SoakLoad.WRITERS;
import static io.neighd.reliability.SoakLoad.WRITES_PER_SECOND;
import static io.neighd.reliability.SoakLoad.get;
import static io.neighd.reliability.SoakLoad.maxOf;
import static io.neighd.reliability.SoakLoad.metric;
import static io.neighd.reliability.SoakLoad.serverP99;
import static io.neighd.reliability.SoakLoad.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The soak of issue 10: neighd as it ships ({@code java -jar}, a process of its own, on a veth in
 * a namespace of this test's own) under everything at once, for a bounded time:
 * <ul>
 * <li>a flood of ARP requests from distinct senders (lab/arpbench.c {@code senders}, in the peer
 *     namespace) at a fixed rate, each sender a new neighbour until the pool comes round;</li>
 * <li>20 REST readers: single-entry GETs, and whole-table reads, as pages (limit/cursor) and
 *     whole (a 503 {@code too-many-dumps} honoured);</li>
 * <li>5 subscribers of /api/v1/events, one of which reads one byte a second;</li>
 * <li>admin writes at 100/s: PERMANENT neighbours added and deleted, every acknowledged one
 *     checked present or absent at the end.</li>
 * </ul>
 * Checked, short or long: no acknowledged write lost; the heap bounded (neighd runs with
 * {@code -Xmx} = gc_thresh3 × 256 B + a fixed allowance and {@code ExitOnOutOfMemoryError}, and
 * must still be alive; the live heap after GC is printed); threads and descriptors flat (sampled
 * every second from /proc; the last quarter's peak no more than the first half's plus a
 * little); no reply lost to a full table; no engine failure; the slow subscriber cut off, the
 * others fed. ARP answered and the single-entry p99 are printed, and asserted against the pass
 * line (≥ 99.9 %, < 50 ms) only in the long run ({@code -Dneighd.soak.seconds} ≥ 300, or
 * {@code -Dneighd.soak.strict=true}): on the shared 2-core machine a short run's times are the
 * machine's, not neighd's.
 *
 * <p>{@code ./mvnw verify} runs 40 s; {@code -Dneighd.soak.seconds=600} is the recorded run
 * (docs/reliability.md). Root only (namespaces); skipped with the reason elsewhere, failed in CI.
 */
class SoakIT {
    private static final int SECONDS = Integer.getInteger("neighd.soak.seconds", 40);
    private static final int RATE = Integer.getInteger("neighd.soak.rate", 2000);
    private static final int SENDERS = Integer.getInteger("neighd.soak.senders", 1_000_000);
    private static final int READERS = 20;
    private static final int SUBSCRIBERS = 5;
    private static final boolean STRICT = Boolean.parseBoolean(
            System.getProperty("neighd.soak.strict", String.valueOf(SECONDS >= 300)));
    /** gc_thresh3: forced GC spares entries updated in the last 5 s, so the table must hold ~5 s of senders and more. */
    private static final int GC_THRESH3 = Integer.highestOneBit(RATE * 8 - 1) << 1;
    private static final int BYTES_PER_ENTRY = 256; // docs/performance.md: ≤ 256 B (174.7 B measured, INCOMPLETE)
    private static final long ALLOWANCE = 256L << 20; // the image's heap is 384 MiB
    private static final long HEAP_BOUND = (long) GC_THRESH3 * BYTES_PER_ENTRY + ALLOWANCE;
    private static final String OWN = "10.128.0.1";
    private static final String OWN_MAC = "02:50:00:00:00:01";
    private static final String SENDER_MAC = "02:51:00:00:00:00";

    @TempDir
    Path dir;

    private final String ns = LabEnvironment.PREFIX + "-soak";
    private final String peer = LabEnvironment.PREFIX + "-soakp";
    private SoakLoad load;
    private final List<Thread> threads = new ArrayList<>();

    @AfterEach
    void tearDown() throws Exception {
        if (load != null) {
            load.stop();
        }
        for (Thread t : threads) {
            t.interrupt();
            t.join(10_000);
        }
        sh("ip", "netns", "del", ns);
        sh("ip", "netns", "del", peer);
    }

    @Test
    void underFloodReadersStreamsAndWritesNeighdHolds() throws Exception {
        String skip = LabEnvironment.skipReason();
        assumeTrue(skip == null, skip);
        LabEnvironment.require();
        boolean gcc = sh("sh", "-c", "command -v gcc").rc() == 0;
        assertThat(gcc || !LabEnvironment.inCi()).as("gcc (apt-get install gcc libc6-dev) to build lab/arpbench.c")
                .isTrue();
        assumeTrue(gcc, "the soak builds lab/arpbench.c: apt-get install gcc libc6-dev");
        Path arpbench = dir.resolve("arpbench");
        sh("gcc", "-O2", "-Wall", "-o", arpbench.toString(), "lab/arpbench.c").orFail();
        buildLab();

        Path sysctl = dir.resolve("sysctl.conf");
        Files.writeString(sysctl, "net.ipv4.neigh.default.gc_thresh2 = " + GC_THRESH3 / 2 + "\n"
                + "net.ipv4.neigh.default.gc_thresh3 = " + GC_THRESH3 + "\n");
        try (RealJar neighd = new RealJar(dir.resolve("state.json"), Path.of("target", "soak-it.log"),
                "--neighd.sysctl-file=" + sysctl, "--neighd.conflicts.defend=false",
                // neighd's own view of the reads' times, to tell them from the machine's (the clients share it)
                "--management.metrics.distribution.percentiles-histogram.http.server.requests=true")) {
            neighd.jvm("-XX:+UseSerialGC", "-Xmx" + (HEAP_BOUND >> 20) + "m", "-XX:+ExitOnOutOfMemoryError",
                    "-XX:-UsePerfData");
            neighd.link("--neighd.interfaces[0].name=nd0", "--neighd.interfaces[0].netns=" + ns,
                    "--neighd.interfaces[0].addresses[0]=" + OWN + "/12");
            neighd.start();
            run(neighd, arpbench);
        }
    }

    private void run(RealJar neighd, Path arpbench) throws Exception {
        String base = "http://127.0.0.1:" + neighd.port();
        long frames = (long) RATE * SECONDS;
        System.out.printf("[soak] %d s: %d ARP requests/s from %,d distinct senders, %d readers, %d subscribers, "
                        + "%d writes/s; gc_thresh3 %d, -Xmx %d MiB (gc_thresh3 × %d B + %d MiB)%n", SECONDS, RATE,
                Math.min(frames, SENDERS), READERS, SUBSCRIBERS, WRITES_PER_SECOND, GC_THRESH3, HEAP_BOUND >> 20,
                BYTES_PER_ENTRY, ALLOWANCE >> 20);

        load = new SoakLoad((int) Math.min(frames, SENDERS));
        SoakLoad.Sampler sampler = load.new Sampler(neighd.pid(), base);
        List<SoakLoad.Writer> writers = new ArrayList<>();
        for (int i = 0; i < WRITERS; i++) {
            writers.add(load.new Writer(base, i));
        }
        List<SoakLoad.Reader> readers = new ArrayList<>();
        for (int i = 0; i < READERS; i++) {
            readers.add(load.new Reader(base, i));
        }
        List<SoakLoad.Subscriber> subscribers = new ArrayList<>();
        for (int i = 0; i < SUBSCRIBERS - 1; i++) {
            subscribers.add(load.new Subscriber(base));
        }
        SoakLoad.SlowSubscriber slow = load.new SlowSubscriber(neighd.port());
        start("soak-sampler", sampler::run);
        for (int i = 0; i < WRITERS; i++) {
            start("soak-writer-" + i, writers.get(i)::run);
        }
        for (int i = 0; i < readers.size(); i++) {
            start("soak-reader-" + i, readers.get(i)::run);
        }
        for (int i = 0; i < subscribers.size(); i++) {
            start("soak-subscriber-" + i, subscribers.get(i)::run);
        }
        start("soak-slow-subscriber", slow::run);

        Cmd flood = sh(Duration.ofSeconds(SECONDS + 90), "ip", "netns", "exec", peer, arpbench.toString(), "senders",
                "eth0", SENDER_MAC, SENDER_BASE, OWN, String.valueOf(frames), String.valueOf(SENDERS),
                String.valueOf(SECONDS + 30), String.valueOf(RATE), "2000");
        load.stop();
        for (Thread t : threads) {
            t.interrupt();
            t.join(15_000);
        }
        flood.orFail();
        assertThat(neighd.alive()).as("neighd alive under -Xmx%dm with ExitOnOutOfMemoryError:%n%s",
                HEAP_BOUND >> 20, neighd.tail()).isTrue();

        // --- the figures
        Map<String, String> arp = keyValues(flood.out());
        long sent = Long.parseLong(arp.get("sent"));
        long replies = Long.parseLong(arp.get("replies"));
        double answered = 100.0 * replies / sent;
        JsonNode stats = get(base, "/api/v1/stats").path("arp_cache");
        String prom = text(base, "/actuator/prometheus");
        long[] single = readers.stream().flatMapToLong(r -> r.latencies().stream().mapToLong(Long::longValue))
                .sorted().toArray();
        long dumps = readers.stream().mapToLong(r -> r.dumps).sum();
        long pages = readers.stream().mapToLong(r -> r.pages).sum();
        long busy = readers.stream().mapToLong(r -> r.tooMany).sum();
        long readErrors = readers.stream().mapToLong(r -> r.errors).sum();
        long events = subscribers.stream().mapToLong(s -> s.events.get()).sum();
        long reconnects = subscribers.stream().mapToLong(s -> s.streams.get()).sum() - subscribers.size();
        double p99 = single.length == 0 ? Double.NaN : single[(int) Math.ceil(single.length * 0.99) - 1] / 1e6;
        double p50 = single.length == 0 ? Double.NaN : single[single.length / 2] / 1e6;
        System.out.printf("[soak] ARP: %d sent (%.0f/s), %d answered = %.3f %%; rx_drops %s; table_fulls %d, "
                        + "forced_gc_runs %d, entries at the end %d%n", sent, Double.parseDouble(arp.get("send_pps")),
                replies, answered, arp.get("rx_drops"), stats.path("table_fulls").asLong(),
                stats.path("forced_gc_runs").asLong(), stats.path("entries").asLong());
        System.out.printf("[soak] REST: %d single-entry reads, p50 %.2f ms, p99 %.2f ms, max %.1f ms; %d whole dumps, "
                        + "%d pages, %d too-many-dumps, %d errors%n", single.length, p50, p99,
                single.length == 0 ? 0 : single[single.length - 1] / 1e6, dumps, pages, busy, readErrors);
        String one = "\\{[^}]*method=\"GET\"[^}]*uri=\"/api/v1/neighbours/\\{dev}/\\{ip}\"[^}]*}";
        System.out.printf("[soak] neighd's side of single-entry reads: %.0f, mean %.2f ms, p99 at most %.1f ms, max (last "
                        + "minutes) %.1f ms; "
                        + "GC pauses %.0f, %.2f s in all, longest (last minutes) %.0f ms%n",
                metric(prom, "http_server_requests_seconds_count" + one),
                1000 * metric(prom, "http_server_requests_seconds_sum" + one)
                        / Math.max(1, metric(prom, "http_server_requests_seconds_count" + one)),
                1000 * serverP99(prom), 1000 * metric(prom, "http_server_requests_seconds_max" + one),
                metric(prom, "jvm_gc_pause_seconds_count"), metric(prom, "jvm_gc_pause_seconds_sum"),
                1000 * maxOf(prom, "jvm_gc_pause_seconds_max"));
        System.out.printf("[soak] events: %d to the %d fast subscribers (%d reconnects); slow subscriber read %d "
                        + "bytes; cut off (overrun) %s%n", events, subscribers.size(), reconnects, slow.bytes.get(),
                metric(prom, "neighd_events_subscribers_cut_off_total\\{reason=\"overrun\"\\}"));
        System.out.printf("[soak] writes: %d acknowledged (%d adds, %d deletes; %.0f/s), %d not acknowledged%n",
                writers.stream().mapToLong(w -> w.acked).sum(), writers.stream().mapToLong(w -> w.adds).sum(),
                writers.stream().mapToLong(w -> w.deletes).sum(),
                writers.stream().mapToLong(w -> w.acked).sum() / (double) SECONDS,
                writers.stream().mapToLong(w -> w.unacked).sum());
        System.out.printf("[soak] heap: -Xmx %d MiB; used at most %d MiB; live after GC at most %d MiB; "
                        + "threads %s; descriptors %s%n", HEAP_BOUND >> 20, sampler.maxHeap >> 20,
                sampler.maxLive >> 20, sampler.range(sampler.threads), sampler.range(sampler.fds));

        // --- correctness, every run
        long checked = 0;
        List<String> lost = new ArrayList<>();
        for (SoakLoad.Writer w : writers) {
            checked += w.verify(lost);
        }
        System.out.printf("[soak] writes: %d addresses checked at the end, %d lost%n", checked, lost.size());
        assertThat(writers.stream().mapToLong(w -> w.acked).sum()).as("acknowledged writes").isPositive();
        assertThat(lost).as("acknowledged writes lost").isEmpty();
        assertThat(metric(prom, "neighd_engine_failures_total")).as("engine failures").isZero();
        assertThat(stats.path("table_fulls").asLong()).as("replies lost to a full table (gc_thresh3 %d)", GC_THRESH3)
                .isZero();
        assertThat(sampler.maxLive).as("live heap after GC").isLessThanOrEqualTo(HEAP_BOUND);
        sampler.assertFlat();
        assertThat(metric(prom, "neighd_events_subscribers_cut_off_total\\{reason=\"overrun\"\\}"))
                .as("the subscriber reading a byte a second is cut off, not buffered for").isGreaterThanOrEqualTo(1);
        assertThat(events).as("the fast subscribers were fed").isPositive();
        assertThat(single.length).as("single-entry reads answered").isPositive();
        assertThat(dumps + pages).as("whole-table reads answered").isPositive();
        assertThat(replies).as("ARP answered at all").isPositive();
        // --- the pass line on times, in the long run
        if (STRICT) {
            assertThat(answered).as("ARP answered, %").isGreaterThanOrEqualTo(99.9);
            assertThat(p99).as("single-entry read p99, ms").isLessThan(50.0);
        }
    }

    // ------------------------------------------------------------------ the lab

    /** Two namespaces of this test's own joined by one veth: nd0 (neighd's) and eth0 (the flood's). */
    private void buildLab() {
        sh("ip", "netns", "del", ns);
        sh("ip", "netns", "del", peer);
        sh("ip", "netns", "add", ns).orFail();
        sh("ip", "netns", "add", peer).orFail();
        sh("ip", "-n", ns, "link", "add", "nd0", "address", OWN_MAC, "type", "veth", "peer", "name", "eth0",
                "netns", peer).orFail();
        sh("ip", "-n", ns, "link", "set", "nd0", "arp", "off", "up").orFail();
        sh("ip", "-n", peer, "link", "set", "eth0", "arp", "off", "up").orFail();
    }

    private void start(String name, Runnable r) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        threads.add(t);
        t.start();
    }

    // ------------------------------------------------------------------ the clients

    private static Map<String, String> keyValues(String line) {
        Map<String, String> m = new ConcurrentHashMap<>();
        for (String kv : line.strip().split("\\s+")) {
            int eq = kv.indexOf('=');
            if (eq > 0) {
                m.put(kv.substring(0, eq), kv.substring(eq + 1));
            }
        }
        return m;
    }

    // ------------------------------------------------------------------ commands

    private record Cmd(int rc, String out, String err, List<String> argv) {
        Cmd orFail() {
            assertThat(rc).as("%s: %s %s", argv, out, err).isZero();
            return this;
        }
    }

    private static Cmd sh(String... argv) {
        return sh(Duration.ofSeconds(60), argv);
    }

    private static Cmd sh(Duration timeout, String... argv) {
        try {
            Process p = new ProcessBuilder(argv).start();
            p.getOutputStream().close();
            var out = new java.util.concurrent.CompletableFuture<String>();
            var err = new java.util.concurrent.CompletableFuture<String>();
            daemon(() -> out.complete(read(p.getInputStream())));
            daemon(() -> err.complete(read(p.getErrorStream())));
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                return new Cmd(-1, "", "timed out after " + timeout, Arrays.asList(argv));
            }
            return new Cmd(p.exitValue(), out.get(10, TimeUnit.SECONDS), err.get(10, TimeUnit.SECONDS),
                    Arrays.asList(argv));
        } catch (Exception e) {
            return new Cmd(-1, "", e.toString(), Arrays.asList(argv));
        }
    }

    private static void daemon(Runnable r) {
        Thread t = new Thread(r, "soak-cmd-output");
        t.setDaemon(true);
        t.start();
    }

    private static String read(InputStream in) {
        try {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }
}
