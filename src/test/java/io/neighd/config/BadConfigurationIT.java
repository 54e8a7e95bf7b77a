package io.neighd.config;

import io.neighd.lab.Cmd;
import io.neighd.lab.LabEnvironment;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Bad configuration stops start-up with one line that names the property and the fix, and exit
 * status 78 (EX_CONFIG): the packaged jar is started as a user starts it ({@code java -jar
 * target/neighd-*.jar --neighd...}), and what the process did is checked — its exit status and
 * its whole stderr, which must be exactly that one line. The first case is the README's own
 * example, read from the README; the others are one of each kind of refusal (every row of the
 * table is checked in-process by BadConfigurationTest, which is cheaper than a JVM each).
 *
 * <pre>
 * | property                            | value                  | the line says                          |
 * |-------------------------------------|------------------------|----------------------------------------|
 * | interfaces[0].name                  | eht0 (live)            | the README's line                      |
 * | interfaces[0].addresses[0]          | 10.77.0.1/33           | the property, "address with prefix"    |
 * | interfaces[0].addresses[0]          | 10.77.0.1              | the property, "no prefix length"       |
 * | interfaces[0].mac                   | 02:aa:00:00:01         | the property                           |
 * | interfaces[0].vlan                  | 4095                   | "out of range (0-4094)"                |
 * | interfaces[0].capture-buffer        | 512KB                  | "1MB to 1024MB"                        |
 * | interfaces[0].capture-buffer        | 2GB                    | "1MB to 1024MB"                        |
 * | routes[0]                           | default via 10.9.9.9   | "not on a connected subnet"            |
 * | sysctl.net.ipv4.conf.nd0.arp_ignor  | 1                      | the unknown key                        |
 * | sysctl.net.ipv4.conf.nd0.arp_ignore | 9                      | the key and its range                  |
 * </pre>
 */
class BadConfigurationIT {
    private static final Duration START_LIMIT = Duration.ofSeconds(90);
    private static Path jar;

    @TempDir
    Path dir;

    @BeforeAll
    static void findJar() throws IOException {
        Path target = LabEnvironment.projectDir().resolve("target");
        try (Stream<Path> s = Files.list(target)) {
            List<Path> jars = s.filter(p -> p.getFileName().toString().matches("neighd-.*\\.jar")
                    && !p.getFileName().toString().endsWith("-plain.jar")).toList();
            assertThat(jars).as("the packaged jar in " + target + " (failsafe runs after package)").hasSize(1);
            jar = jars.get(0);
        }
    }

    /** java -jar neighd.jar ARGS in a fresh working directory (so the default state file lands there). */
    private Cmd.Result run(List<String> args) {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", jar.toString(), "--server.port=0", "--spring.main.banner-mode=off"));
        cmd.addAll(args);
        return Cmd.run(START_LIMIT, cmd, Map.of("NEIGHD_API_TOKEN", "bad-configuration-it-token"), dir);
    }

    private static void assertExitedWithOneLine(Cmd.Result r, String expectedPart) {
        assertThat(r.rc()).as("exit status (stderr: %s)", r.err()).isEqualTo(78);
        List<String> lines = r.err().lines().toList();
        assertThat(lines).as("stderr, whole").hasSize(1);
        assertThat(lines.get(0)).startsWith("neighd: ").contains(expectedPart);
    }

    @Test
    void theReadmesExampleIsWhatAMistypedInterfaceGets() throws IOException {
        String readme = Files.readString(LabEnvironment.projectDir().resolve("README.md"), StandardCharsets.UTF_8);
        Matcher m = Pattern.compile("`(neighd: interface '(\\w+)' does not exist \\(available: [^)]*\\): fix [^`]+)`")
                .matcher(readme);
        assertThat(m.find()).as("README.md shows the line a mistyped interface gets").isTrue();
        String example = m.group(1);
        // the list of available interfaces is the machine's: the README's is an example of it
        Pattern shape = Pattern.compile(Pattern.quote(example.substring(0, example.indexOf("(available: ") + 12))
                + "[^)]+" + Pattern.quote(example.substring(example.indexOf("):"))));

        Cmd.Result r = run(List.of("--neighd.interfaces[0].name=" + m.group(2),
                "--neighd.interfaces[0].addresses[0]=192.0.2.10/24"));

        assertExitedWithOneLine(r, "does not exist");
        assertThat(r.err().strip()).matches(shape);
        assertThat(r.err()).containsPattern("available: [^)]*\\blo\\b");
    }

    /** One of each kind of refusal: a value its record rejects, a range, an unknown sysctl (the rest: BadConfigurationTest). */
    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', value = {
        "interfaces[0].addresses[0]          | 10.77.0.1/33         | neighd.interfaces[nd0].addresses: '10.77.0.1/33'",
        "interfaces[0].capture-buffer        | 2GB                  | give 1MB to 1024MB, e.g. 64MB",
        "sysctl.net.ipv4.conf.nd0.arp_ignor  | 1                    | arp_ignor",
        "api.max-full-dumps                  | -1                   | neighd.api.max-full-dumps: -1 is out of range: give 1 to 1024",
    })
    void aBadValueStopsStartUpWithExit78AndOneLineNamingIt(String property, String value, String expected) {
        List<String> args = new ArrayList<>(List.of(
                "--neighd.interfaces[0].name=nd0",
                "--neighd.interfaces[0].memory=true",
                "--neighd.interfaces[0].mac=02:aa:00:00:00:01",
                "--neighd.interfaces[0].addresses[0]=10.77.0.1/24"));
        args.removeIf(a -> a.startsWith("--neighd." + property + "="));
        args.add("--neighd." + property + "=" + value);

        assertExitedWithOneLine(run(args), expected);
    }
}
