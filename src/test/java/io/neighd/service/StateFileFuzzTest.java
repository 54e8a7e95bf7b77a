package io.neighd.service;

import io.neighd.config.NeighdProperties;
import io.neighd.testkit.EngineFixture;
import io.neighd.testkit.Fuzz;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.StringJoiner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The state file fuzzed (see {@link Fuzz}): documents with the file's structure and values from
 * the edges in every field (addresses, MACs, states, interfaces, routes, knobs, versions, nulls,
 * wrong types), then mutated as text. Loading and restoring it onto an engine with {@code nd0}
 * either succeeds or stops start-up with one line naming the file; nothing else ever escapes.
 */
class StateFileFuzzTest {
    @TempDir
    Path dir;

    @Test
    void everyFileIsRestoredOrStopsStartUpWithOneLineNamingIt() throws Exception {
        long seed = Fuzz.seed();
        SplittableRandom r = new SplittableRandom(seed);
        Path file = dir.resolve("state.json");
        int restored = 0;
        int refused = 0;
        for (int i = 0; i < Fuzz.iterations(1000); i++) {
            String text = Fuzz.mutate(r, document(r));
            Files.write(file, text.getBytes(StandardCharsets.UTF_8)); // a lone surrogate becomes '?'
            if (restore(file, seed, text)) {
                restored++;
            } else {
                refused++;
            }
        }
        System.out.printf("[state-fuzz] seed %d: %d files, %d restored, %d refused%n", seed, restored + refused,
                restored, refused);
        assertThat(restored).as("the generator makes files that restore too").isPositive();
        assertThat(refused).isPositive();
    }

    /** IPv6 records, which neighd itself writes (ip -6 neigh/addr through the API), restore. */
    @Test
    void ipv6RecordsRestore() throws Exception {
        Path file = dir.resolve("state.json");
        String text = "{\"version\":1,\"neighbours\":[{\"dev\":\"nd0\",\"dst\":\"fd77::9\",\"lladdr\":"
                + "\"02:bb:00:00:00:09\",\"state\":\"PERMANENT\",\"router\":false,\"externLearn\":false}],\"proxies\":[{\"dst\":\"fd77::7\",\"dev\":"
                + "\"nd0\"}],\"addresses\":[{\"dev\":\"nd0\",\"address\":\"fd77::1/64\",\"op\":\"add\"}]}";
        Files.writeString(file, text, StandardCharsets.UTF_8);
        EngineFixture fx = new EngineFixture();
        NeighdProperties props = new NeighdProperties(List.of(), List.of(), null, Map.of(), file,
                new NeighdProperties.Api("fuzz-token-0123456789"), 250, new NeighdProperties.Events(16));
        StartupState.apply(fx.engine.netlink(), props, new StateStore(file));
        assertThat(fx.engine.netlink().neighbour("nd0", io.neighd.wire.IpAddress.parse("fd77::9")).value())
                .as("the IPv6 entry").isNotNull();
    }

    /** Crashers the fuzzer found, kept as they are (each was an exception other than a one-line refusal). */
    @ParameterizedTest
    @ValueSource(strings = {
        "{\"version\":1,\"neighbours\":[{\"dev\":\"nd0\",\"dst\":\"10.77.0.9\",\"state\":\"PERMANENT\"}]}",
        "{\"version\":1,\"neighbours\":[{\"dst\":\"10.77.0.9\",\"lladdr\":\"02:bb:00:00:00:09\",\"state\":\"PERMANENT\"}]}",
        "{\"version\":1,\"neighbours\":[{\"dev\":\"nd0\",\"dst\":\"10.77.0.9\",\"lladdr\":\"02:bb:00:00:00:09\"}]}",
        "{\"version\":1,\"neighbours\":[{\"dev\":\"nd0\",\"dst\":\"x\",\"lladdr\":\"02:bb:00:00:00:09\",\"state\":\"PERMANENT\"}]}",
        "{\"version\":1,\"neighbours\":[null]}",
        "{\"version\":1,\"proxies\":[{\"dst\":null}]}",
        "{\"version\":1,\"addresses\":[{\"dev\":\"nd0\",\"address\":\"10.77.0.1/33\",\"op\":\"add\"}]}",
        "{\"version\":1,\"addresses\":[{\"dev\":\"nd0\",\"address\":\"10.77.0.2/24\",\"op\":\"move\"}]}",
        "{\"version\":1,\"routes\":[{\"route\":\"via\",\"op\":\"add\"}]}",
        "{\"version\":1,\"routes\":[{\"route\":null,\"op\":\"del\"}]}",
        "{\"version\":1,\"sysctl\":{\"net.ipv4.conf.nd0.arp_ignore\":null}}",
        "{\"version\":1,\"sysctl\":{\"net.ipv4.conf.nd0.arp_ignore\":99999999999999999999}}",
        "[]", "null", "", "{\"version\":\"1\"}"})
    void aCrasherKeptAsItIs(String text) throws Exception {
        Path file = dir.resolve("state.json");
        Files.writeString(file, text, StandardCharsets.UTF_8);
        restore(file, 0, text);
    }

