package io.neighd.lab;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README's zero-setup command, {@code sudo lab/ndlab.sh run}, as a newcomer runs it (with
 * two segments, its own prefix and port): the lab comes up, neighd starts on it through {@code
 * ./mvnw spring-boot:run} with the {@code lab} profile, the peers' traffic reaches it, and a
 * SIGTERM (what {@code kill} sends; Ctrl-C is an INT handled the same way) stops neighd and
 * leaves no namespace behind.
 */
class LabRunIT {
    private static final Duration READY_TIMEOUT = Duration.ofMinutes(3);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @Test
    void runStartsNeighdOnTheLabAndATermTakesEverythingDown() throws Exception {
        LabEnvironment.require();
        String prefix = LabEnvironment.PREFIX.substring(0, Math.min(7, LabEnvironment.PREFIX.length())) + "run";
        int port = freePort();
        Path dir = LabEnvironment.projectDir();
        Path log = dir.resolve("target/lab-run-it.log");
        Files.createDirectories(log.getParent());
        ProcessBuilder pb = new ProcessBuilder("bash", "lab/ndlab.sh", "run", "--segments", "2")
                .directory(dir.toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("NDLAB_PREFIX", prefix);
        pb.environment().put("NDLAB_PORT", String.valueOf(port));
        pb.environment().put("NDLAB_RUN_SECONDS", "300");
        Process run = pb.start();
        try {
            awaitReady(run, port, log);

            String peer = prefix + "-nd-s1p1";
            Cmd.Result arping = Cmd.run(Lab.CMD_TIMEOUT, List.of("ip", "netns", "exec", peer,
                    "arping", "-I", "eth0", "-c", "2", "-w", "5", Lab.ownIp(1)));
            assertThat(arping.out()).as(arping.out())
                    .contains("Unicast reply from " + Lab.ownIp(1) + " [" + Lab.portMac(1).toUpperCase() + "]");
            String neighbours = get(port, "/api/v1/neighbours");
            assertThat(neighbours).as("the peer that arpinged nd1").contains("\"dst\":\"" + Lab.peerIp(1, 1) + "\"");

            long t0 = System.nanoTime();
            run.destroy(); // SIGTERM
            assertThat(run.waitFor(60, TimeUnit.SECONDS)).as("run ends after SIGTERM").isTrue();
            System.out.printf("[lab-run] stopped %d ms after SIGTERM%n", (System.nanoTime() - t0) / 1_000_000);
            assertThat(run.exitValue()).isEqualTo(143);
            assertThat(namespaces(prefix)).as("namespaces left by run (log: %s)", log).isEmpty();
            assertThat(reachable(port)).as("neighd stopped").isFalse();
        } finally {
            if (run.isAlive()) {
                run.destroyForcibly();
                run.waitFor(10, TimeUnit.SECONDS);
            }
            if (!namespaces(prefix).isEmpty()) {
                Cmd.run(Lab.CMD_TIMEOUT, List.of("bash", dir.resolve("lab/ndlab.sh").toString(), "down"),
                        java.util.Map.of("NDLAB_PREFIX", prefix));
            }
        }
    }

    private static void awaitReady(Process run, int port, Path log) throws Exception {
        long end = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (true) {
            if (!run.isAlive()) {
                throw new AssertionError("lab/ndlab.sh run exited " + run.exitValue() + " before neighd was ready:\n"
                        + tail(log));
            }
            try {
                if (get(port, "/actuator/health/readiness").contains("\"UP\"")) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            if (System.nanoTime() > end) {
                throw new AssertionError("neighd not ready after " + READY_TIMEOUT + ":\n" + tail(log));
            }
            Thread.sleep(500);
        }
    }

    private static String get(int port, String path) throws IOException, InterruptedException {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.ofString());
        return r.body();
    }

    private static boolean reachable(int port) {
        try {
            get(port, "/actuator/health");
            return true;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    private static List<String> namespaces(String prefix) {
        return Cmd.run(Lab.CMD_TIMEOUT, List.of("ip", "netns", "list")).out().lines()
                .map(l -> l.split(" ")[0]).filter(n -> n.startsWith(prefix + "-")).toList();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static String tail(Path log) throws IOException {
        List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    }
}
