package io.neighd.arp;

import io.neighd.wire.IpAddress;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Which family's frames can end with a code: ARP and IPv4 codes, ND codes, and those both paths share. */
class ReasonFamilyTest {
    @Test
    void eachCodeBelongsToItsFamilies() {
        assertThat(Reason.CREATED_BY_SCAN.appliesTo(IpAddress.AF_INET)).isTrue();
        assertThat(Reason.CREATED_BY_SCAN.appliesTo(IpAddress.AF_INET6)).isFalse();
        assertThat(Reason.NDISC_NS_REPLIED.appliesTo(IpAddress.AF_INET6)).isTrue();
        assertThat(Reason.NDISC_NS_REPLIED.appliesTo(IpAddress.AF_INET)).isFalse();
        assertThat(Reason.TABLE_FULL.appliesTo(IpAddress.AF_INET)).isTrue();
        assertThat(Reason.TABLE_FULL.appliesTo(IpAddress.AF_INET6)).isTrue();
    }
}
