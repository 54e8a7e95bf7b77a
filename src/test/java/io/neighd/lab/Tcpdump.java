package io.neighd.lab;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * tcpdump writing a capture file in a lab namespace: started with {@code --immediate-mode} (without
 * it frames wait in the ring buffer, and a stopped tcpdump loses them), ready once the file header
 * is written; {@link #stop()} ends it by its own PID; {@link #decode()} reads the file back with
 * {@code tcpdump -r -nn -v -e}, which is how a user would inspect what neighd sent.
 */
public final class Tcpdump implements AutoCloseable {
    private final Path file;
    private final Process process;
    private boolean stopped;

    Tcpdump(Lab lab, String ns, String dev, Path file, String... filter) {
        this.file = file;
        List<String> cmd = new ArrayList<>(List.of("tcpdump", "-i", dev, "--immediate-mode", "-U", "-s", "0",
                "-w", file.toString()));
        cmd.addAll(List.of(filter));
        this.process = lab.background(ns, cmd.toArray(String[]::new));
        awaitHeader();
    }

    private void awaitHeader() {
        long end = System.nanoTime() + 5_000_000_000L;
        try {
            while (!Files.exists(file) || Files.size(file) < 24) {
                if (!process.isAlive() || System.nanoTime() > end) {
                    throw new IllegalStateException("tcpdump did not start writing " + file);
                }
                Thread.sleep(20);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    public Path file() {
        return file;
    }

    /**
     * Gives frames in flight a moment, then stops tcpdump (SIGTERM: it flushes and exits 0). A
     * tcpdump that ended by itself before, or exited with an error, fails: its file may miss frames.
     */
    public void stop() {
        if (stopped) {
            return;
        }
        stopped = true;
        if (!process.isAlive()) {
            throw new IllegalStateException("tcpdump writing " + file + " ended by itself (exit " + process.exitValue()
                    + ") before it was stopped: the capture may miss frames");
        }
        Lab.sleep(200);
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("tcpdump writing " + file + " did not stop on SIGTERM");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        // 0: flushed and exited on SIGTERM; 143 (128 + SIGTERM) if it died of it
        if (process.exitValue() != 0 && process.exitValue() != 143) {
            throw new IllegalStateException("tcpdump writing " + file + " exited " + process.exitValue());
        }
    }

    /** The capture as {@code tcpdump -r FILE -nn -v -e} prints it. */
    public String decode() {
        stop();
        return Cmd.run(Duration.ofSeconds(10), List.of("tcpdump", "-r", file.toString(), "-nn", "-v", "-e")).orFail();
    }

    @Override
    public void close() {
        if (!stopped && process.isAlive()) {
            stop();
        }
        stopped = true;
    }
}
