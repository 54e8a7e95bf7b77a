package io.neighd.wire;

import java.util.Arrays;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * IPv6 text as RFC 4291 writes it and inet_ntop (so {@code ip -6}) prints it (RFC 5952), and the
 * derived addresses ndisc and addrconf use: solicited-node groups, their 33:33 MACs, EUI-64
 * link-local addresses.
 */
class Ipv6AddressTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "2001:db8::1, 2001:db8::1",
            "2001:0DB8:0000:0000:0000:0000:0000:0001, 2001:db8::1",
            "::, ::",
            "::1, ::1",
            "1::, 1::",
            "fe80::4e:44ff:fe00:1, fe80::4e:44ff:fe00:1",
            // the longest zero run is compressed; the first of equal runs
            "2001:db8:0:0:1:0:0:1, 2001:db8::1:0:0:1",
            "2001:0:0:1:0:0:0:1, 2001:0:0:1::1",
            "1:0:0:1:1:1:0:0, 1::1:1:1:0:0",
            "ABCD:EF01::F, abcd:ef01::f",
            // a single zero group is not compressed (RFC 5952 4.2.2)
            "2001:db8:0:1:1:1:1:1, 2001:db8:0:1:1:1:1:1",
            "ff02::1:ff00:1, ff02::1:ff00:1",
            "::ffff:10.77.0.1, ::ffff:10.77.0.1",
            "::ffff:a4d:1, ::ffff:10.77.0.1",
            "0:0:0:0:0:0:1.2.3.4, ::1.2.3.4",
            "1:2:3:4:5:6:7:8, 1:2:3:4:5:6:7:8",
            "1:2:3:4:5:6::, 1:2:3:4:5:6::",
            "::2:3:4:5:6:7:8, 0:2:3:4:5:6:7:8"})
    void parsesAndPrintsAsInetNtop(String text, String printed) {
        Ipv6Address a = Ipv6Address.parse(text);

        assertThat(a.toString()).isEqualTo(printed);
        assertThat(Ipv6Address.parse(printed)).isEqualTo(a);
    }

    @ParameterizedTest(name = "''{0}''")
    @ValueSource(strings = {"", ":", ":::", "1:2:3:4:5:6:7:8:9", "1::2::3", "12345::", "g::1", ":1::", "1::2:",
            "1:2:3:4:5:6:7", "fe80::1%eth0", "2001:db8::/64", "1.2.3.4", "::1.2.3", "::1.2.3.4.5", "1:2:3:4:5:6:7:1.2.3.4",
            "::1::2", "::1:2:3:4:5:6:7:8", "1:2:3:4:5:6:7:8::", "@::1", "G::1", "`::1", "::/::"})
    void badTextIsRefusedQuotingIt(String text) {
        assertThatThrownBy(() -> Ipv6Address.parse(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("invalid IPv6 address '" + text + "'");
    }

    @Test
    void aZoneGetsItsOwnHint() {
        assertThatThrownBy(() -> Ipv6Address.parse("fe80::1%nd0")).hasMessageContaining("name the interface");
    }

    /** addrconf_addr_solict_mult() and ipv6_eth_mc_map(). */
    @Test
    void solicitedNodeGroupAndItsMac() {
        Ipv6Address a = Ipv6Address.parse("2001:db8::12:3456:789a");

        assertThat(a.solicitedNode()).isEqualTo(Ipv6Address.parse("ff02::1:ff56:789a"));
        assertThat(Ipv6Address.isSolicitedNode(a.solicitedNode().hi(), a.solicitedNode().lo())).isTrue();
        assertThat(Ipv6Address.isSolicitedNode(Ipv6Address.ALL_NODES.hi(), Ipv6Address.ALL_NODES.lo())).isFalse();
        assertThat(MacAddress.toString(Ipv6Address.multicastMac(a.solicitedNode().lo()))).isEqualTo("33:33:ff:56:78:9a");
        assertThat(MacAddress.toString(Ipv6Address.multicastMac(Ipv6Address.ALL_NODES.lo()))).isEqualTo("33:33:00:00:00:01");
    }

    /** addrconf_ifid_eui48(): what the reference namespace shows for the lab's port MAC. */
    @Test
    void linkLocalFromMacAsAddrGenModeEui64() {
        assertThat(Ipv6Address.linkLocal(MacAddress.parse("02:4e:44:00:00:01").bits()))
                .hasToString("fe80::4e:44ff:fe00:1");
        assertThat(Ipv6Address.linkLocal(MacAddress.parse("00:11:22:33:44:55").bits()))
                .hasToString("fe80::211:22ff:fe33:4455");
    }

    @Test
    void classifications() {
        assertThat(Ipv6Address.parse("ff02::1").isMulticast()).isTrue();
        assertThat(Ipv6Address.multicastScope(Ipv6Address.parse("ff02::1").hi())).isEqualTo(2);
        assertThat(Ipv6Address.multicastScope(Ipv6Address.parse("ff01::1").hi())).isEqualTo(1);
        assertThat(Ipv6Address.parse("fe80::1").isLinkLocal()).isTrue();
        assertThat(Ipv6Address.parse("febf::1").isLinkLocal()).isTrue();
        assertThat(Ipv6Address.parse("fec0::1").isLinkLocal()).isFalse();
        assertThat(Ipv6Address.parse("::").isAny()).isTrue();
        assertThat(Ipv6Address.parse("::1").isLoopback()).isTrue();
        assertThat(Ipv6Address.isV4Mapped(0, Ipv6Address.parse("::ffff:1.2.3.4").lo())).isTrue();
    }

    @Test
    void prefixes() {
        Ipv6Address a = Ipv6Address.parse("2001:db8:1:2:3:4:5:6");

        assertThat(a.prefix(64)).hasToString("2001:db8:1:2::");
        assertThat(a.prefix(48)).hasToString("2001:db8:1::");
        assertThat(a.prefix(96)).hasToString("2001:db8:1:2:3:4::");
        assertThat(a.prefix(128)).isEqualTo(a);
        assertThat(a.prefix(0)).isEqualTo(Ipv6Address.ANY);
        assertThat(Ipv6Cidr.parse("2001:db8:1:2::1/64").contains(a.hi(), a.lo())).isTrue();
        assertThat(Ipv6Cidr.parse("2001:db8:1:3::1/64").contains(a.hi(), a.lo())).isFalse();
    }

    @Test
    void eitherFamilyParses() {
        assertThat(IpAddress.parse("10.0.0.1")).isEqualTo(Ipv4Address.parse("10.0.0.1"));
        assertThat(IpAddress.parse("2001:db8::1")).isEqualTo(Ipv6Address.parse("2001:db8::1"));
        assertThat(IpAddress.parse("2001:db8::1").familyName()).isEqualTo("inet6");
        assertThatThrownBy(() -> IpAddress.parse("nd0")).hasMessageContaining("10.0.0.1 or IPv6");
    }

    @ParameterizedTest(name = "''{0}''")
    @ValueSource(strings = {"2001:db8::1/129", "2001:db8::1/", "2001:db8::1/a", "2001:db8::g/64"})
    void badCidrs(String text) {
        assertThatThrownBy(() -> Ipv6Cidr.parse(text)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void onlyAZoneOrAPrefixLengthGetsAHint() {
        assertThatThrownBy(() -> Ipv6Address.parse("1::2::3")).hasMessage(
                "invalid IPv6 address '1::2::3' (expected: like 2001:db8::1 or fe80::1)");
        assertThatThrownBy(() -> Ipv6Address.parse("2001:db8::/64")).hasMessage(
                "invalid IPv6 address '2001:db8::/64' (no prefix length here) (expected: like 2001:db8::1 or fe80::1)");
    }

    @Test
    void classificationsSayNoToOrdinaryAddresses() {
        Ipv6Address a = Ipv6Address.parse("2001:db8::1");

        assertThat(a.isAny()).isFalse();
        assertThat(a.isLoopback()).isFalse();
        assertThat(a.isMulticast()).isFalse();
        assertThat(Ipv6Address.isAny(0, 1)).isFalse();
        assertThat(Ipv6Address.isAny(1, 0)).isFalse();
        assertThat(Ipv6Address.isLoopback(1, 1)).isFalse();
        assertThat(Ipv6Address.isV4Mapped(a.hi(), a.lo())).isFalse();
        assertThat(Ipv6Address.isV4Mapped(1, Ipv6Address.parse("::ffff:1.2.3.4").lo())).isFalse();
        assertThat(((IpAddress) a).isAny()).isFalse();
        assertThat(((IpAddress) Ipv6Address.ANY).isAny()).isTrue();
    }

    /** ipv6_prefix_equal() and the masks on prefixes that do not end on a 32-bit boundary. */
    @Test
    void prefixesOffTheWordBoundaries() {
        Ipv6Address a = Ipv6Address.parse("2001:db8:1:2:3:4:5:6");

        assertThat(Ipv6Address.parse("2001:db8:1:2:3:4:f005:6").prefix(100)).hasToString("2001:db8:1:2:3:4:f000:0");
        assertThat(Ipv6Address.maskLo(100)).isEqualTo(-1L << 28);
        assertThat(Ipv6Address.maskHi(0)).isZero();
        assertThat(Ipv6Address.maskLo(64)).isZero();
        assertThat(Ipv6Address.prefixEqual(a.hi(), a.lo(), a.hi(), a.lo(), 128)).isTrue();
        assertThat(Ipv6Address.prefixEqual(a.hi(), a.lo(), a.hi(), a.lo() ^ 1, 127)).isTrue();
        assertThat(Ipv6Address.prefixEqual(a.hi(), a.lo(), a.hi(), a.lo() ^ 1, 128)).isFalse();
        assertThat(Ipv6Address.prefixEqual(a.hi(), a.lo(), a.hi() ^ 1, a.lo(), 64)).isFalse();
    }

    /** The 16 bytes in network order, read and written at an offset inside a frame. */
    @Test
    void bytesInNetworkOrderAtAnOffset() {
        Ipv6Address a = Ipv6Address.parse("2001:db8:1:2:3:4:5:6");
        byte[] frame = new byte[4 + 16 + 2];
        a.write(frame, 4);

        assertThat(Arrays.copyOfRange(frame, 4, 20)).containsExactly(
                0x20, 0x01, 0x0d, 0xb8, 0, 1, 0, 2, 0, 3, 0, 4, 0, 5, 0, 6);
        assertThat(frame[3]).isZero();
        assertThat(frame[20]).isZero();
        assertThat(Ipv6Address.of(frame, 4)).isEqualTo(a);
        assertThat(Ipv6Address.readLo(frame, 4)).isEqualTo(0x0003_0004_0005_0006L);
        assertThat(a.toBytes()).containsExactly(Arrays.copyOfRange(frame, 4, 20));
    }

    /** Unsigned order, as memcmp() of the bytes. */
    @Test
    void orderIsThatOfTheBytes() {
        Ipv6Address low = Ipv6Address.parse("2001:db8::1");

        assertThat(Ipv6Address.parse("ff02::1")).isGreaterThan(low);
        assertThat(Ipv6Address.parse("2001:db8::ffff:0:0")).isGreaterThan(low);
        assertThat(Ipv6Address.parse("2001:db8::")).isLessThan(low);
        assertThat(Ipv6Address.parse("2001:db8::1").compareTo(low)).isZero();
    }
}
