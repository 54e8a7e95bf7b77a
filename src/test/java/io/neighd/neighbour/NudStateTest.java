package io.neighd.neighbour;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** NUD_* as include/uapi/linux/neighbour.h numbers them, and the names {@code ip neigh ... nud STATE} takes. */
class NudStateTest {
    @ParameterizedTest(name = "nud {0} is {1}, bit 0x{2}")
    @CsvSource({"none, NONE, 00", "incomplete, INCOMPLETE, 01", "REACHABLE, REACHABLE, 02", " Stale , STALE, 04",
            "delay, DELAY, 08", "probe, PROBE, 10", "failed, FAILED, 20", "noarp, NOARP, 40",
            "permanent, PERMANENT, 80"})
    void namesParseCaseInsensitivelyToTheKernelsBits(String text, NudState state, String bit) {
        assertThat(NudState.parse(text)).isEqualTo(state);
        assertThat(state.bit()).isEqualTo(Integer.parseInt(bit, 16));
        assertThat(NudState.ofBit(state.bit())).isEqualTo(state);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "reachable!", "all", "0x02"})
    void otherNamesAreRefusedListingTheStates(String text) {
        assertThatThrownBy(() -> NudState.parse(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown neighbour state '" + text + "' (expected one of: none, incomplete, reachable, "
                        + "stale, delay, probe, failed, noarp, permanent)");
    }

    @Test
    void aMissingNameIsRefused() {
        assertThatThrownBy(() -> NudState.parse(null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("unknown neighbour state 'null'");
    }

    @Test
    void aMaskIsNotOneState() {
        assertThatThrownBy(() -> NudState.ofBit(NudState.NUD_VALID)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("not a single NUD state: 0xde");
    }
}
