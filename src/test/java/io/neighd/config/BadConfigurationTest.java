package io.neighd.config;

import io.neighd.NeighdApplication;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Bad configuration stops start-up with a message that names the property and the fix; good
 * capture-buffer values bind as bytes. Each row replaces one property of a good in-memory
 * configuration and looks for the message in what start-up threw. What the process does with it
 * (exit 78, that one line on stderr) is {@link BadConfigurationIT}'s: it runs the packaged jar.
 *
 * <pre>
 * | property                            | value                  | the message says                       |
 * |-------------------------------------|------------------------|----------------------------------------|
 * | interfaces[0].addresses[0]          | 10.77.0.1/33           | the property, "address with prefix"    |
 * | interfaces[0].addresses[0]          | 10.77.0.1              | the property, "no prefix length"       |
 * | interfaces[0].mac                   | 02:aa:00:00:01         | the property                           |
 * | interfaces[0].vlan                  | 4095                   | "not a VLAN id (1-4094"                |
 * | interfaces[0].vlan                  | 0                      | "priority tag", "leave vlan out"       |
 * | interfaces[0].mac                   | 01:00:5e:00:00:01      | "multicast"                            |
 * | interfaces[0].mac                   | 00:00:00:00:00:00      | "all zeros"                            |
 * | interfaces[0].name                  | 16 characters          | "at most 15 characters (IFNAMSIZ)"     |
 * | interfaces[0].name                  | eth0:1                 | "cannot contain ':'"                   |
 * | api.token                           | has a space ...        | "cannot carry", the fix                |
 * | api.token                           | 15 characters          | "too short", "at least 16"             |
 * | api.read-token                      | the write token        | "must differ from neighd.api.token"    |
 * | events.buffer                       | 0                      | "at least 16"                          |
 * | events.max-subscribers              | 0                      | "at least 1"                           |
 * | api.max-full-dumps                  | 0                      | "at least 1", the fix                  |
 * | api.max-full-dumps                  | 1025                   | "at most 1024", the fix                |
 * | interfaces[0].capture-buffer        | 512KB                  | "1MB to 1024MB"                        |
 * | interfaces[0].capture-buffer        | 2GB                    | "1MB to 1024MB"                        |
 * | routes[0]                           | default via 10.9.9.9   | "not on a connected subnet"            |
 * | sysctl.net.ipv4.conf.nd0.arp_ignor  | 1                      | the unknown key                        |
 * | sysctl.net.ipv4.conf.nd0.arp_ignore | 9                      | the key and its range                  |
 * </pre>
 */
class BadConfigurationTest {
    @TempDir
    Path dir;

    /** The good configuration with {@code property} (under neighd.) set to {@code value}, or as it is. */
    private ConfigurableApplicationContext start(String property, String value) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("server.port", "0");
        p.put("spring.main.banner-mode", "off");
        p.put("neighd.interfaces[0].name", "nd0");
        p.put("neighd.interfaces[0].memory", "true");
        p.put("neighd.interfaces[0].mac", "02:aa:00:00:00:01");
        p.put("neighd.interfaces[0].addresses[0]", "10.77.0.1/24");
        p.put("neighd.api.token", "write-token-0123456789");
        p.put("neighd.state-file", dir.resolve("state.json").toString());
        if (property != null) {
            p.put("neighd." + property, value);
        }
        String[] args = p.entrySet().stream().map(e -> "--" + e.getKey() + "=" + e.getValue()).toArray(String[]::new);
        return new SpringApplicationBuilder(NeighdApplication.class).run(args);
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "interfaces[0].addresses[0]          | 10.77.0.1/33         | neighd.interfaces[nd0].addresses: '10.77.0.1/33'",
        "interfaces[0].addresses[0]          | 10.77.0.1            | no prefix length",
        "interfaces[0].mac                   | 02:aa:00:00:01       | neighd.interfaces[nd0].mac",
        "interfaces[0].vlan                  | 4095                 | neighd.interfaces[nd0].vlan: 4095 is not a VLAN id (1-4094",
        "interfaces[0].vlan                  | 0                    | 0 is the priority tag, not a VLAN: leave vlan out for an untagged interface",
        "interfaces[0].mac                   | 01:00:5e:00:00:01    | neighd.interfaces[nd0].mac: 01:00:5e:00:00:01 is a multicast address",
        "interfaces[0].mac                   | 00:00:00:00:00:00    | neighd.interfaces[nd0].mac: 00:00:00:00:00:00 is all zeros",
        "interfaces[0].name                  | nd0-is-too-long0     | 'nd0-is-too-long0' has 16 characters: Linux names have at most 15 (IFNAMSIZ)",
        "interfaces[0].name                  | nd0:1                | 'nd0:1' cannot contain ':'",
        "api.token                           | two words-0123456789 | neighd.api.token: ' ' at position 4 is a character a bearer token cannot carry",
        "api.token                           | 0123456789abcde      | neighd.api.token: 15 characters is too short: use at least 16",
        "api.read-token                      | write-token-0123456789 | neighd.api.read-token must differ from neighd.api.token",
        "events.buffer                       | 0                    | neighd.events.buffer: 0 is too small (at least 16)",
        "events.max-subscribers              | 0                    | neighd.events.max-subscribers: 0 is too small (at least 1)",
        "api.max-full-dumps                  | 0                    | neighd.api.max-full-dumps: 0 is out of range: give 1 to 1024 (whole-table answers at once; pages are not counted)",
        "api.max-full-dumps                  | 1025                 | neighd.api.max-full-dumps: 1025 is out of range: give 1 to 1024",
        "interfaces[0].capture-buffer        | 512KB                | neighd.interfaces[nd0].capture-buffer: 0MB (524288 bytes) is out of range: give 1MB to 1024MB",
        "interfaces[0].capture-buffer        | 2GB                  | give 1MB to 1024MB, e.g. 64MB",
        "routes[0]                           | default via 10.9.9.9 | not on a connected subnet",
        "sysctl.net.ipv4.conf.nd0.arp_ignor  | 1                    | arp_ignor",
        "sysctl.net.ipv4.conf.nd0.arp_ignore | 2147483648           | net.ipv4.conf.nd0.arp_ignore",
    })
    void aBadValueStopsStartUpWithAMessageNamingIt(String property, String value, String expected) {
        assertThatThrownBy(() -> start(property, value).close()).satisfies(t -> {
            List<String> messages = new ArrayList<>();
            for (Throwable c = t; c != null; c = c.getCause()) {
                messages.add(String.valueOf(c.getMessage()));
            }
            assertThat(messages).as("the messages of what start-up threw").anySatisfy(m -> assertThat(m).contains(expected));
        });
    }

    @Test
    void aCaptureBufferWithinRangeIsTakenInBytes() {
        try (ConfigurableApplicationContext ctx = start("interfaces[0].capture-buffer", "64MB")) {
            NeighdProperties p = ctx.getBean(NeighdProperties.class);
            assertThat(p.interfaces().get(0).captureBufferBytes()).isEqualTo(64 << 20);
        }
    }

    @Test
    void withoutACaptureBufferTheRingIs16MiB() {
        try (ConfigurableApplicationContext ctx = start(null, null)) {
            assertThat(ctx.getBean(NeighdProperties.class).interfaces().get(0).captureBufferBytes()).isEqualTo(16 << 20);
        }
    }
}
