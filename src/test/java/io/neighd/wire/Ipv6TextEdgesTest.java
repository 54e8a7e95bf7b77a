package io.neighd.wire;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Edges of IPv6 text the first tests missed (found by the mutation run). */
class Ipv6TextEdgesTest {
    /** RFC 5952 §4.2.3: the longest run is compressed, also when a shorter one starts the address. */
    @Test
    void aLeadingShortRunDoesNotHideALongerOne() {
        assertThat(Ipv6Address.parse("0:0:1:0:0:0:2:3")).hasToString("0:0:1::2:3");
    }

    @Test
    void aPrefixLengthWithoutAnAddressIsAnInvalidAddress() {
        assertThatThrownBy(() -> Ipv6Cidr.parse("/64"))
                .hasMessage("invalid address in '/64' (expected: like 2001:db8::1/64)");
    }
}
