package io.neighd.config;

import io.neighd.service.StartupFailures;
import io.neighd.testkit.Fuzz;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.boot.convert.ApplicationConversionService;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The configuration fuzzed (see {@link Fuzz}): a good configuration with a few {@code neighd.*}
 * properties given values from the edges and mutated, bound as Spring Boot binds it at start.
 * It binds, or start-up stops with the one line neighd prints, which names the property at fault
 * ({@code neighd.…}); nothing else escapes.
 */
class ConfigurationFuzzTest {
    /** The properties, with a good value each. */
    private static final Map<String, String> GOOD = new LinkedHashMap<>();

    static {
        GOOD.put("neighd.interfaces[0].name", "nd0");
        GOOD.put("neighd.interfaces[0].memory", "true");
        GOOD.put("neighd.interfaces[0].mac", "02:aa:00:00:00:01");
        GOOD.put("neighd.interfaces[0].addresses[0]", "10.77.0.1/24");
        GOOD.put("neighd.interfaces[0].vlan", "7");
        GOOD.put("neighd.interfaces[0].ifindex", "7");
        GOOD.put("neighd.interfaces[0].capture-buffer", "16MB");
        GOOD.put("neighd.interfaces[0].netns", "ndlab-nd");
        GOOD.put("neighd.routes[0]", "10.88.0.0/24 via 10.77.0.254 dev nd0");
        GOOD.put("neighd.sysctl.net.ipv4.conf.nd0.arp_ignore", "1");
        GOOD.put("neighd.state-file", "/var/lib/neighd/state.json");
        GOOD.put("neighd.hz", "250");
        GOOD.put("neighd.api.token", "config-fuzz-token-0123");
        GOOD.put("neighd.api.read-token", "config-fuzz-read-0123");
        GOOD.put("neighd.api.max-request-body", "16MB");
        GOOD.put("neighd.api.max-batch", "1000");
        GOOD.put("neighd.api.max-full-dumps", "4");
        GOOD.put("neighd.api.max-pending-waits", "1024");
        GOOD.put("neighd.events.buffer", "4096");
        GOOD.put("neighd.events.max-subscribers", "64");
        GOOD.put("neighd.events.delivery-threads", "2");
        GOOD.put("neighd.events.stall-timeout", "60s");
        GOOD.put("neighd.events.heartbeat", "15s");
    }

    private static final List<String> EXTRA = List.of("8MB", "0MB", "1KB", "2GB", "-1MB", "15s", "0s", "-5s", "1ms",
            "PT1S", "P1D", "5m", "forever", "02:aa:00:00:00", "01:00:5e:00:00:01", "default via 10.9.9.9",
            "blackhole 10.0.0.0/8", "a-name-of-16-chars");

    @Test
    void everyConfigurationBindsOrStopsWithOneLineNamingTheProperty() {
        long seed = Fuzz.seed();
        SplittableRandom r = new SplittableRandom(seed);
        List<String> keys = List.copyOf(GOOD.keySet());
        int bound = 0;
        int refused = 0;
        for (int i = 0; i < Fuzz.iterations(); i++) {
            Map<String, String> props = new LinkedHashMap<>(GOOD);
            int bad = 1 + r.nextInt(2);
            for (int j = 0; j < bad; j++) {
                String value = switch (r.nextInt(3)) {
                    case 0 -> Fuzz.number(r);
                    case 1 -> Fuzz.pick(r, EXTRA);
                    default -> Fuzz.pick(r, Fuzz.WORDS);
                };
                props.put(Fuzz.pick(r, keys), Fuzz.mutate(r, value));
            }
            if (bind(props, seed)) {
                bound++;
            } else {
                refused++;
            }
        }
        System.out.printf("[config-fuzz] seed %d: %d configurations, %d bound, %d refused%n", seed, bound + refused,
                bound, refused);
        assertThat(bound).isPositive();
        assertThat(refused).isPositive();
    }

    /** What the fuzzer found: values Spring's converters refuse, whose line did not name the property. */
    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "neighd.hz                         | abc   | neighd.hz: 'abc' ",
        "neighd.interfaces[0].vlan         | 1.5   | neighd.interfaces[0].vlan: '1.5' ",
        "neighd.interfaces[0].capture-buffer | lots | neighd.interfaces[0].capture-buffer: 'lots' ",
        "neighd.events.stall-timeout       | soon  | neighd.events.stall-timeout: 'soon' ",
        "neighd.interfaces[0].memory       | maybe | neighd.interfaces[0].memory: 'maybe' ",
        "neighd.api.max-batch              | 1e3   | neighd.api.max-batch: '1e3' "})
    void aValueNoConverterTakesIsNamedWithItsProperty(String key, String value, String expected) {
        Map<String, String> props = new LinkedHashMap<>(GOOD);
        props.put(key, value);
        try {
            new Binder(List.of(new MapConfigurationPropertySource(props)), null,
                    ApplicationConversionService.getSharedInstance()).bind("neighd", Bindable.of(NeighdProperties.class));
            throw new AssertionError("bound " + key + "=" + value);
        } catch (BindException e) {
            assertThat(StartupFailures.oneLine(e)).startsWith(expected);
        }
    }

    /** Found by the fuzzer: a value with a line break broke the line in two. */
    @Test
    void aValueWithALineBreakIsQuotedOnOneLine() {
        Map<String, String> props = new LinkedHashMap<>(GOOD);
        props.put("neighd.hz", "B\n\u0aaa");
        try {
            new Binder(List.of(new MapConfigurationPropertySource(props)), null,
                    ApplicationConversionService.getSharedInstance()).bind("neighd", Bindable.of(NeighdProperties.class));
            throw new AssertionError("bound");
        } catch (BindException e) {
            assertThat(StartupFailures.oneLine(e)).startsWith("neighd.hz: 'B\\n\u0aaa' cannot be read").doesNotContain("\n");
        }
    }

    private static boolean bind(Map<String, String> props, long seed) {
        try {
            new Binder(List.of(new MapConfigurationPropertySource(props)), null,
                    ApplicationConversionService.getSharedInstance()).bind("neighd", Bindable.of(NeighdProperties.class));
            return true;
        } catch (BindException e) {
            String line = StartupFailures.oneLine(e);
            assertThat(line).as("seed %d, %s", seed, props).startsWith("neighd.")
                    .satisfies(l -> assertThat(Fuzz.oneLine(l)).as("one line: %s", l).isTrue());
            return false;
        } catch (RuntimeException | Error e) {
            throw new AssertionError("seed " + seed + ": " + e + " for " + props, e);
        }
    }
}
