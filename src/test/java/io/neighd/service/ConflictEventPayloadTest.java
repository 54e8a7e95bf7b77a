package io.neighd.service;

import io.neighd.cluster.ConflictGuard;
import io.neighd.wire.Ipv4Address;
import io.neighd.wire.Ipv6Address;
import io.neighd.wire.MacAddress;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a FLIPFLOP event's data reads as on /api/v1/events: addresses as ip prints them, never
 * the wire types' internals (their bits and classification flags, which it showed before).
 */
class ConflictEventPayloadTest {
    private final JsonMapper json = JsonMapper.builder().build();

    @Test
    void anIpv4FlipFlopReadsAsText() {
        var f = new ConflictGuard.FlipFlop("nd0", Ipv4Address.parse("10.77.0.9"),
                MacAddress.parse("02:4e:44:00:00:02"), MacAddress.parse("02:4e:44:00:00:01"));

        assertThat(json.writeValueAsString(ConflictMonitor.FlipFlop.of(f))).isEqualTo(
                "{\"dev\":\"nd0\",\"dst\":\"10.77.0.9\",\"family\":\"inet\",\"from\":\"02:4e:44:00:00:02\","
                        + "\"to\":\"02:4e:44:00:00:01\"}");
    }

    @Test
    void anIpv6FlipFlopReadsAsText() {
        var f = new ConflictGuard.FlipFlop("nd0", Ipv6Address.parse("fd77::9"),
                MacAddress.parse("02:4e:44:00:00:02"), MacAddress.parse("02:4e:44:00:00:01"));

        assertThat(json.writeValueAsString(ConflictMonitor.FlipFlop.of(f))).isEqualTo(
                "{\"dev\":\"nd0\",\"dst\":\"fd77::9\",\"family\":\"inet6\",\"from\":\"02:4e:44:00:00:02\","
                        + "\"to\":\"02:4e:44:00:00:01\"}");
    }
}
