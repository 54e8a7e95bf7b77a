package io.neighd.reliability;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * neighd as it ships: {@code java -jar target/neighd-*.jar} in a process of its own (which
 * {@code ./mvnw package} built before the *IT tests run), on a memory link {@code nd0} (no
 * privileges needed), killed with SIGKILL when a test says so.
 */
final class RealJar implements AutoCloseable {
    static final String TOKEN = "reliability-token-0123456";
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final Duration START_TIMEOUT = Duration.ofSeconds(120);

    private final Path stateFile;
    private final Path log;
    private final List<String> extraArgs;
    private List<String> jvmArgs = List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx256m");
    private List<String> linkArgs = List.of("--neighd.interfaces[0].name=nd0", "--neighd.interfaces[0].memory=true",
            "--neighd.interfaces[0].mac=02:aa:00:00:00:01", "--neighd.interfaces[0].addresses[0]=10.77.0.1/24");
    private Process process;
    private int port;

    RealJar(Path stateFile, Path log, String... extraArgs) {
        this.stateFile = stateFile;
        this.log = log;
        this.extraArgs = List.of(extraArgs);
    }

    /** Other JVM flags than the default ones (C1 only, Serial GC, 256 MiB). */
    RealJar jvm(String... flags) {
        jvmArgs = List.of(flags);
        return this;
    }

    /** Other interface properties than the memory link nd0 with 10.77.0.1/24. */
    RealJar link(String... properties) {
        linkArgs = List.of(properties);
        return this;
    }

    long pid() {
        return process.pid();
    }

    int port() {
        return port;
    }

    static Path jar() {
        try (Stream<Path> files = Files.list(Path.of("target"))) {
            return files.filter(p -> p.getFileName().toString().matches("neighd-.*\\.jar"))
                    .filter(p -> !p.getFileName().toString().endsWith("-plain.jar")).findFirst()
                    .orElseThrow(() -> new IllegalStateException("no target/neighd-*.jar: run ./mvnw package first"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts it and waits until liveness answers UP; returns how long that took. */
    Duration start() throws Exception {
        port = freePort();
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        cmd.addAll(jvmArgs);
        cmd.addAll(List.of("-jar", jar().toString(), "--server.port=" + port));
        cmd.addAll(linkArgs);
        cmd.addAll(List.of("--neighd.state-file=" + stateFile,
                "--neighd.api.token=" + TOKEN,
                "--logging.level.root=WARN"));
        cmd.addAll(extraArgs);
        long t0 = System.nanoTime();
        process = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        long end = t0 + START_TIMEOUT.toNanos();
        while (System.nanoTime() < end) {
            if (!process.isAlive()) {
                throw new AssertionError("neighd exited " + process.exitValue() + " while starting:\n" + tail());
            }
            try {
                if (get("/actuator/health/liveness").statusCode() == 200) {
                    return Duration.ofNanos(System.nanoTime() - t0);
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        throw new AssertionError("neighd did not start within " + START_TIMEOUT + ":\n" + tail());
    }

    /** SIGKILL, as {@code kill -9} sends it. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new AssertionError("neighd did not die on SIGKILL");
        }
    }

    boolean alive() {
        return process != null && process.isAlive();
    }

    HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A write with the token; JSON body or none. */
    HttpResponse<String> send(String method, String path, String json) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10)).header("Authorization", "Bearer " + TOKEN)
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) {
            b.header("Content-Type", "application/json");
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    String tail() {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Override
    public void close() throws Exception {
        if (process != null && process.isAlive()) {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }
    }
}
