package io.neighd.metrics;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Binaries the metrics tests run (Debian's {@code prometheus} package: {@code /usr/bin/promtool},
 * {@code /usr/bin/prometheus}). Outside CI a missing one skips the test with the reason; in CI
 * ({@code CI=true}) it fails it, so a broken image cannot turn the test green by skipping it.
 */
final class ExternalTools {
    private ExternalTools() {
    }

    static boolean inCi() {
        return "true".equalsIgnoreCase(System.getenv("CI"));
    }

    /** The executable {@code name} from PATH or /usr/bin, or abort (outside CI) / fail (in CI). */
    static Path require(String name, String debianPackage) {
        Path found = find(name);
        if (found == null) {
            String why = name + " not found on PATH or in /usr/bin: install Debian's " + debianPackage
                    + " package (apt-get install -y --no-install-recommends " + debianPackage + ")";
            if (inCi()) {
                Assertions.fail(why + " [CI=true: a missing tool is a failure, not a skip]");
            }
            Assumptions.abort(why + " [skipped outside CI]");
        }
        return found;
    }

    private static Path find(String name) {
        List<Path> dirs = new ArrayList<>();
        String path = System.getenv("PATH");
        if (path != null) {
            for (String d : path.split(File.pathSeparator)) {
                if (!d.isBlank()) {
                    dirs.add(Path.of(d));
                }
            }
        }
        dirs.add(Path.of("/usr/bin"));
        for (Path d : dirs) {
            Path p = d.resolve(name);
            if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                return p;
            }
        }
        return null;
    }
}
