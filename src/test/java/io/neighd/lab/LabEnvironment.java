package io.neighd.lab;

import io.neighd.env.Requirements;
import org.junit.jupiter.api.Assertions;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * What the live tests need of the machine, checked once: root (CAP_NET_ADMIN and CAP_SYS_ADMIN
 * to build namespaces), and the tools {@code .ci/run} installs. Without privilege the tests are
 * skipped with the reason, as {@link Requirements} skips every environment-dependent test; with
 * {@code CI=true} that skip is a failure, so the live tests can never silently stop running. A missing tool is always a failure: the machine claims to be able
 * to run the lab but cannot.
 */
public final class LabEnvironment {
    private static final Pattern PREFIX_SYNTAX = Pattern.compile("^[a-z][a-z0-9]{1,9}$");
    /** Name prefix of every namespace the lab creates; {@code NDLAB_PREFIX} overrides it. */
    public static final String PREFIX = prefix();

    /** Each tool, and the proof we want that it is the one we mean. */
    private record Tool(String name, List<String> versionCommand, String mustContain, String debianPackage) {
    }

    private static final List<Tool> TOOLS = List.of(
            new Tool("ip", List.of("ip", "-V"), "iproute2", "iproute2"),
            new Tool("arping", List.of("arping", "-V"), "iputils", "iputils-arping"),
            new Tool("ping", List.of("ping", "-V"), "iputils", "iputils-ping"),
            new Tool("arp-scan", List.of("arp-scan", "--version"), "arp-scan", "arp-scan"),
            new Tool("ndisc6", List.of("ndisc6", "-V"), "ndisc6", "ndisc6"),
            new Tool("tcpdump", List.of("tcpdump", "--version"), "tcpdump", "tcpdump"),
            new Tool("sysctl", List.of("sysctl", "--version"), "procps", "procps"));

    private static volatile String checked;

    private LabEnvironment() {
    }

    private static String prefix() {
        String p = System.getProperty("NDLAB_PREFIX");
        if (p == null || p.isBlank()) {
            p = System.getenv("NDLAB_PREFIX");
        }
        if (p == null || p.isBlank()) {
            p = "ndlab";
        }
        if (!PREFIX_SYNTAX.matcher(p).matches()) {
            throw new IllegalStateException("NDLAB_PREFIX must be 2-10 lower-case letters/digits, got: " + p);
        }
        return p;
    }

    public static boolean inCi() {
        return Requirements.inCi();
    }

    /**
     * Why the live tests are skipped here, as {@link #require()} would say it; null when they are
     * not (the lab can run, or a tool is missing, which fails them, or in CI, which fails them).
     */
    public static String skipReason() {
        String c = checked();
        return c.isEmpty() || c.startsWith("tool:") || inCi() ? null : "live lab tests skipped: " + c;
    }

    private static String checked() {
        if (checked == null) {
            synchronized (LabEnvironment.class) {
                if (checked == null) {
                    checked = check();
                }
            }
        }
        return checked;
    }

    /**
     * Skips the calling test (or fails it in CI) unless the machine can run the lab; fails if a
     * required tool is missing.
     */
    public static void require() {
        String checked = checked();
        if (checked.isEmpty()) {
            return;
        }
        if (checked.startsWith("tool:")) {
            Assertions.fail(checked.substring(5));
        }
        Requirements.unavailable("live lab tests", checked);
    }

    /** "" when all is well, "tool:..." for a missing tool, otherwise the privilege problem. */
    private static String check() {
        String privilege = Requirements.whyNotRoot();
        if (privilege != null) {
            return privilege;
        }
        List<String> missing = new ArrayList<>();
        for (Tool t : TOOLS) {
            String why = probe(t);
            if (why != null) {
                missing.add(why);
            }
        }
        if (!missing.isEmpty()) {
            return "tool:the live lab tests need tools that are missing or wrong: " + String.join("; ", missing)
                    + " (.ci/run installs them)";
        }
        return "";
    }

    private static String probe(Tool t) {
        Cmd.Result r;
        try {
            r = Cmd.run(Duration.ofSeconds(10), t.versionCommand());
        } catch (RuntimeException | AssertionError e) {
            return t.name() + " is not installed (apt-get install " + t.debianPackage() + ")";
        }
        String text = (r.out() + r.err()).toLowerCase(Locale.ROOT);
        if (!text.contains(t.mustContain())) {
            return t.name() + " is not the " + t.mustContain() + " one (apt-get install " + t.debianPackage() + ")";
        }
        return null;
    }

    /** The project directory (where lab/ndlab.sh is), from the working directory up. */
    public static Path projectDir() {
        Path p = Path.of("").toAbsolutePath();
        for (Path d = p; d != null; d = d.getParent()) {
            if (Files.isRegularFile(d.resolve("lab/ndlab.sh")) && Files.isRegularFile(d.resolve("pom.xml"))) {
                return d;
            }
        }
        throw new IllegalStateException("lab/ndlab.sh not found from " + p + " upwards");
    }
}