    /** True if restored; false if start-up was stopped with one line naming the file; anything else fails. */
    private static boolean restore(Path file, long seed, String text) {
        EngineFixture fx = new EngineFixture();
        NeighdProperties props = new NeighdProperties(List.of(), List.of(), null, Map.of(), file,
                new NeighdProperties.Api("fuzz-token-0123456789"), 250, new NeighdProperties.Events(16));
        try {
            StartupState.apply(fx.engine.netlink(), props, new StateStore(file));
            return true;
        } catch (NeighdStartupException e) {
            assertThat(e.getMessage()).as("seed %d, file %s", seed, text).contains(file.toString())
                    .satisfies(m -> assertThat(Fuzz.oneLine(m)).as("one line: %s", m).isTrue());
            return false;
        } catch (RuntimeException | Error e) {
            throw new AssertionError("seed " + seed + ": " + e + " for " + text, e);
        }
    }

    private static String document(SplittableRandom r) {
        StringJoiner top = new StringJoiner(",", "{", "}");
        top.add("\"version\":" + (r.nextInt(8) == 0 ? Fuzz.number(r) : "1"));
        if (r.nextBoolean()) {
            top.add("\"neighbours\":" + list(r, () -> object(r, "dev", dev(r), "dst", ip(r), "lladdr", mac(r), "state",
                    state(r), "router", bool(r), "externLearn", bool(r))));
        }
        if (r.nextBoolean()) {
            top.add("\"proxies\":" + list(r, () -> object(r, "dst", ip(r), "dev", r.nextBoolean() ? "null" : dev(r))));
        }
        if (r.nextBoolean()) {
            top.add("\"addresses\":" + list(r, () -> object(r, "dev", dev(r), "address", str(r, ip(r) + "/"
                    + Fuzz.number(r)), "op", str(r, r.nextBoolean() ? "add" : "del"))));
        }
        if (r.nextBoolean()) {
            top.add("\"routes\":" + list(r, () -> object(r, "route", str(r, Fuzz.pick(r, List.of("10.99.0.0/24 via "
                    + "10.77.0.254 dev nd0", "default via 10.77.0.254", "blackhole 10.9.0.0/16", "10.99.0.0/24"))),
                    "op", str(r, r.nextBoolean() ? "add" : "del"))));
        }
        if (r.nextBoolean()) {
            StringJoiner k = new StringJoiner(",", "{", "}");
            int n = r.nextInt(4);
            for (int i = 0; i < n; i++) {
                k.add(str(r, Fuzz.pick(r, List.of("net.ipv4.conf.nd0.arp_ignore", "net.ipv4.neigh.nd0.locktime",
                        "net.ipv4.neigh.default.gc_thresh3", "net.ipv4.conf.eth9.arp_ignore", "x"))) + ":"
                        + (r.nextInt(6) == 0 ? str(r, Fuzz.number(r)) : Fuzz.number(r).strip()));
            }
            top.add("\"sysctl\":" + k);
        }
        return top.toString();
    }

    private static String list(SplittableRandom r, java.util.function.Supplier<String> element) {
        if (r.nextInt(10) == 0) {
            return Fuzz.pick(r, List.of("null", "{}", "\"x\"", "1"));
        }
        StringJoiner l = new StringJoiner(",", "[", "]");
        int n = r.nextInt(4);
        for (int i = 0; i < n; i++) {
            l.add(r.nextInt(12) == 0 ? "null" : element.get());
        }
        return l.toString();
    }

    /** An object of name/JSON-value pairs, each left out now and then. */
    private static String object(SplittableRandom r, String... pairs) {
        StringJoiner o = new StringJoiner(",", "{", "}");
        for (int i = 0; i < pairs.length; i += 2) {
            if (r.nextInt(8) != 0) {
                o.add("\"" + pairs[i] + "\":" + pairs[i + 1]);
            }
        }
        return o.toString();
    }

    private static String dev(SplittableRandom r) {
        return str(r, r.nextInt(4) == 0 ? Fuzz.pick(r, Fuzz.WORDS) : "nd0");
    }

    private static String ip(SplittableRandom r) {
        return str(r, r.nextInt(4) == 0 ? Fuzz.pick(r, Fuzz.WORDS) : "10.77.0." + (1 + r.nextInt(254)));
    }

    private static String mac(SplittableRandom r) {
        return str(r, r.nextInt(4) == 0 ? Fuzz.pick(r, Fuzz.WORDS) : String.format("02:bb:00:00:00:%02x", r.nextInt(256)));
    }

    private static String state(SplittableRandom r) {
        return str(r, Fuzz.pick(r, List.of("PERMANENT", "NOARP", "REACHABLE", "STALE", "NONE", "FAILED", "permanent",
                "bogus", "")));
    }

    private static String bool(SplittableRandom r) {
        return Fuzz.pick(r, List.of("true", "false", "null", "1", "\"yes\""));
    }

    /** A JSON string of {@code s} (escaped), or now and then a value of another type. */
    private static String str(SplittableRandom r, String s) {
        if (r.nextInt(20) == 0) {
            return Fuzz.pick(r, List.of("null", "1", "true", "[]", "{}"));
        }
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') {
                b.append('\\').append(c);
            } else if (c < 0x20) {
                b.append(String.format("\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.append('"').toString();
    }
}
