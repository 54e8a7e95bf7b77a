package io.neighd.wire;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Dotted-quad IPv4 addresses, strictly: four decimal octets 0-255 in ASCII digits, no leading
 * zeros (inet_aton's octal and hex forms are refused rather than misread), nothing around them but
 * whitespace.
 */
class Ipv4AddressTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "10.0.0.1, 0x0a000001",
            "0.0.0.0, 0x00000000",
            "255.255.255.255, 0xffffffff",
            "192.168.1.254, 0xc0a801fe",
            "1.2.3.4, 0x01020304",
            "100.64.0.10, 0x6440000a"})
    void goodInputs(String text, String hex) {
        Ipv4Address a = Ipv4Address.parse(text);

        assertThat(a.bits()).isEqualTo((int) Long.parseLong(hex.substring(2), 16));
        assertThat(a.toString()).isEqualTo(text);
    }

    @Test
    void surroundingWhitespaceIsTrimmed() {
        assertThat(Ipv4Address.parse(" 10.0.0.1\n")).isEqualTo(Ipv4Address.parse("10.0.0.1"));
    }

    @ParameterizedTest(name = "''{0}''")
    @ValueSource(strings = {"", " ", "10.0.0", "10.0.0.1.2", "256.0.0.1", "10.0.0.256", "01.0.0.1", "10.00.0.1",
            "10.0.0.01", "10..0.1", "10.0.0.", ".10.0.0", "1e.0.0.1", "10.0.0.1/24", "+1.0.0.1", "-1.0.0.1",
            "1000.0.0.1", "0x0a.0.0.1", "10 .0.0.1", "167772161", "10.0.0.1.", "\u0661\u0660.0.0.1",
            "\uff11\uff10.0.0.1", "localhost"})
    void badInputsAreRefusedQuotingTheText(String text) {
        assertThatThrownBy(() -> Ipv4Address.parse(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("invalid IPv4 address '" + text + "' (expected: dotted quad like 10.0.0.1)");
    }

    @Test
    void missingInputSaysSo() {
        assertThatThrownBy(() -> Ipv4Address.parse(null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("IPv4 address is missing (expected: dotted quad like 10.0.0.1)");
    }

    /** include/linux/in.h: ipv4_is_multicast, ipv4_is_loopback, ipv4_is_zeronet, ipv4_is_lbcast. */
    @Test
    void classifications() {
        assertThat(Ipv4Address.isMulticast(Ipv4Address.parseBits("224.0.0.0"))).isTrue();
        assertThat(Ipv4Address.isMulticast(Ipv4Address.parseBits("239.255.255.255"))).isTrue();
        assertThat(Ipv4Address.isMulticast(Ipv4Address.parseBits("240.0.0.0"))).isFalse();
        assertThat(Ipv4Address.isMulticast(Ipv4Address.parseBits("223.255.255.255"))).isFalse();
        assertThat(Ipv4Address.isLoopback(Ipv4Address.parseBits("127.1.2.3"))).isTrue();
        assertThat(Ipv4Address.isLoopback(Ipv4Address.parseBits("128.0.0.1"))).isFalse();
        // only 0.0.0.0 since Linux 5.3 made the rest of 0/8 unicast (the reference kernel answers 0.1.2.3)
        assertThat(Ipv4Address.isZeronet(0)).isTrue();
        assertThat(Ipv4Address.isZeronet(Ipv4Address.parseBits("0.255.0.1"))).isFalse();
        assertThat(Ipv4Address.isZeronet(Ipv4Address.parseBits("1.0.0.0"))).isFalse();
        assertThat(Ipv4Address.isLbcast(0xffffffff)).isTrue();
        assertThat(Ipv4Address.isLbcast(Ipv4Address.parseBits("10.0.0.255"))).isFalse();
    }

    /** The same classifications on the value, and the value as a table key: AF_INET, hi 0, lo the four bytes. */
    @Test
    void theValueClassifiesItselfAndIsAnAfInetKey() {
        assertThat(Ipv4Address.parse("224.0.0.251").isMulticast()).isTrue();
        assertThat(Ipv4Address.parse("10.0.0.1").isMulticast()).isFalse();
        assertThat(Ipv4Address.parse("127.0.0.1").isLoopback()).isTrue();
        assertThat(Ipv4Address.parse("10.0.0.1").isLoopback()).isFalse();
        assertThat(Ipv4Address.ANY.isAny()).isTrue();
        assertThat(Ipv4Address.parse("0.0.0.1").isAny()).isFalse();
        Ipv4Address a = Ipv4Address.parse("224.1.2.3");
        assertThat(a.family()).isEqualTo(IpAddress.AF_INET).isEqualTo(2);
        assertThat(a.hi()).isZero();
        assertThat(a.lo()).isEqualTo(0xe0010203L);
    }

    @Test
    void masks() {
        assertThat(Ipv4Address.mask(0)).isZero();
        assertThat(Ipv4Address.mask(1)).isEqualTo(0x80000000);
        assertThat(Ipv4Address.mask(24)).isEqualTo(0xffffff00);
        assertThat(Ipv4Address.mask(31)).isEqualTo(0xfffffffe);
        assertThat(Ipv4Address.mask(32)).isEqualTo(0xffffffff);
    }

    @Test
    void orderIsUnsigned() {
        assertThat(Ipv4Address.parse("10.0.0.1")).isLessThan(Ipv4Address.parse("200.0.0.1"));
        assertThat(Ipv4Address.parse("255.255.255.255")).isGreaterThan(Ipv4Address.parse("127.0.0.1"));
    }

    @Test
    void bytesRoundTrip() {
        byte[] b = new byte[6];
        Ipv4Address.write(Ipv4Address.parseBits("192.168.1.254"), b, 1);

        assertThat(b).containsExactly(0, 192, 168, 1, 254, 0);
        assertThat(Ipv4Address.of(b, 1)).isEqualTo(Ipv4Address.parse("192.168.1.254"));
    }
}
