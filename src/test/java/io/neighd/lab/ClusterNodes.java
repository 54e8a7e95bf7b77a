package io.neighd.lab;

import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Three neighd processes (the packaged jar, each its own JVM, as on three hosts) on segment 0 of
 * the lab, each with its own port {@code nd0} in a namespace {@code <prefix>-c<i>} plugged into
 * the segment's bridge, owning 10.77.0.(1+i) and standing for the elected address 10.77.0.100
 * — or, for the IPv6 run, owning fd77::c(i) as well and standing for fd77::100 — with one
 * ownership store: fabric8's kubernetes-server-mock in CRUD mode (a stand-in for an API
 * server, in this JVM) or a real etcd (one member, started here). Each node reaches its store
 * through its own {@link TcpProxy}, so that one node can be cut off from it.
 */
final class ClusterNodes implements AutoCloseable {
    static final String VIP = "10.77.0.100";
    static final String VIP6 = "fd77::100";
    static final int NODES = 3;
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String TOKEN = "cluster-lab-token";

    final Lab lab;
    final String backend;
    /** The elected address of this run (without prefix). */
    final String vip;
    private final Path dir;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final Process[] nodes = new Process[NODES + 1];
    private final int[] ports = new int[NODES + 1];
    private final TcpProxy[] proxies = new TcpProxy[NODES + 1];
    private KubernetesMockServer k8s;
    private Process etcd;

    ClusterNodes(Lab lab, String backend) throws IOException {
        this(lab, backend, VIP);
    }

    ClusterNodes(Lab lab, String backend, String vip) throws IOException {
        this.lab = lab;
        this.backend = backend;
        this.vip = vip;
        this.dir = Files.createTempDirectory("neighd-cluster-lab-");
        int storePort = startStore();
        for (int i = 1; i <= NODES; i++) {
            String ns = ns(i);
            Cmd.run(Lab.CMD_TIMEOUT, List.of("ip", "netns", "add", ns)).orFail();
            lab.exec(ns, "sysctl", "-qw", "net.ipv6.conf.all.disable_ipv6=1", "net.ipv6.conf.default.disable_ipv6=1");
            lab.ip(ns, "link", "set", "lo", "up");
            lab.ip(lab.sw(), "link", "add", "v-c" + i, "type", "veth", "peer", "name", "nd0", "netns", ns);
            lab.ip(lab.sw(), "link", "set", "v-c" + i, "master", "br-nd-0", "up");
            lab.ip(ns, "link", "set", "nd0", "address", mac(i), "arp", "off", "up");
            proxies[i] = new TcpProxy(storePort);
            ports[i] = freePort();
        }
    }

    static String ns(int i) {
        return LabEnvironment.PREFIX + "-c" + i;
    }

    static String mac(int i) {
        return String.format("02:4e:44:c0:00:%02x", i);
    }

    static String ownIp(int i) {
        return "10.77.0." + (1 + i);
    }

    /** Node {@code i}'s own IPv6 address in the lab's fd77::/64 (the peers are fd77::1x). */
    static String ownIp6(int i) {
        return "fd77::c" + i;
    }

    private boolean ipv6() {
        return vip.indexOf(':') >= 0;
    }

