package io.neighd.lab;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Runs a command with a bound on its wall time: a command that outlives its timeout is killed
 * (it and only it, by its own PID) and reported, so a hung tool can never hang the suite.
 */
public final class Cmd {
    /** What a command left behind. */
    public record Result(List<String> command, int rc, String out, String err) {
        public boolean ok() {
            return rc == 0;
        }

        /** The output, or an {@link AssertionError} quoting the command and its stderr if it failed. */
        public String orFail() {
            if (rc != 0) {
                throw new AssertionError("command failed (rc " + rc + "): " + String.join(" ", command)
                        + (err.isBlank() ? "" : "\n" + err.strip()) + (out.isBlank() ? "" : "\n" + out.strip()));
            }
            return out;
        }
    }

    /** Drains pipes on their own threads: the common pool has one thread on a 2-core machine. */
    private static final ExecutorService DRAINERS = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "cmd-drain");
        t.setDaemon(true);
        return t;
    });

    private Cmd() {
    }

    public static Result run(Duration timeout, List<String> command) {
        return run(timeout, command, Map.of());
    }

    public static Result run(Duration timeout, List<String> command, Map<String, String> env) {
        return run(timeout, command, env, null);
    }

    /** In working directory {@code dir} (null: this JVM's). */
    public static Result run(Duration timeout, List<String> command, Map<String, String> env, java.nio.file.Path dir) {
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().putAll(env);
        if (dir != null) {
            pb.directory(dir.toFile());
        }
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + String.join(" ", command) + ": " + e.getMessage(), e);
        }
        try {
            p.getOutputStream().close();
        } catch (IOException e) {
            // nothing to write anyway
        }
        CompletableFuture<String> out = drain(p.getInputStream());
        CompletableFuture<String> err = drain(p.getErrorStream());
        try {
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                p.waitFor(5, TimeUnit.SECONDS);
                throw new AssertionError("command did not finish within " + timeout.toMillis() + " ms and was killed: "
                        + String.join(" ", command));
            }
            return new Result(command, p.exitValue(), out.join(), err.join());
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while running " + String.join(" ", command), e);
        }
    }

    private static CompletableFuture<String> drain(InputStream in) {
        return CompletableFuture.supplyAsync(() -> {
            try (in) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                return "";
            }
        }, DRAINERS);
    }
}
