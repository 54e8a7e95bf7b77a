package io.neighd.wire;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** IpAddress.ORDER, the order of dumps: family first (AF_INET before AF_INET6), then the key as unsigned words. */
class IpAddressOrderTest {
    /** A 16-byte key of the other family, as nd_tbl would hold it. */
    private record Inet6(long hi, long lo) implements IpAddress {
        @Override
        public int family() {
            return AF_INET6;
        }
    }

    @Test
    void ipv4BeforeIpv6ThenUnsignedWords() {
        Ipv4Address low = Ipv4Address.parse("10.0.0.2");
        Ipv4Address high = Ipv4Address.parse("224.0.0.1");
        Inet6 linkLocal = new Inet6(0xfe80_0000_0000_0000L, 1);
        Inet6 documentation = new Inet6(0x2001_0db8_0000_0000L, 1);
        Inet6 documentation2 = new Inet6(0x2001_0db8_0000_0000L, 0xffff_0000_0000_0000L);
        List<IpAddress> all = new ArrayList<>(List.of(linkLocal, high, documentation2, low, documentation));

        all.sort(IpAddress.ORDER);

        assertThat(all).containsExactly(low, high, documentation, documentation2, linkLocal);
        assertThat(IpAddress.ORDER.compare(low, Ipv4Address.parse("10.0.0.2"))).isZero();
    }
}
