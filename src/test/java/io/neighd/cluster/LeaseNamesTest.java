package io.neighd.cluster;

import io.neighd.wire.IpAddress;
import io.neighd.wire.Ipv4Address;
import io.neighd.wire.Ipv6Address;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Lease names for elected addresses: Kubernetes object names are DNS-1123 subdomains (lower-case
 * alphanumerics, '-' and '.', starting and ending alphanumeric, at most 253), so an IPv6 address's
 * colons cannot appear; IPv4 names stay exactly what issue 11 made them, so existing clusters keep
 * their Leases.
 */
class LeaseNamesTest {
    /** k8s.io/apimachinery validation.IsDNS1123Subdomain */
    static final Pattern DNS1123_SUBDOMAIN =
            Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");

    static boolean dns1123(String s) {
        return s.length() <= 253 && DNS1123_SUBDOMAIN.matcher(s).matches();
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "10.77.0.100, neighd-vip-10-77-0-100",
            "192.0.2.1, neighd-vip-192-0-2-1",
            "fd77::55, neighd-vip-fd770000000000000000000000000055",
            "2001:db8::, neighd-vip-20010db8000000000000000000000000",
            "::2, neighd-vip-00000000000000000000000000000002",
            "2001:db8:1:2:3:4:5:6, neighd-vip-20010db8000100020003000400050006",
    })
    void kubernetesNames(String address, String name) {
        String key = IpAddress.parse(address).toString();
        assertThat(LeaseNames.kubernetes("neighd-vip-", key)).isEqualTo(name);
        assertThat(dns1123(name)).as("DNS-1123 subdomain").isTrue();
        assertThat(LeaseNames.key("neighd-vip-", name)).isEqualTo(key);
    }

    @Test
    void roundTripsAndNeverCollideAcrossFamilies() {
        SplittableRandom rnd = new SplittableRandom(13);
        Map<String, String> seen = new HashMap<>();
        for (int i = 0; i < 20_000; i++) {
            IpAddress a = i % 2 == 0 ? new Ipv4Address(rnd.nextInt()) : new Ipv6Address(rnd.nextLong(), rnd.nextLong());
            String key = a.toString();
            String name = LeaseNames.kubernetes("neighd-vip-", key);
            assertThat(dns1123(name)).as(name).isTrue();
            assertThat(LeaseNames.key("neighd-vip-", name)).isEqualTo(key);
            String before = seen.put(name, key);
            assertThat(before == null || before.equals(key)).as(name + " for " + key + " and " + before).isTrue();
        }
        // the edges: the same 32 bits in both families give different names
        assertThat(LeaseNames.kubernetes("p-", "10.0.0.1")).isNotEqualTo(LeaseNames.kubernetes("p-", "::a00:1"));
    }

    @Test
    void etcdKeysAreTheCanonicalText() {
        assertThat(LeaseNames.etcd("/neighd/vips/", "10.77.0.100")).isEqualTo("/neighd/vips/10.77.0.100");
        assertThat(LeaseNames.etcd("/neighd/vips/", "fd77::55")).isEqualTo("/neighd/vips/fd77::55");
    }

    @Test
    void aNameOutsideThePrefixOrMalformedNamesNoAddress() {
        assertThatThrownBy(() -> LeaseNames.key("neighd-vip-", "other-10-0-0-1"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> LeaseNames.key("neighd-vip-", "neighd-vip-fd77"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
