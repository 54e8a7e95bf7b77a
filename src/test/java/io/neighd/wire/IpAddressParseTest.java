package io.neighd.wire;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Either family from text: a colon anywhere (first included) makes it IPv6, digits and dots IPv4. */
class IpAddressParseTest {
    @Test
    void theFamilyIsTakenFromTheText() {
        assertThat(IpAddress.parse("::1")).isEqualTo(Ipv6Address.LOOPBACK);
        assertThat(IpAddress.parse("10.0.0.0")).isEqualTo(Ipv4Address.parse("10.0.0.0"));
        assertThat(IpAddress.parse("9.9.9.9")).isEqualTo(Ipv4Address.parse("9.9.9.9"));
        assertThat(IpAddress.parse("0.0.0.0").isAny()).isTrue();
        assertThat(IpAddress.parse("10.0.0.1").isAny()).isFalse();
        assertThat(IpAddress.parse("0.0.0.1").isAny()).isFalse();
    }

    @Test
    void anythingElseIsRefusedNamingBothForms() {
        assertThatThrownBy(() -> IpAddress.parse("10.0.0.a")).hasMessageContaining("10.0.0.1 or IPv6");
        assertThatThrownBy(() -> IpAddress.parse("/10.0.0.1")).hasMessageContaining("10.0.0.1 or IPv6");
    }
}
