package io.neighd.wire;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * MAC addresses as {@code ip neigh} prints them: six colon-separated pairs of ASCII hex digits,
 * nothing else. Bad input is refused with the text quoted and the expected form named.
 */
class MacAddressTest {

    @ParameterizedTest(name = "''{0}'' is {1}")
    @CsvSource(delimiter = '|', value = {
            "02:aa:00:00:00:01   | 02aa00000001",
            "02:AA:00:00:00:01   | 02aa00000001",
            "02:Aa:bC:dE:fF:01   | 02aabcdeff01",
            "ff:ff:ff:ff:ff:ff   | ffffffffffff",
            "00:00:00:00:00:00   | 000000000000",
            "01:00:5e:7f:ff:fa   | 01005e7ffffa",
            "90:09:19:99:09:90   | 900919990990"})
    void goodInputs(String text, String hex) {
        MacAddress m = MacAddress.parse(text);

        assertThat(m.bits()).isEqualTo(Long.parseLong(hex, 16));
        assertThat(m.toString()).isEqualTo(text.toLowerCase());
        assertThat(MacAddress.parse(m.toString())).isEqualTo(m);
    }

    @Test
    void surroundingWhitespaceIsTrimmed() {
        assertThat(MacAddress.parse(" 02:aa:00:00:00:01\t")).isEqualTo(MacAddress.parse("02:aa:00:00:00:01"));
    }

    @ParameterizedTest(name = "''{0}''")
    @ValueSource(strings = {"", " ", "02:aa:00:00:00", "02:aa:00:00:00:01:02", "02-aa-00-00-00-01", "02aa.0000.0001",
            "02aa00000001", "02:aa:00:00:00:0g", "2:aa:00:00:00:01", "002:aa:00:00:00:1", "02:aa:00:00:00:+1",
            "02:aa:00:00:00:-1", "02:aa:00:00:00:1 ", "02::aa:00:00:00:1", "0x:aa:00:00:00:01",
            // non-ASCII digits and letters that Character.digit would accept
            "\u0660\u0662:aa:00:00:00:01", "\uff10\uff12:aa:00:00:00:01", "02:\uff21\uff21:00:00:00:01"})
    void badInputsAreRefusedQuotingTheText(String text) {
        assertThatThrownBy(() -> MacAddress.parse(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("invalid MAC address '" + text + "' (expected: six hex pairs like 02:aa:00:00:00:01)");
    }

    @Test
    void missingInputSaysSo() {
        assertThatThrownBy(() -> MacAddress.parse(null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("MAC address is missing (expected: six hex pairs like 02:aa:00:00:00:01)");
    }

    @Test
    void moreThan48BitsAreRefused() {
        assertThatThrownBy(() -> new MacAddress(1L << 48)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("MAC address has more than 48 bits: 0x1000000000000");
        assertThatThrownBy(() -> new MacAddress(-1L)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void groupBitAndSpecialAddresses() {
        assertThat(MacAddress.parse("01:00:5e:00:00:01").isMulticast()).isTrue();
        assertThat(MacAddress.BROADCAST.isMulticast()).isTrue();
        assertThat(MacAddress.BROADCAST.isBroadcast()).isTrue();
        assertThat(MacAddress.parse("02:aa:00:00:00:01").isMulticast()).isFalse();
        assertThat(MacAddress.parse("03:aa:00:00:00:01").isMulticast()).isTrue();
        assertThat(MacAddress.ZERO.isZero()).isTrue();
        assertThat(MacAddress.parse("00:00:00:00:00:01").isZero()).isFalse();
        assertThat(MacAddress.parse("ff:ff:ff:ff:ff:fe").isBroadcast()).isFalse();
        assertThat(MacAddress.ZERO.isBroadcast()).isFalse();
    }

    @Test
    void bytesRoundTrip() {
        MacAddress m = MacAddress.parse("02:aa:bb:cc:dd:ee");
        byte[] b = new byte[8];
        MacAddress.write(m.bits(), b, 1);

        assertThat(b).containsExactly(0, 0x02, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0);
        assertThat(MacAddress.of(b, 1)).isEqualTo(m);
        assertThat(m.toBytes()).containsExactly(0x02, 0xaa, 0xbb, 0xcc, 0xdd, 0xee);
    }
}
