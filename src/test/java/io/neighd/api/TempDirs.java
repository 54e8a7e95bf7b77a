package io.neighd.api;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Temporary directories for state files and captures, made before a Spring context needs them
 * (so JUnit's @TempDir cannot be used) and removed, contents and all, when the test JVM exits.
 */
final class TempDirs {
    private TempDirs() {
    }

    static Path create(String prefix) {
        try {
            Path d = Files.createTempDirectory(prefix);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(d), "delete-" + d.getFileName()));
            return d;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteTree(Path d) {
        try (Stream<Path> all = Files.walk(d)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            // what is left stays in the temporary directory
        }
    }
}
