package io.neighd.wire;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code ip -6 addr add 2001:db8::1/64}: the address as given, the prefix length 0 to 128, 128 if absent. */
class Ipv6CidrTest {
    @ParameterizedTest(name = "{0} -> {1}, network {2}")
    @CsvSource({
            "2001:db8::1/64, 2001:db8::1/64, 2001:db8::",
            "2001:db8::1, 2001:db8::1/128, 2001:db8::1",
            "2001:db8:ffff::1/0, 2001:db8:ffff::1/0, ::",
            "2001:db8:ffff::1/9, 2001:db8:ffff::1/9, 2000::",
            "2001:db8:ffff::1/10, 2001:db8:ffff::1/10, 2000::",
            "2001:db8:ffff::1/128, 2001:db8:ffff::1/128, 2001:db8:ffff::1",
            "' fe80::1/64 ', fe80::1/64, fe80::"})
    void parsesAndPrints(String text, String printed, String network) {
        Ipv6Cidr c = Ipv6Cidr.parse(text);

        assertThat(c).hasToString(printed);
        assertThat(c.network()).hasToString(network);
    }

    @ParameterizedTest(name = "''{0}''")
    @ValueSource(strings = {"2001:db8::1/", "2001:db8::1/129", "2001:db8::1/1280", "2001:db8::1/0128",
            "2001:db8::1/:", "2001:db8::1//", "2001:db8::1/-1", "2001:db8::1/6a"})
    void aBadPrefixLengthIsNamed(String text) {
        assertThatThrownBy(() -> Ipv6Cidr.parse(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("invalid prefix length in '" + text + "' (expected: like 2001:db8::1/64, prefix 0-128)");
    }

    @Test
    void aBadAddressIsNamed() {
        assertThatThrownBy(() -> Ipv6Cidr.parse("2001:db8::g/64"))
                .hasMessage("invalid address in '2001:db8::g/64' (expected: like 2001:db8::1/64)");
        assertThatThrownBy(() -> Ipv6Cidr.parse(null))
                .hasMessage("address/prefix is missing (expected: like 2001:db8::1/64)");
    }

    @Test
    void containsComparesThePrefixOnly() {
        Ipv6Cidr c = Ipv6Cidr.parse("2001:db8::1/64");
        Ipv6Address in = Ipv6Address.parse("2001:db8::ffff:1");
        Ipv6Address out = Ipv6Address.parse("2001:db8:0:1::1");

        assertThat(c.contains(in.hi(), in.lo())).isTrue();
        assertThat(c.contains(out.hi(), out.lo())).isFalse();
    }
}
