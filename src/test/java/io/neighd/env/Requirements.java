package io.neighd.env;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The one place where a test decides it cannot run on this machine. Every environment-dependent
 * test (root for the namespace lab, Debian tools such as promtool, a Docker engine this user may
 * use) asks here; the answer is the same everywhere:
 *
 * <ul>
 *   <li>outside CI, the test is skipped (a JUnit assumption) with one line that says what is
 *       missing and how to get it, so a newcomer's {@code ./mvnw verify} is green with its skips
 *       listed;</li>
 *   <li>in CI ({@code CI=true}) the same line fails the test: CI's machine is set up by .ci/run
 *       to run everything, and a skip there would be a test silently not run.</li>
 * </ul>
 */
public final class Requirements {
    private Requirements() {
    }

    public static boolean inCi() {
        return "true".equalsIgnoreCase(System.getenv("CI"));
    }

    /**
     * Skips (outside CI) or fails (in CI) the calling test: {@code area} says which tests, {@code
     * why} what is missing and how to get it.
     */
    public static void unavailable(String area, String why) {
        if (inCi()) {
            Assertions.fail(area + " cannot run, and CI=true forbids skipping them: " + why);
        }
        Assumptions.abort(area + " skipped: " + why);
    }

    /** The executable {@code name} from PATH or /usr/bin; else unavailable, naming the Debian package. */
    public static Path tool(String area, String name, String debianPackage) {
        Path found = find(name);
        if (found == null) {
            unavailable(area, name + " not found on PATH or in /usr/bin: install Debian's " + debianPackage
                    + " package (apt-get install -y --no-install-recommends " + debianPackage + ")");
        }
        return found;
    }

    /** Linux, and the capabilities network namespaces need (CAP_NET_ADMIN and CAP_SYS_ADMIN): root. */
    public static void root(String area) {
        String why = whyNotRoot();
        if (why != null) {
            unavailable(area, why);
        }
    }

    /** Null when this process may build network namespaces, else why not. */
    public static String whyNotRoot() {
        if (!System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux")) {
            return "they need Linux network namespaces (this is " + System.getProperty("os.name") + ")";
        }
        long eff = Capabilities.effective();
        if ((eff >>> Capabilities.CAP_NET_ADMIN & 1) == 0 || (eff >>> Capabilities.CAP_SYS_ADMIN & 1) == 0) {
            return "they need root (CAP_NET_ADMIN and CAP_SYS_ADMIN, to create network namespaces); "
                    + "run as root, e.g. sudo ./mvnw verify";
        }
        return null;
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
        dirs.add(Path.of("/usr/sbin"));
        for (Path d : dirs) {
            Path p = d.resolve(name);
            if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                return p;
            }
        }
        return null;
    }
}
