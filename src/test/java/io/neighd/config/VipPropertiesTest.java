package io.neighd.config;

import io.neighd.cluster.Announce;
import io.neighd.cluster.VipSpec;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code neighd.vips[K].address}: either family, with a prefix; a bad one names the field and the fix. */
class VipPropertiesTest {
    static VipProperties.Vip vip(String address) {
        return new VipProperties.Vip(address, null, null);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "10.77.0.100/24, 10.77.0.100, 24",
            "fd77::55/64, fd77::55, 64",
            "FD77:0:0:0::0055/64, fd77::55, 64",
            "2001:db8::1/128, 2001:db8::1, 128",
    })
    void eitherFamilyIsKeyedByItsCanonicalText(String address, String key, int prefix) {
        VipSpec s = vip(address).spec(Announce.DEFAULT, 0);
        assertThat(s.key()).isEqualTo(key);
        assertThat(s.cidr().prefixLength()).isEqualTo(prefix);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "fd77::55       | neighd.vips[0].address: 'fd77::55' is not an address with prefix",
            "fd77::5g/64    | neighd.vips[0].address: 'fd77::5g/64' is not an address with prefix",
            "fd77::55/129   | neighd.vips[0].address: 'fd77::55/129' is not an address with prefix",
            "fe80::55/64    | neighd.vips[0].address: fe80::55 cannot be elected (link-local)",
            "ff02::1/64     | neighd.vips[0].address: ff02::1 cannot be elected (multicast)",
            "::/64          | neighd.vips[0].address: :: cannot be elected (unspecified)",
            "::1/128        | neighd.vips[0].address: ::1 cannot be elected (loopback)",
            "::ffff:10.0.0.1/128 | neighd.vips[0].address: ::ffff:10.0.0.1 cannot be elected (IPv4-mapped)",
    })
    void badAddressesNameTheField(String address, String message) {
        assertThatThrownBy(() -> vip(address).spec(Announce.DEFAULT, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(message);
    }

    @Test
    void twoSpellingsOfOneIpv6AddressAreOneAddressElectedTwice() {
        assertThatThrownBy(() -> new VipProperties(List.of(vip("fd77::55/64"), vip("fd77:0::55/64"))))
                .hasMessage("neighd.vips[1].address: fd77:0::55/64 is elected twice");
    }
}
