package io.neighd.wire;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code ADDR/LEN} as {@code ip addr add} and {@code ip route add} take it; no length means /32. */
class Ipv4CidrTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "10.0.0.1/24, 10.0.0.1, 24, 10.0.0.0",
            "10.0.0.1, 10.0.0.1, 32, 10.0.0.1",
            "0.0.0.0/0, 0.0.0.0, 0, 0.0.0.0",
            "10.0.0.1/32, 10.0.0.1, 32, 10.0.0.1",
            "10.255.3.4/8, 10.255.3.4, 8, 10.0.0.0",
            "10.200.0.1/9, 10.200.0.1, 9, 10.128.0.0",
            "192.168.7.9/31, 192.168.7.9, 31, 192.168.7.8"})
    void goodInputs(String text, String address, int prefixLength, String network) {
        Ipv4Cidr c = Ipv4Cidr.parse(text);

        assertThat(c.address()).isEqualTo(Ipv4Address.parse(address));
        assertThat(c.prefixLength()).isEqualTo(prefixLength);
        assertThat(c.network()).isEqualTo(Ipv4Address.parse(network));
    }

    @Test
    void surroundingWhitespaceIsTrimmed() {
        assertThat(Ipv4Cidr.parse(" 10.0.0.1/8 ")).isEqualTo(new Ipv4Cidr(Ipv4Address.parse("10.0.0.1"), 8));
    }

    @ParameterizedTest(name = "''{0}''")
    @ValueSource(strings = {"10.0.0.1/33", "10.0.0.1/", "10.0.0.1/-1", "10.0.0.1/2a", "10.0.0.1/100",
            "10.0.0.1/24/8", "10.0.0.1/ 24", "10.0.0.1/+8", "10.0.0.1/\u0662\u0664", "10.0.0.1/\uff12\uff14"})
    void badPrefixLengths(String text) {
        assertThatThrownBy(() -> Ipv4Cidr.parse(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("invalid prefix length in '" + text + "' (expected: like 10.0.0.1/24, prefix 0-32)");
    }

    @ParameterizedTest(name = "''{0}''")
    @ValueSource(strings = {"/24", "10.0.0/24", "10.0.0.256/24", "host/24", "010.0.0.1/24"})
    void badAddresses(String text) {
        assertThatThrownBy(() -> Ipv4Cidr.parse(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("invalid address in '" + text + "' (expected: like 10.0.0.1/24)");
    }

    @Test
    void withoutSlashTheWholeTextIsTheAddress() {
        assertThatThrownBy(() -> Ipv4Cidr.parse("10.0.0")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("invalid IPv4 address '10.0.0' (expected: dotted quad like 10.0.0.1)");
        assertThatThrownBy(() -> Ipv4Cidr.parse(null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("address/prefix is missing (expected: like 10.0.0.1/24)");
    }

    @Test
    void theRecordValidatesItsFields() {
        assertThatThrownBy(() -> new Ipv4Cidr(null, 24)).hasMessage("address is missing");
        assertThatThrownBy(() -> new Ipv4Cidr(Ipv4Address.ANY, 33))
                .hasMessage("prefix length 33 is out of range (expected: 0-32)");
        assertThatThrownBy(() -> new Ipv4Cidr(Ipv4Address.ANY, -1))
                .hasMessage("prefix length -1 is out of range (expected: 0-32)");
    }

    @Test
    void contains() {
        Ipv4Cidr c = Ipv4Cidr.parse("10.0.0.1/24");
        assertThat(c.contains(Ipv4Address.parseBits("10.0.0.255"))).isTrue();
        assertThat(c.contains(Ipv4Address.parseBits("10.0.1.0"))).isFalse();
        assertThat(Ipv4Cidr.parse("0.0.0.0/0").contains(0xffffffff)).isTrue();
        assertThat(c.toString()).isEqualTo("10.0.0.1/24");
    }
}