    private int startStore() throws IOException {
        if (backend.equals("kubernetes")) {
            var responses = new HashMap<io.fabric8.mockwebserver.ServerRequest,
                    java.util.Queue<io.fabric8.mockwebserver.ServerResponse>>();
            k8s = new KubernetesMockServer(new Context(), new MockWebServer(), responses,
                    new KubernetesMixedDispatcher(responses), false);
            k8s.init(java.net.InetAddress.getLoopbackAddress(), 0);
            return k8s.getPort();
        }
        String bin = new File("/usr/bin/etcd").canExecute() ? "/usr/bin/etcd" : null;
        org.junit.jupiter.api.Assumptions.assumeTrue(bin != null,
                "etcd is not installed (Debian: apt-get install etcd-server; .ci/run does)");
        int client = freePort();
        int peer = freePort();
        etcd = new ProcessBuilder(bin, "--name", "lab", "--data-dir", dir.resolve("etcd").toString(),
                "--listen-client-urls", "http://127.0.0.1:" + client, "--advertise-client-urls", "http://127.0.0.1:" + client,
                "--listen-peer-urls", "http://127.0.0.1:" + peer, "--initial-advertise-peer-urls", "http://127.0.0.1:" + peer,
                "--initial-cluster", "lab=http://127.0.0.1:" + peer, "--log-level", "error", "--logger", "zap")
                .redirectErrorStream(true).redirectOutput(dir.resolve("etcd.log").toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (System.nanoTime() < deadline) {
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + client
                        + "/v3/kv/range")).POST(HttpRequest.BodyPublishers.ofString("{\"key\":\"AA==\"}")).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return client;
                }
            } catch (IOException | InterruptedException e) {
                Lab.sleep(100);
            }
        }
        throw new IllegalStateException("etcd did not start: see " + dir.resolve("etcd.log"));
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static Path jar() {
        File[] jars = LabEnvironment.projectDir().resolve("target").toFile()
                .listFiles((d, n) -> n.startsWith("neighd-") && n.endsWith(".jar") && !n.endsWith("-plain.jar"));
        if (jars == null || jars.length == 0) {
            throw new IllegalStateException("target/neighd-*.jar is missing: run through ./mvnw verify (after package)");
        }
        return jars[0].toPath();
    }

    /** Starts node {@code i} (its JVM) and waits until its API answers. */
    void start(int i) {
        List<String> cmd = new ArrayList<>(List.of(System.getProperty("java.home") + "/bin/java", "-Xmx192m",
                "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xshare:auto", "-jar", jar().toString(),
                "--server.port=" + ports[i], "--server.address=127.0.0.1", "--spring.main.banner-mode=off",
                "--logging.level.root=WARN",
                "--logging.level.io.neighd.cluster=" + System.getProperty("neighd.cluster.nodeLogLevel", "INFO"),
                "--logging.level.io.neighd.service=INFO",
                "--neighd.state-file=" + dir.resolve("state-" + i + ".json"), "--neighd.api.token=" + TOKEN,
                "--neighd.interfaces[0].name=nd0", "--neighd.interfaces[0].netns=" + ns(i),
                "--neighd.interfaces[0].addresses[0]=" + ownIp(i) + "/24",
                "--neighd.cluster.enabled=true", "--neighd.cluster.backend=" + backend,
                "--neighd.cluster.node-name=node-" + i,
                "--neighd.vips[0].address=" + vip + (ipv6() ? "/64" : "/24")));
        if (ipv6()) {
            cmd.add("--neighd.interfaces[0].addresses[1]=" + ownIp6(i) + "/64");
        }
        if (backend.equals("kubernetes")) {
            cmd.add("--neighd.cluster.kubernetes.master-url=http://127.0.0.1:" + proxies[i].port());
            cmd.add("--neighd.cluster.kubernetes.namespace=neighd-lab");
        } else {
            cmd.add("--neighd.cluster.etcd.endpoints[0]=http://127.0.0.1:" + proxies[i].port());
        }
        try {
            nodes[i] = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("node-" + i + ".log").toFile())).start();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    void awaitUp(int i) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            if (!nodes[i].isAlive()) {
                throw new IllegalStateException("node-" + i + " exited " + nodes[i].exitValue() + ": " + lastLines(i));
            }
            if (vip(i) != null) {
                return;
            }
            Lab.sleep(100);
        }
        throw new IllegalStateException("node-" + i + " did not answer within 60 s: " + lastLines(i));
    }

    /** The end of a node's log, for a failure message (the directory goes when the test ends). */
    private String lastLines(int i) {
        try {
            List<String> l = Files.readAllLines(dir.resolve("node-" + i + ".log"));
            return String.join(" | ", l.subList(Math.max(0, l.size() - 4), l.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    void startAll() {
        for (int i = 1; i <= NODES; i++) {
            start(i);
        }
        for (int i = 1; i <= NODES; i++) {
            awaitUp(i);
        }
        // an owner, and every other node watching its lease: a release reaches them as it happens
        awaitStandbysWatching();
    }

    boolean alive(int i) {
        return nodes[i] != null && nodes[i].isAlive();
    }

    /** GET /api/v1/vips/{vip} on node {@code i}; null if it does not answer. */
    JsonNode vip(int i) {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + ports[i]
                    + "/api/v1/vips/" + vip)).timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 ? JSON.readTree(r.body()) : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** Whether node {@code i}'s store watch is established (GET /api/v1/vips). */
    boolean watching(int i) {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + ports[i]
                    + "/api/v1/vips")).timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 && JSON.readTree(r.body()).path("watching").asBoolean(false);
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    int post(int i, String path) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + ports[i] + path))
                    .timeout(Duration.ofSeconds(5)).header("Authorization", "Bearer " + TOKEN)
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** The nodes that say they answer for the address now. */
    List<Integer> answering() {
        List<Integer> out = new ArrayList<>();
        for (int i = 1; i <= NODES; i++) {
            if (alive(i)) {
                JsonNode v = vip(i);
                if (v != null && v.path("answering").asBoolean(false)) {
                    out.add(i);
                }
            }
        }
        return out;
    }

    /** Waits until exactly one node answers, other than {@code not}; its index, or -1. */
    int awaitOwner(int not, long timeoutMs) {
        long deadline = System.nanoTime() + timeoutMs * 1_000_000L;
        while (System.nanoTime() < deadline) {
            List<Integer> a = answering();
            if (a.size() == 1 && a.get(0) != not) {
                return a.get(0);
            }
            Lab.sleep(20);
        }
        return -1;
    }

    /** Waits until every running node has seen the lease (a standby knows whom it waits for). */
    void awaitStandbysWatching() {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            boolean all = true;
            for (int i = 1; i <= NODES && all; i++) {
                if (alive(i)) {
                    JsonNode v = vip(i);
                    all = v != null && (v.path("answering").asBoolean(false) || v.hasNonNull("holder") && watching(i));
                }
            }
            if (all) {
                return;
            }
            Lab.sleep(50);
        }
        throw new AssertionError("not every running node owns the address or watches its lease within 30 s");
    }

    void kill(int i) {
        nodes[i].destroyForcibly();
        waitFor(i);
    }

    void terminate(int i) {
        nodes[i].destroy();
        waitFor(i);
    }

    private void waitFor(int i) {
        try {
            nodes[i].waitFor(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    void linkDown(int i) {
        lab.ip(ns(i), "link", "set", "nd0", "down");
    }

    void linkUp(int i) {
        lab.ip(ns(i), "link", "set", "nd0", "up");
    }

    void cutStore(int i) {
        proxies[i].cut();
    }

    void restoreStore(int i) {
        proxies[i].restore();
    }

    @Override
    public void close() {
        for (int i = 1; i <= NODES; i++) {
            if (nodes[i] != null) {
                nodes[i].destroyForcibly();
                waitFor(i);
            }
            if (proxies[i] != null) {
                proxies[i].close();
            }
            Cmd.run(Lab.CMD_TIMEOUT, List.of("ip", "netns", "del", ns(i)));
            lab.tryIp(lab.sw(), "link", "del", "v-c" + i);
        }
        if (k8s != null) {
            k8s.destroy();
        }
        if (etcd != null) {
            etcd.destroyForcibly();
            try {
                etcd.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (!Boolean.getBoolean("neighd.cluster.keepLogs")) {
            try (var walk = Files.walk(dir)) {
                walk.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            } catch (IOException e) {
                // temporary files
            }
        } else {
            System.out.println("[cluster] logs kept in " + dir);
        }
    }
}
