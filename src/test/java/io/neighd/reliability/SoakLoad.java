package io.neighd.reliability;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The soak's clients of neighd's API ({@link SoakIT}): writers, readers, event subscribers and
 * the sampler of neighd's threads, descriptors and heap. Each runs on a thread of its own until
 * {@link #stop()}.
 */
final class SoakLoad {
    static final int WRITES_PER_SECOND = 100;
    /** Writers at once: a write waits for its fsync, so one writer alone cannot keep 100/s. */
    static final int WRITERS = 20;
    static final String SENDER_BASE = "10.128.0.2";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private volatile boolean running = true;
    /** How many flood senders the readers ask for (those sent so far, at most). */
    private final int senderPool;

    SoakLoad(int senderPool) {
        this.senderPool = Math.max(1, senderPool);
    }

    void stop() {
        running = false;
    }

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    static HttpResponse<String> send(String base, String method, String path, String json)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30))
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(json));
        if (!method.equals("GET")) {
            b.header("Authorization", "Bearer " + RealJar.TOKEN);
        }
        if (json != null) {
            b.header("Content-Type", "application/json");
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static String text(String base, String path) throws IOException, InterruptedException {
        return send(base, "GET", path, null).body();
    }

    static JsonNode get(String base, String path) throws IOException, InterruptedException {
        return JSON.readTree(text(base, path));
    }

    static double metric(String prom, String series) {
        double sum = 0;
        Matcher m = Pattern.compile("(?m)^" + series + "(?:\\{[^}]*})? ([0-9.eE+-]+)$").matcher(prom);
        while (m.find()) {
            sum += Double.parseDouble(m.group(1));
        }
        return sum;
    }

    /** The upper bound of the histogram bucket that holds neighd's 99th percentile of single-entry reads, in s. */
    static double serverP99(String prom) {
        java.util.TreeMap<Double, Double> buckets = new java.util.TreeMap<>();
        Matcher m = Pattern.compile("(?m)^http_server_requests_seconds_bucket\\{(.*)} ([0-9.eE+-]+)$").matcher(prom);
        while (m.find()) {
            String labels = m.group(1);
            Matcher le = Pattern.compile("le=\"([^\"]+)\"").matcher(labels);
            if (labels.contains("method=\"GET\"") && labels.contains("uri=\"/api/v1/neighbours/{dev}/{ip}\"")
                    && le.find()) {
                double bound = le.group(1).equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(le.group(1));
                buckets.merge(bound, Double.parseDouble(m.group(2)), Double::sum);
            }
        }
        if (buckets.isEmpty()) {
            return Double.NaN;
        }
        double total = buckets.lastEntry().getValue();
        for (Map.Entry<Double, Double> b : buckets.entrySet()) {
            if (b.getValue() >= 0.99 * total) {
                return b.getKey();
            }
        }
        return Double.NaN;
    }

    static double maxOf(String prom, String series) {
        double max = 0;
        Matcher m = Pattern.compile("(?m)^" + series + "(?:\\{[^}]*})? ([0-9.eE+-]+)$").matcher(prom);
        while (m.find()) {
            max = Math.max(max, Double.parseDouble(m.group(1)));
        }
        return max;
    }

    /**
     * One of the writers, WRITES_PER_SECOND / WRITERS a second over addresses of its own (so that
     * each address's writes are in order); what was acknowledged last is what must read back.
     */
    final class Writer {
        private final String base;
        private final int index;
        /** address -> lladdr acknowledged present, or "" acknowledged absent; unknown ones removed. */
        private final Map<String, String> acknowledged = new HashMap<>();
        private final SplittableRandom random;
        long acked, adds, deletes, unacked;

        Writer(String base, int index) {
            this.base = base;
            this.index = index;
            this.random = new SplittableRandom(20261205 + index);
        }

        /** Its k-th address of 250: 5,000 in all, 10.99.0.0-10.99.19.135. */
        String address(int k) {
            int i = k * WRITERS + index;
            return "10.99." + (i >> 8) + "." + (i & 255);
        }

        void run() {
            long t0 = System.nanoTime();
            long n = 0;
            while (running) {
                long due = t0 + n * 1_000_000_000L * WRITERS / WRITES_PER_SECOND;
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    try {
                        TimeUnit.NANOSECONDS.sleep(wait);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                n++;
                String dst = address(random.nextInt(250));
                String have = acknowledged.get(dst);
                boolean add = have == null || have.isEmpty();
                String mac = String.format("02:99:%02x:%02x:%02x:%02x", index, (n >> 16) & 255,
                        (n >> 8) & 255, n & 255);
                try {
                    HttpResponse<String> r = add
                            ? send(base, "PUT", "/api/v1/neighbours/nd0/" + dst,
                            "{\"lladdr\":\"" + mac + "\",\"state\":\"permanent\"}")
                            : send(base, "DELETE", "/api/v1/neighbours/nd0/" + dst, null);
                    if (r.statusCode() / 100 == 2) {
                        acknowledged.put(dst, add ? mac : "");
                        acked++;
                        if (add) {
                            adds++;
                        } else {
                            deletes++;
                        }
                    } else {
                        acknowledged.remove(dst);
                        unacked++;
                    }
                } catch (IOException e) {
                    acknowledged.remove(dst);
                    unacked++;
                } catch (InterruptedException e) {
                    acknowledged.remove(dst); // cut off: may or may not have been applied
                    return;
                }
            }
        }

        /** Adds what it finds lost to {@code lost}; returns how many addresses it checked. */
        int verify(List<String> lost) throws Exception {
            for (Map.Entry<String, String> e : acknowledged.entrySet()) {
                HttpResponse<String> r = send(base, "GET", "/api/v1/neighbours/nd0/" + e.getKey(), null);
                boolean present = r.statusCode() == 200
                        && JSON.readTree(r.body()).path("lladdr").asString().equals(e.getValue())
                        && JSON.readTree(r.body()).path("state").toString().contains("PERMANENT");
                boolean absent = r.statusCode() == 404;
                if (e.getValue().isEmpty() ? !absent : !present) {
                    lost.add(e.getKey() + " acknowledged " + (e.getValue().isEmpty() ? "absent" : e.getValue())
                            + ", reads " + r.statusCode() + " " + r.body());
                }
            }
            return acknowledged.size();
        }
    }

    /** Single-entry reads, and every 25th a whole-table read: pages of 1,000, or whole. */
    final class Reader {
        private final String base;
        private final SplittableRandom random;
        private final List<Long> latencies = new ArrayList<>();
        long dumps, pages, tooMany, errors;

        Reader(String base, int i) {
            this.base = base;
            this.random = new SplittableRandom(i);
        }

        synchronized List<Long> latencies() {
            return new ArrayList<>(latencies);
        }

        void run() {
            long n = 0;
            while (running) {
                try {
                    n++;
                    if (n % 25 == 0) {
                        if ((n / 25) % 2 == 0) {
                            walk();
                        } else {
                            whole();
                        }
                    } else {
                        String dst = random.nextBoolean() ? "10.99." + random.nextInt(20) + "." + random.nextInt(256)
                                : sender(random.nextInt(senderPool));
                        long t0 = System.nanoTime();
                        HttpResponse<String> r = send(base, "GET", "/api/v1/neighbours/nd0/" + dst, null);
                        long t = System.nanoTime() - t0;
                        if (r.statusCode() == 200 || r.statusCode() == 404) {
                            synchronized (this) {
                                latencies.add(t);
                            }
                        } else {
                            errors++;
                        }
                    }
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    return;
                } catch (IOException e) {
                    if (running) {
                        errors++;
                    }
                }
            }
        }

        private void whole() throws IOException, InterruptedException {
            HttpResponse<String> r = send(base, "GET", "/api/v1/neighbours", null);
            if (r.statusCode() == 200) {
                dumps++;
            } else if (r.statusCode() == 503) {
                tooMany++;
            } else {
                errors++;
            }
        }

        private void walk() throws IOException, InterruptedException {
            String cursor = null;
            do {
                HttpResponse<String> r = send(base, "GET", "/api/v1/neighbours?limit=1000"
                        + (cursor == null ? "" : "&cursor=" + cursor), null);
                if (r.statusCode() != 200) {
                    errors++;
                    return;
                }
                pages++;
                cursor = r.headers().firstValue("Neighd-Next-Cursor").orElse(null);
            } while (cursor != null && running);
        }
    }

    private static String sender(int k) {
        String[] p = SENDER_BASE.split("\\.");
        long v = (Long.parseLong(p[0]) << 24 | Long.parseLong(p[1]) << 16 | Long.parseLong(p[2]) << 8
                | Long.parseLong(p[3])) + k;
        return (v >> 24 & 255) + "." + (v >> 16 & 255) + "." + (v >> 8 & 255) + "." + (v & 255);
    }

    /** A subscriber reading as fast as it can; cut off, it subscribes again. */
    final class Subscriber {
        private final String base;
        final AtomicLong events = new AtomicLong();
        final AtomicLong streams = new AtomicLong();

        Subscriber(String base) {
            this.base = base;
        }

        void run() {
            while (running) {
                try {
                    HttpResponse<InputStream> r = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/events"))
                            .GET().build(), HttpResponse.BodyHandlers.ofInputStream());
                    streams.incrementAndGet();
                    try (BufferedReader in = new BufferedReader(new InputStreamReader(r.body(),
                            StandardCharsets.UTF_8))) {
                        String line;
                        while (running && (line = in.readLine()) != null) {
                            if (line.startsWith("event:")) {
                                events.incrementAndGet();
                            }
                        }
                    }
                } catch (InterruptedException e) {
                    return;
                } catch (IOException e) {
                    if (!running) {
                        return;
                    }
                }
            }
        }
    }

    /** A subscriber reading one byte a second, on a socket with a small receive buffer. */
    final class SlowSubscriber {
        private final int port;
        final AtomicLong bytes = new AtomicLong();

        SlowSubscriber(int port) {
            this.port = port;
        }

        void run() {
            try (Socket s = new Socket()) {
                s.setReceiveBufferSize(4096);
                s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
                OutputStream out = s.getOutputStream();
                out.write(("GET /api/v1/events HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                out.flush();
                InputStream in = s.getInputStream();
                while (running && in.read() >= 0) {
                    bytes.incrementAndGet();
                    Thread.sleep(1000);
                }
            } catch (IOException | InterruptedException e) {
                // the soak is over
            }
        }
    }

    /** Threads, descriptors (/proc) and heap (its metrics) of neighd, every second. */
    final class Sampler {
        private final long pid;
        private final String base;
        final List<Integer> threads = Collections.synchronizedList(new ArrayList<>());
        final List<Integer> fds = Collections.synchronizedList(new ArrayList<>());
        volatile long maxHeap;
        volatile long maxLive;

        Sampler(long pid, String base) {
            this.pid = pid;
            this.base = base;
        }

        void run() {
            long n = 0;
            while (running) {
                try {
                    String status = Files.readString(Path.of("/proc/" + pid + "/status"));
                    Matcher m = Pattern.compile("(?m)^Threads:\\s+(\\d+)").matcher(status);
                    if (m.find()) {
                        threads.add(Integer.parseInt(m.group(1)));
                    }
                    try (Stream<Path> f = Files.list(Path.of("/proc/" + pid + "/fd"))) {
                        fds.add((int) f.count());
                    }
                    if (n++ % 5 == 0) {
                        String prom = text(base, "/actuator/prometheus");
                        maxHeap = Math.max(maxHeap, (long) metric(prom, "jvm_memory_used_bytes\\{area=\"heap\"[^}]*}"));
                        maxLive = Math.max(maxLive, (long) metric(prom, "jvm_gc_live_data_size_bytes"));
                    }
                    Thread.sleep(1000);
                } catch (InterruptedException e) {
                    return;
                } catch (IOException e) {
                    // neighd gone: the alive check says so
                }
            }
        }

        /**
         * The last quarter's peak is at most the first half's plus a little: the pools grow to the
         * clients while they start, and a leak (a thread or a descriptor per request, per write, per
         * stream) would go on growing after.
         */
        void assertFlat() {
            check("threads", new ArrayList<>(threads), 6);
            check("descriptors", new ArrayList<>(fds), 12);
        }

        private void check(String what, List<Integer> s, int slack) {
            assertThat(s.size()).as("%s samples", what).isGreaterThanOrEqualTo(8);
            int q = s.size() / 4;
            int firstHalf = s.subList(0, 2 * q).stream().mapToInt(Integer::intValue).max().orElseThrow();
            int last = s.subList(s.size() - q, s.size()).stream().mapToInt(Integer::intValue).max().orElseThrow();
            assertThat(last).as("%s: peak of the last quarter vs the first half (%s)", what, s).isLessThanOrEqualTo(
                    firstHalf + slack);
        }

        String range(List<Integer> s) {
            List<Integer> c = new ArrayList<>(s);
            return c.isEmpty() ? "none" : c.get(0) + " at the start, " + Collections.min(c) + "-" + Collections.max(c)
                    + ", " + c.get(c.size() - 1) + " at the end (" + c.size() + " samples)";
        }
    }

}
