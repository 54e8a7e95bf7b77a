package io.neighd.ip;

import io.neighd.arp.Reason;
import io.neighd.testkit.EngineFixture;
import io.neighd.wire.EtherType;
import io.neighd.wire.EthernetFrame;
import io.neighd.wire.IcmpEcho;
import io.neighd.wire.Ipv4Packet;
import io.neighd.wire.MacAddress;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static io.neighd.testkit.EngineFixture.OUR_MAC;
import static io.neighd.testkit.EngineFixture.PEER_MAC;
import static io.neighd.testkit.EngineFixture.ip;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which sources an ICMP echo request to 10.0.0.1 on nd0 may have (issue 10, defect 6): the input
 * route decides before icmp_rcv() sees the packet, as ip_route_input_slow() (martians fib_lookup
 * cannot see: multicast, limited broadcast, 0.0.0.0 — only it since Linux 5.3 made the rest of 0/8
 * unicast —, 127/8 without route_localnet) and
 * fib_validate_source() (rp_filter 0: only a local address is refused, unless accept_local;
 * otherwise the route back decides — none: rp_filter failure; broadcast: invalid; local: needs
 * accept_local; another interface: refused in strict mode 1, accepted in loose mode 2) do in
 * net/ipv4/route.c and fib_frontend.c. Before the fix the echo path checked only that the
 * destination was local and answered every one of them — a subnet broadcast source to
 * ff:ff:ff:ff:ff:ff under rp_filter 1 and 2.
 *
 * <p>nd0 is 10.0.0.1/24, nd1 10.1.0.1/24, no default route. R: answered
 * (ICMP_ECHO_REPLIED); M: dropped as a martian source.
 */
class MartianSourceTest {
    private static final String US = "10.0.0.1";
    private static final MacAddress ND1_MAC = MacAddress.parse("02:aa:00:00:01:01");

    private EngineFixture fx;

    @BeforeEach
    void setUp() {
        fx = new EngineFixture();
        fx.addInterface("nd1", 3, ND1_MAC, "10.1.0.1/24");
    }

    static byte[] echo(String src, String dst, long ethDst) {
        byte[] msg = IcmpEcho.build(IcmpEcho.TYPE_ECHO_REQUEST, 0x77, 1, new byte[8], 0, 8);
        return EthernetFrame.wrap(ethDst, PEER_MAC.bits(), -1, EtherType.IPV4,
                Ipv4Packet.build(ip(src), ip(dst), Ipv4Packet.PROTO_ICMP, 5, 64, msg));
    }

    private Reason echoFrom(String src) {
        return fx.receive(echo(src, US, OUR_MAC.bits()));
    }

    private void knobs(int rpFilter, int acceptLocal) {
        fx.sysctl("net.ipv4.conf.nd0.rp_filter", rpFilter);
        fx.sysctl("net.ipv4.conf.nd0.accept_local", acceptLocal);
    }

    @ParameterizedTest(name = "source {0}: rp_filter/accept_local 0/0 {1}, 0/1 {2}, 1/0 {3}, 1/1 {4}, 2/0 {5}, 2/1 {6}")
    @CsvSource(delimiter = '|', textBlock = """
            # source          | 0/0 | 0/1 | 1/0 | 1/1 | 2/0 | 2/1
            10.0.0.2          | R   | R   | R   | R   | R   | R
            10.0.0.255        | R   | R   | M   | M   | M   | M
            255.255.255.255   | M   | M   | M   | M   | M   | M
            10.0.0.0          | R   | R   | R   | R   | R   | R
            0.0.0.0           | M   | M   | M   | M   | M   | M
            0.1.2.3           | R   | R   | M   | M   | M   | M
            224.0.0.9         | M   | M   | M   | M   | M   | M
            239.1.2.3         | M   | M   | M   | M   | M   | M
            127.0.0.1         | M   | M   | M   | M   | M   | M
            10.0.0.1          | M   | R   | M   | R   | M   | R
            10.1.0.1          | M   | R   | M   | M   | M   | R
            10.1.0.9          | R   | R   | M   | M   | R   | R
            10.1.0.255        | R   | R   | M   | M   | M   | M
            192.0.2.7         | R   | R   | M   | M   | M   | M
            """)
    void echoSourcesUnderRpFilterAndAcceptLocal(String src, String a, String b, String c, String d, String e,
                                                String f) {
        String[] expected = {a, b, c, d, e, f};
        int i = 0;
        for (int rp = 0; rp <= 2; rp++) {
            for (int al = 0; al <= 1; al++) {
                knobs(rp, al);
                Reason r = echoFrom(src);
                assertThat(r).as("rp_filter %d, accept_local %d", rp, al)
                        .isEqualTo(expected[i++].equals("R") ? Reason.ICMP_ECHO_REPLIED : Reason.IP_MARTIAN_SOURCE);
            }
        }
    }

    /** With route_localnet, 127/8 is an ordinary local source: lo's 127.0.0.1 needs accept_local, and strict mode refuses it. */
    @ParameterizedTest(name = "route_localnet 1, source 127.0.0.1, rp_filter {0}, accept_local {1}: {2}")
    @CsvSource({"0, 0, M", "0, 1, R", "1, 0, M", "1, 1, M", "2, 0, M", "2, 1, R"})
    void loopbackSourcesWithRouteLocalnet(int rp, int al, String expected) {
        fx.sysctl("net.ipv4.conf.nd0.route_localnet", 1);
        knobs(rp, al);

        assertThat(echoFrom("127.0.0.1"))
                .isEqualTo(expected.equals("R") ? Reason.ICMP_ECHO_REPLIED : Reason.IP_MARTIAN_SOURCE);
    }

