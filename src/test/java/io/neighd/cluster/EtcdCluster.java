package io.neighd.cluster;

import org.junit.jupiter.api.Assumptions;

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
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real etcd cluster (Debian's etcd-server) of {@code n} members on loopback ports, each its own
 * process with its own data directory, started by the test and stopped (and its files removed)
 * when closed. {@code .ci/run} installs etcd-server; without it the tests that need it are skipped
 * with that reason.
 */
final class EtcdCluster implements AutoCloseable {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    final List<URI> clients = new ArrayList<>();
    private final List<String> names = new ArrayList<>();
    private final List<String> command = new ArrayList<>();
    private final List<Process> processes = new ArrayList<>();
    private final List<List<String>> commands = new ArrayList<>();
    private final Path dir;

    static String binary() {
        for (String p : List.of("/usr/bin/etcd", "/usr/local/bin/etcd")) {
            if (new File(p).canExecute()) {
                return p;
            }
        }
        return null;
    }

    static EtcdCluster start(int n) throws IOException {
        String etcd = binary();
        Assumptions.assumeTrue(etcd != null, "etcd is not installed (Debian: apt-get install etcd-server; .ci/run does)");
        return new EtcdCluster(etcd, n);
    }

    private EtcdCluster(String etcd, int n) throws IOException {
        dir = Files.createTempDirectory("neighd-etcd-");
        List<Integer> peerPorts = new ArrayList<>();
        StringBuilder initial = new StringBuilder();
        for (int i = 0; i < n; i++) {
            int client = freePort();
            int peer = freePort();
            clients.add(URI.create("http://127.0.0.1:" + client));
            peerPorts.add(peer);
            names.add("m" + i);
            initial.append(i == 0 ? "" : ",").append("m").append(i).append("=http://127.0.0.1:").append(peer);
        }
        for (int i = 0; i < n; i++) {
            commands.add(List.of(etcd, "--name", names.get(i), "--data-dir", dir.resolve(names.get(i)).toString(),
                    "--listen-client-urls", clients.get(i).toString(), "--advertise-client-urls", clients.get(i).toString(),
                    "--listen-peer-urls", "http://127.0.0.1:" + peerPorts.get(i),
                    "--initial-advertise-peer-urls", "http://127.0.0.1:" + peerPorts.get(i),
                    "--initial-cluster", initial.toString(), "--initial-cluster-token", "neighd-test-" + dir.getFileName(),
                    "--initial-cluster-state", "new", "--log-level", "error", "--logger", "zap"));
            processes.add(null);
            launch(i);
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (leader() < 0) {
            if (System.nanoTime() > deadline) {
                close();
                throw new IllegalStateException("etcd cluster did not elect a leader within 20 s");
            }
            sleep(100);
        }
    }

    private void launch(int i) throws IOException {
        processes.set(i, new ProcessBuilder(commands.get(i)).redirectErrorStream(true)
                .redirectOutput(dir.resolve(names.get(i) + ".log").toFile()).start());
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** The index of the member that is raft leader, as the members themselves report; -1 if none yet. */
    int leader() {
        for (int i = 0; i < clients.size(); i++) {
            if (processes.get(i) == null || !processes.get(i).isAlive()) {
                continue;
            }
            try {
                HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(clients.get(i).resolve("/v3/maintenance/status"))
                        .timeout(Duration.ofSeconds(1)).POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
                        HttpResponse.BodyHandlers.ofString());
                String body = r.body();
                String member = field(body, "member_id");
                String leader = field(body, "leader");
                if (member != null && member.equals(leader)) {
                    return i;
                }
            } catch (IOException e) {
                // not up yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return -1;
            }
        }
        return -1;
    }

    private static String field(String json, String name) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"" + name + "\":\"(\\d+)\"").matcher(json);
        return m.find() ? m.group(1) : null;
    }

    /** kill -9 of member {@code i}. */
    void kill(int i) {
        Process p = processes.get(i);
        p.destroyForcibly();
        try {
            p.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The client URLs with member {@code first} first: the member a store talks to. */
    List<URI> endpointsFrom(int first) {
        List<URI> out = new ArrayList<>();
        for (int i = 0; i < clients.size(); i++) {
            out.add(clients.get((first + i) % clients.size()));
        }
        return out;
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        for (Process p : processes) {
            if (p != null) {
                p.destroyForcibly();
            }
        }
        for (Process p : processes) {
            try {
                if (p != null) {
                    p.waitFor(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        try (var walk = Files.walk(dir)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException e) {
            // temporary files: best effort
        }
    }
}
