package io.neighd.service;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A kill -9 at any moment leaves the old state file or the new one, never a torn one: a child JVM
 * ({@link StateFileWriter}) rewrites the file in a loop through {@link StateStore#update} and is
 * killed (SIGKILL, Process.destroyForcibly) after a random number of writes, over and over; after
 * every kill the file parses, is one whole generation, and is no older than the last write the
 * child reported.
 */
class StateFileCrashTest {
    private static final int ROUNDS = 4;

    @TempDir
    Path dir;

    @Test
    void aKilledWriterLeavesTheOldOrTheNewFile() throws Exception {
        Path file = dir.resolve("state.json");
        long seed = System.nanoTime();
        SplittableRandom random = new SplittableRandom(seed);
        long acknowledged = 0;
        for (int round = 0; round < ROUNDS; round++) {
            int writes = 1 + random.nextInt(60);
            Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"), StateFileWriter.class.getName(), file.toString())
                    .redirectErrorStream(true).start();
            try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (int i = 0; i < writes; i++) {
                    String line = out.readLine();
                    assertThat(line).as("child output (seed %d)", seed).startsWith("wrote ");
                    acknowledged = Long.parseLong(line.substring(6));
                }
                child.destroyForcibly();
                assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
            } finally {
                child.destroyForcibly();
            }
            assertThat(child.exitValue()).as("killed by SIGKILL").isEqualTo(128 + 9);

            StateStore.State s = new StateStore(file).load();
            long g = StateFileWriter.generation(s);
            assertThat(s).as("round %d, seed %d: one whole generation", round, seed)
                    .isEqualTo(StateFileWriter.state(g));
            assertThat(g).as("round %d, seed %d: no older than the last reported write", round, seed)
                    .isGreaterThanOrEqualTo(acknowledged);
            acknowledged = g;
        }
        assertThat(Files.list(dir).map(p -> p.getFileName().toString()))
                .as("the file, and at most the temporary file of a write that was cut short")
                .isSubsetOf("state.json", ".state.json.tmp");
    }
}