    /** The issue's case: with rp_filter 0 Linux answers a subnet broadcast source, to the broadcast address. */
    @Test
    void rpFilter0AnswersTheSubnetBroadcastSourceToEthernetBroadcast() {
        assertThat(echoFrom("10.0.0.255")).isEqualTo(Reason.ICMP_ECHO_REPLIED);

        assertThat(fx.tx.ipv4()).singleElement().satisfies(s -> assertThat(s.ethDst()).isEqualTo(MacAddress.BROADCAST));
    }

    /** A martian leaves no trace: nothing sent, nothing learned, counted under its reason. */
    @Test
    void aMartianSendsAndLearnsNothingAndIsCounted() {
        knobs(2, 0);

        assertThat(echoFrom("10.0.0.255")).isEqualTo(Reason.IP_MARTIAN_SOURCE);

        assertThat(fx.tx.all()).isEmpty();
        assertThat(fx.engine.table().entries()).isZero();
        assertThat(fx.engine.interfaceStats(fx.nd0).count(Reason.IP_MARTIAN_SOURCE)).isEqualTo(1);
        assertThat(fx.engine.explain(fx.nd0, echo("10.0.0.255", US, OUR_MAC.bits())).steps())
                .anySatisfy(s -> assertThat(s.detail()).contains("martian source", "10.0.0.255 is a broadcast address"));
    }

    /** IN_DEV_RPFILTER is max(all, dev): all.rp_filter 2 filters nd0 whose own is 0. */
    @Test
    void allRpFilterCombinesByMaximum() {
        fx.sysctl("net.ipv4.conf.all.rp_filter", 2);

        assertThat(echoFrom("10.0.0.255")).isEqualTo(Reason.IP_MARTIAN_SOURCE);
        assertThat(echoFrom("10.1.0.9")).isEqualTo(Reason.ICMP_ECHO_REPLIED);
    }

    /** rp_filter -1 everywhere is non-zero but not 1: __fib_validate_source's loose mode. */
    @Test
    void aNegativeRpFilterIsLoose() {
        fx.sysctl("net.ipv4.conf.all.rp_filter", -1);
        fx.sysctl("net.ipv4.conf.nd0.rp_filter", -1);

        assertThat(echoFrom("10.0.0.255")).isEqualTo(Reason.IP_MARTIAN_SOURCE);
        assertThat(echoFrom("10.1.0.9")).isEqualTo(Reason.ICMP_ECHO_REPLIED);
        assertThat(echoFrom("192.0.2.7")).isEqualTo(Reason.IP_MARTIAN_SOURCE);
    }

    /** __fib_validate_source: a receiving device without addresses falls to last_resort, which rp_filter refuses. */
    @ParameterizedTest(name = "rp_filter {0} on a device without addresses: {1}")
    @CsvSource({"0, ICMP_ECHO_REPLIED", "2, IP_MARTIAN_SOURCE"})
    void aDeviceWithoutAddressesAndRpFilter(int rp, Reason expected) {
        NetDevice bare = fx.addInterface("nd2", 4, MacAddress.parse("02:aa:00:00:02:01"), null);
        fx.sysctl("net.ipv4.conf.nd2.rp_filter", rp);

        assertThat(fx.receive(bare, echo("10.0.0.2", US, bare.hwAddr()))).isEqualTo(expected);
    }

    /** A default route back through nd0 satisfies strict mode for any off-subnet source. */
    @Test
    void aDefaultRouteBackSatisfiesStrictMode() {
        fx.engine.addRoute(RouteSpec.parse("default via 10.0.0.254 dev nd0"));
        knobs(1, 0);

        assertThat(echoFrom("192.0.2.7")).isEqualTo(Reason.ICMP_ECHO_REPLIED);
        assertThat(echoFrom("10.1.0.9")).as("its own route back leaves nd1").isEqualTo(Reason.IP_MARTIAN_SOURCE);
    }

    // ------------------------------------------------------------------ destinations

    @ParameterizedTest(name = "echo to {0}: {1}")
    @CsvSource({
            "0.0.0.0, IP_MARTIAN_DESTINATION",
            "0.0.0.5, IP_NOT_HANDLED",
            "127.0.0.1, IP_MARTIAN_DESTINATION",
            "10.0.0.255, IP_NOT_HANDLED",
            "255.255.255.255, IP_NOT_HANDLED",
            "224.0.0.1, IP_NOT_HANDLED",
            "224.0.0.9, IP_NOT_HANDLED",
            "10.1.0.1, ICMP_ECHO_REPLIED",
            "10.0.0.77, IP_NOT_HANDLED"})
    void echoDestinations(String dst, Reason expected) {
        assertThat(fx.receive(echo("10.0.0.2", dst, OUR_MAC.bits()))).isEqualTo(expected);
    }

    /** Broadcast and multicast input validate the source too (brd_input, ip_mc_validate_source). */
    @Test
    void broadcastAndMulticastInputValidateTheSource() {
        knobs(1, 0);

        assertThat(fx.receive(echo("10.1.0.9", "10.0.0.255", MacAddress.BROADCAST.bits())))
                .isEqualTo(Reason.IP_MARTIAN_SOURCE);
        assertThat(fx.receive(echo("10.1.0.9", "224.0.0.1", MacAddress.BROADCAST.bits())))
                .isEqualTo(Reason.IP_MARTIAN_SOURCE);
        assertThat(fx.receive(echo("0.0.0.0", "224.0.0.1", MacAddress.BROADCAST.bits())))
                .as("0/8 is accepted towards 224.0.0.0/24").isEqualTo(Reason.IP_NOT_HANDLED);
    }
}
