package io.neighd.ndisc;

import io.neighd.arp.Reason;
import io.neighd.testkit.Nd6;
import io.neighd.wire.Icmpv6;
import io.neighd.wire.Ipv6Address;
import io.neighd.wire.NdMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Arrays;
import java.util.Random;
import java.util.function.Supplier;
import java.util.stream.Stream;

import static io.neighd.ndisc.Nd6Fixture.OURS;
import static io.neighd.ndisc.Nd6Fixture.OUR_MAC;
import static io.neighd.ndisc.Nd6Fixture.PEER;
import static io.neighd.ndisc.Nd6Fixture.PEER_MAC;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * Odd IPv6 frames are counted, never thrown: each ends in exactly one {@link Reason}, leaves nd_tbl
 * alone and sends nothing. The checks mirror ip6_rcv_core() (header length, version, loopback
 * addresses, multicast scopes 0 and 1, multicast source, drop_unicast_in_l2_multicast, payload
 * length), ip6_mc_input (membership), icmpv6_rcv() (checksum, 8-byte header) and ndisc_rcv() and
 * its handlers (hop limit 255, code 0, fixed part, options, link-layer option length).
 */
class MalformedIcmpv6Test {
    private static final int ETH = 14;
    private static final int ICMP = ETH + 40;

    private static byte[] ns() {
        return Nd6.ns(PEER_MAC, PEER, OURS);
    }

    private static byte[] na() {
        return Nd6.na(PEER_MAC, PEER, OURS, PEER, Nd6.S | Nd6.O, PEER_MAC.bits(), OUR_MAC);
    }

    /** {@code frame} with bytes changed at {@code offset}, the ICMPv6 checksum then made right again. */
    private static byte[] with(byte[] frame, int offset, int... values) {
        byte[] f = frame.clone();
        for (int i = 0; i < values.length; i++) {
            f[offset + i] = (byte) values[i];
        }
        return fixChecksum(f);
    }

    private static byte[] fixChecksum(byte[] f) {
        int len = io.neighd.wire.Ipv6Packet.payloadLength(f, ETH);
        Ipv6Address s = Ipv6Address.of(f, ETH + 8);
        Ipv6Address d = Ipv6Address.of(f, ETH + 24);
        if (ICMP + len <= f.length) {
            Icmpv6.fillChecksum(f, ICMP, len, s.hi(), s.lo(), d.hi(), d.lo());
        }
        return f;
    }

    /** The IPv6 payload shortened to {@code len} bytes (payload length and frame), checksum fixed. */
    private static byte[] truncatedPayload(byte[] frame, int len) {
        byte[] f = Arrays.copyOf(frame, ICMP + len);
        f[ETH + 4] = (byte) (len >>> 8);
        f[ETH + 5] = (byte) len;
        return fixChecksum(f);
    }

    static Stream<Arguments> table() {
        return Stream.of(
                row("only an Ethernet header and 39 bytes", () -> Arrays.copyOf(ns(), ETH + 39), Reason.MALFORMED_IPV6),
                row("version 4 in an IPv6 EtherType", () -> with(ns(), ETH, 0x40), Reason.MALFORMED_IPV6),
                row("payload length longer than the frame", () -> Arrays.copyOf(ns(), ns().length - 8),
                        Reason.IPV6_TRUNCATED),
                row("multicast source", () -> with(ns(), ETH + 8, 0xff, 0x02), Reason.IPV6_BAD_SOURCE),
                row("loopback source", () -> withAddress(ns(), ETH + 8, "::1"), Reason.IPV6_BAD_SOURCE),
                row("loopback destination", () -> withAddress(Nd6.echo(PEER_MAC, PEER, OURS, OUR_MAC, 1, 1), ETH + 24,
                        "::1"), Reason.IPV6_BAD_DESTINATION),
                row("interface-local multicast destination", () -> withAddress(ns(), ETH + 24, "ff01::1"),
                        Reason.IPV6_BAD_DESTINATION),
                row("multicast destination of scope 0", () -> withAddress(ns(), ETH + 24, "ff00::1"),
                        Reason.IPV6_BAD_DESTINATION),
                row("a group nd0 has not joined", () -> withAddress(ns(), ETH + 24, "ff02::1:ff00:99"),
                        Reason.IPV6_NOT_MEMBER),
                row("a unicast address that is not ours", () -> Nd6.ns(PEER_MAC, PEER, "2001:db8::77", OURS,
                        PEER_MAC.bits(), OUR_MAC), Reason.IPV6_NOT_LOCAL),
                row("not ICMPv6 (UDP)", () -> with(ns(), ETH + 6, 17), Reason.IPV6_NOT_HANDLED),
                row("bad ICMPv6 checksum", () -> {
                    byte[] f = ns();
                    f[ICMP + 2] ^= 0x01;
                    return f;
                }, Reason.BAD_ICMP6),
                row("ICMPv6 of 4 bytes", () -> truncatedPayload(ns(), 4), Reason.BAD_ICMP6),
                row("hop limit 254", () -> with(ns(), ETH + 7, 254), Reason.NDISC_BAD_HOP_LIMIT),
                row("ICMPv6 code 1", () -> with(ns(), ICMP + 1, 1), Reason.NDISC_BAD_CODE),
                row("NS of 20 bytes", () -> truncatedPayload(ns(), 20), Reason.NDISC_TRUNCATED),
                row("NA of 23 bytes", () -> truncatedPayload(na(), 23), Reason.NDISC_TRUNCATED),
                row("option of length 0", () -> with(ns(), ICMP + 25, 0), Reason.NDISC_BAD_OPTIONS),
                row("option running past the end", () -> with(ns(), ICMP + 25, 2), Reason.NDISC_BAD_OPTIONS),
                row("half an option header", () -> truncatedPayload(ns(), 25), Reason.NDISC_BAD_OPTIONS),
                row("16-byte SLLAO on Ethernet", () -> {
                    byte[] f = Arrays.copyOf(ns(), ns().length + 8);
                    f[ETH + 5] = (byte) (32 + 8);
                    f[ICMP + 25] = 2;
                    return fixChecksum(f);
                }, Reason.NDISC_BAD_LLADDR),
                row("16-byte TLLAO on Ethernet", () -> {
                    byte[] f = Arrays.copyOf(na(), na().length + 8);
                    f[ETH + 5] = (byte) (32 + 8);
                    f[ICMP + 25] = 2;
                    return fixChecksum(f);
                }, Reason.NDISC_BAD_LLADDR),
                row("redirect from a global source", () -> with(truncatedPayload(ns(), 24), ICMP,
                        Icmpv6.REDIRECT), Reason.NDISC_NOT_LINK_LOCAL),
                row("redirect shorter than its fixed part", () -> with(withAddress(truncatedPayload(ns(), 24), ETH + 8,
                        "fe80::2"), ICMP, Icmpv6.REDIRECT), Reason.NDISC_BAD_OPTIONS),
                row("unknown ICMPv6 type 200", () -> with(Nd6.echo(PEER_MAC, PEER, OURS, OUR_MAC, 1, 1), ICMP, 200),
                        Reason.ICMP6_NOT_HANDLED),
                row("MLD report", () -> with(ns(), ICMP, Icmpv6.MLD_REPORT), Reason.ICMP6_NOT_HANDLED));
    }

