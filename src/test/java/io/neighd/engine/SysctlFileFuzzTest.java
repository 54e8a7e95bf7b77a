package io.neighd.engine;

import io.neighd.testkit.EngineFixture;
import io.neighd.testkit.Fuzz;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * neighd.sysctl-file fuzzed (sysctl.conf syntax, see {@link Fuzz}): files made of comments,
 * blank lines, {@code key = value} and {@code -key = value} lines with keys from the real knob
 * names and values from the edges, then mutated. Parsing and applying either takes the file or
 * refuses it with one line naming the source and the line; nothing else ever escapes, and a
 * refused file writes no knob.
 */
class SysctlFileFuzzTest {
    private static final String SOURCE = "/etc/neighd/sysctl.conf";

    @Test
    void everyFileIsAppliedOrRefusedWithOneLineNamingItsLine() {
        long seed = Fuzz.seed();
        SplittableRandom r = new SplittableRandom(seed);
        EngineFixture fx = new EngineFixture();
        Sysctl sysctl = fx.engine.sysctl();
        List<String> knobs = sysctl.list("").stream().map(Sysctl.Knob::name).toList();
        int applied = 0;
        int refused = 0;
        for (int i = 0; i < Fuzz.iterations(); i++) {
            List<String> lines = file(r, knobs);
            String before = values(sysctl);
            try {
                SysctlFile.apply(sysctl, SysctlFile.parse(lines, SOURCE), SOURCE);
                applied++;
            } catch (IllegalArgumentException e) {
                refused++;
                assertThat(e.getMessage()).as("seed %d, file %s", seed, lines).startsWith(SOURCE + " line ")
                        .satisfies(m -> assertThat(Fuzz.oneLine(m)).isTrue());
                assertThat(values(sysctl)).as("seed %d: a refused file wrote a knob: %s", seed, lines).isEqualTo(before);
            } catch (RuntimeException | Error e) {
                throw new AssertionError("seed " + seed + ": " + e + " for " + lines, e);
            }
        }
        System.out.printf("[sysctl-fuzz] seed %d: %d files, %d applied, %d refused%n", seed, applied + refused, applied,
                refused);
        assertThat(applied).as("the generator makes files that apply too").isPositive();
        assertThat(refused).isPositive();
    }

    /** Crashers and near misses the fuzzer found or that its grammar aims at, kept as they are. */
    @ParameterizedTest
    @ValueSource(strings = {"=1", " = ", "-", "-=", "net.ipv4.conf.nd0.arp_ignore", "net.ipv4.conf.nd0.arp_ignore =",
        "net.ipv4.conf.nd0.arp_ignore = 99999999999999999999", "net/ipv4/conf/nd0/arp_ignore = 1",
        "net.ipv4.neigh.nd0.locktime = 9223372036854775807", "net.ipv4.conf..arp_ignore = 1",
        "net.ipv4.conf.nd0. = 1", "net.ipv4.neigh.default.gc_thresh3 = -1"})
    void aSingleLine(String line) {
        EngineFixture fx = new EngineFixture();
        try {
            SysctlFile.apply(fx.engine.sysctl(), SysctlFile.parse(List.of(line), SOURCE), SOURCE);
        } catch (IllegalArgumentException e) {
            assertThat(e.getMessage()).startsWith(SOURCE + " line 1").satisfies(m -> assertThat(Fuzz.oneLine(m)).isTrue());
        }
    }

    private static List<String> file(SplittableRandom r, List<String> knobs) {
        List<String> lines = new ArrayList<>();
        int n = r.nextInt(8);
        for (int i = 0; i < n; i++) {
            String line = switch (r.nextInt(10)) {
                case 0 -> "";
                case 1 -> "# " + Fuzz.pick(r, Fuzz.WORDS);
                case 2 -> "; comment";
                case 3 -> "-" + key(r, knobs) + " = " + Fuzz.number(r);
                case 4 -> key(r, knobs).replace('.', '/') + "=" + Fuzz.number(r);
                case 5 -> Fuzz.pick(r, Fuzz.WORDS);
                default -> key(r, knobs) + (r.nextBoolean() ? " = " : "\t=\t") + Fuzz.number(r);
            };
            lines.add(Fuzz.mutate(r, line));
        }
        // as Files.readAllLines reads them: a newline the mutations put in is a line break
        return List.of(String.join("\n", lines).split("\r\n|\r|\n", -1));
    }

    private static String key(SplittableRandom r, List<String> knobs) {
        String k = Fuzz.pick(r, knobs);
        return switch (r.nextInt(6)) {
            case 0 -> k.replace(".nd0.", "." + Fuzz.pick(r, Fuzz.WORDS) + ".");
            case 1 -> k + Fuzz.pick(r, Fuzz.WORDS);
            case 2 -> "net.ipv6.conf.all.forwarding";
            default -> k;
        };
    }

    private static String values(Sysctl sysctl) {
        StringBuilder b = new StringBuilder();
        for (Sysctl.Knob k : sysctl.list("")) {
            b.append(k.name()).append('=').append(k.value()).append(' ');
        }
        return b.toString();
    }
}
