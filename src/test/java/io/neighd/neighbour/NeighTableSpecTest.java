package io.neighd.neighbour;

import io.neighd.arp.ArpNeighOps;
import org.junit.jupiter.api.Test;

import java.util.EnumMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A protocol's table spec is complete or refused: a default for every knob, and a key of 4 or 16 bytes. */
class NeighTableSpecTest {
    private static Map<NeighVar, Integer> arpDefaults() {
        return new EnumMap<>(ArpNeighOps.SPEC.defaults());
    }

    @Test
    void aSixteenByteKeyIsAccepted() {
        NeighTableSpec nd = new NeighTableSpec("ndisc_cache", 10, 16, arpDefaults(), 128, 512, 1024);

        assertThat(nd.keyLen()).isEqualTo(16);
        assertThat(nd.defaultValue(NeighVar.PROXY_DELAY)).isEqualTo(800);
    }

    @Test
    void otherKeyLengthsAreRefused() {
        assertThatThrownBy(() -> new NeighTableSpec("x_cache", 2, 6, arpDefaults(), 128, 512, 1024))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("x_cache: key length 6 (expected: 4 or 16)");
    }

    @Test
    void aMissingDefaultIsRefusedByName() {
        Map<NeighVar, Integer> d = arpDefaults();
        d.remove(NeighVar.LOCKTIME);

        assertThatThrownBy(() -> new NeighTableSpec("x_cache", 2, 4, d, 128, 512, 1024))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("x_cache: no default for LOCKTIME");
    }

    @Test
    void theDefaultsAreCopied() {
        Map<NeighVar, Integer> d = arpDefaults();
        NeighTableSpec spec = new NeighTableSpec("x_cache", 2, 4, d, 128, 512, 1024);

        d.put(NeighVar.LOCKTIME, 7);

        assertThat(spec.defaultValue(NeighVar.LOCKTIME)).isEqualTo(1000);
    }
}