    private static Arguments row(String name, Supplier<byte[]> frame, Reason reason) {
        return arguments(name, frame, reason);
    }

    private static byte[] withAddress(byte[] frame, int offset, String address) {
        byte[] f = frame.clone();
        Ipv6Address.parse(address).write(f, offset);
        return fixChecksum(f);
    }

    @ParameterizedTest(name = "{0}: {2}")
    @MethodSource("table")
    void oddFramesEndInTheirReasonAndChangeNothing(String name, Supplier<byte[]> frame, Reason reason) {
        Nd6Fixture t = new Nd6Fixture();
        long lookups = t.stats().lookups;

        assertThat(t.receive(frame.get())).isEqualTo(reason);
        assertThat(t.fx.tx.all()).isEmpty();
        assertThat(t.unicastEntries()).isEmpty();
        assertThat(t.stats().lookups).isEqualTo(lookups);
        assertThat(t.fx.engine.interfaceStats(t.fx.nd0).count(io.neighd.wire.IpAddress.AF_INET6, reason))
                .isEqualTo(1);
    }

    /** Positive control: the frame the table breaks is itself fine. */
    @Test
    void theUnbrokenFramesAreAnswered() {
        Nd6Fixture t = new Nd6Fixture();
        assertThat(t.receive(ns())).isEqualTo(Reason.NDISC_NS_REPLIED);
        assertThat(t.receive(na())).isEqualTo(Reason.NDISC_NA_UPDATED);
    }

    @Test
    void dropUnicastInL2MulticastDropsUnicastIpv6InABroadcastFrame() {
        Nd6Fixture t = new Nd6Fixture();
        byte[] f = Nd6.ns(PEER_MAC, PEER, OURS, OURS, PEER_MAC.bits(), OUR_MAC);
        io.neighd.wire.MacAddress.write(0xffff_ffff_ffffL, f, 0);
        assertThat(t.receive(f)).as("off: answered").isEqualTo(Reason.NDISC_NS_REPLIED);

        t.sysctl("net.ipv6.conf.nd0.drop_unicast_in_l2_multicast", 1);
        assertThat(t.receive(f)).isEqualTo(Reason.IPV6_UNICAST_IN_L2_MULTICAST);
    }

    @Test
    void disableIpv6DropsEverything() {
        Nd6Fixture t = new Nd6Fixture();
        t.sysctl("net.ipv6.conf.nd0.disable_ipv6", 1);

        assertThat(t.receive(ns())).isEqualTo(Reason.IPV6_DISABLED);
        assertThat(t.fx.engine.addrconf().addresses(t.fx.nd0)).as("and the addresses went").isEmpty();
    }

    @Test
    void randomBytesNeverThrow() {
        Nd6Fixture t = new Nd6Fixture();
        Random rnd = new Random(6);
        byte[] base = ns();
        for (int i = 0; i < 20_000; i++) {
            byte[] f = base.clone();
            int flips = 1 + rnd.nextInt(4);
            for (int k = 0; k < flips; k++) {
                f[ETH + rnd.nextInt(f.length - ETH)] = (byte) rnd.nextInt(256);
            }
            byte[] g = rnd.nextBoolean() ? fixChecksum(f) : f;
            byte[] h = rnd.nextInt(8) == 0 ? Arrays.copyOf(g, ETH + rnd.nextInt(g.length - ETH)) : g;
            assertThatCode(() -> t.fx.engine.receive(t.fx.nd0, h, h.length)).doesNotThrowAnyException();
        }
    }
}
