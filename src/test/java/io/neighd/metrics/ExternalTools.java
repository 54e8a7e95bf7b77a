package io.neighd.metrics;

import io.neighd.env.Requirements;

import java.nio.file.Path;

/**
 * Binaries the metrics tests run (Debian's {@code prometheus} package: {@code /usr/bin/promtool},
 * {@code /usr/bin/prometheus}), found or skipped by {@link Requirements}: outside CI a missing one
 * skips the test with the reason; in CI ({@code CI=true}) it fails it.
 */
final class ExternalTools {
    private ExternalTools() {
    }

    /** The executable {@code name} from PATH or /usr/bin, or abort (outside CI) / fail (in CI). */
    static Path require(String name, String debianPackage) {
        return Requirements.tool("the " + name + " tests", name, debianPackage);
    }
}
