package io.neighd.ip;

import io.neighd.arp.Reason;
import io.neighd.neighbour.NudState;
import io.neighd.testkit.EngineFixture;
import io.neighd.testkit.RecordingTransmitter.Sent;
import io.neighd.wire.ArpOp;
import io.neighd.wire.EtherType;
import io.neighd.wire.EthernetFrame;
import io.neighd.wire.IcmpEcho;
import io.neighd.wire.Ipv4Address;
import io.neighd.wire.Ipv4Packet;
import io.neighd.wire.MacAddress;
import io.neighd.wire.RxFrame;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static io.neighd.testkit.EngineFixture.OUR_MAC;
import static io.neighd.testkit.EngineFixture.PEER_MAC;
import static io.neighd.testkit.EngineFixture.ip;
import static io.neighd.testkit.EngineFixture.reply;
import static io.neighd.testkit.EngineFixture.request;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * ICMP echo both ways through the neighbour layer. Outgoing (Engine.ping, as iputils ping does
 * it): the request takes the output path and waits on the neighbour like any packet; iputils
 * sends the request after a reply with MSG_CONFIRM, but ping_v4_sendmsg()/raw_sendmsg() confirm
 * (dst_confirm_neigh) only with MSG_PROBE, so replies confirm nothing (the reference kernel in
 * LinuxDifferentialIT's ping-confirms-in-delay probes in PROBE). Incoming (icmp_echo →
 * icmp_reply): the reply is routed back to the sender and goes through the sender's neighbour,
 * which the request itself never creates or confirms.
 */
class PingTest {
    private static final String US = "10.0.0.1";
    private static final String PEER = "10.0.0.2";

    private EngineFixture fx;
    private final List<Pinger.Result> results = new ArrayList<>();

    @BeforeEach
    void setUp() {
        fx = new EngineFixture();
    }

    private void ping(String dst, int count, long intervalMs, long timeoutMs) {
        fx.engine.ping(Ipv4Address.parse(dst), count, intervalMs, timeoutMs, 56, results::add);
    }

    private static RxFrame icmp(Sent s) {
        RxFrame f = s.decoded();
        assertThat(f.etherType).isEqualTo(EtherType.IPV4);
        assertThat(f.ipProtocol).isEqualTo(Ipv4Packet.PROTO_ICMP);
        return f;
    }

    /** The peer's answer to an echo request we sent, unicast to our MAC. */
    private static byte[] answer(Sent s) {
        RxFrame f = icmp(s);
        byte[] b = s.frame();
        assertThat(IcmpEcho.type(b, f.l4)).isEqualTo(IcmpEcho.TYPE_ECHO_REQUEST);
        byte[] msg = IcmpEcho.build(IcmpEcho.TYPE_ECHO_REPLY, IcmpEcho.identifier(b, f.l4), IcmpEcho.sequence(b, f.l4),
                b, f.l4 + IcmpEcho.HEADER, f.l4Length - IcmpEcho.HEADER);
        byte[] l3 = Ipv4Packet.build(f.ipDst, f.ipSrc, Ipv4Packet.PROTO_ICMP, 99, 64, msg);
        return EthernetFrame.wrap(OUR_MAC.bits(), PEER_MAC.bits(), -1, EtherType.IPV4, l3);
    }

    private static byte[] echoRequest(MacAddress from, String src, String dst, long ethDst, int id, int seq,
                                      byte[] data) {
        return echoRequest(from, src, dst, ethDst, 0, id, seq, data);
    }

    private static byte[] echoRequest(MacAddress from, String src, String dst, long ethDst, int code, int id, int seq,
                                      byte[] data) {
        byte[] msg = IcmpEcho.build(IcmpEcho.TYPE_ECHO_REQUEST, code, id, seq, data, 0, data.length);
        byte[] l3 = Ipv4Packet.build(ip(src), ip(dst), Ipv4Packet.PROTO_ICMP, 5, 64, msg);
        return EthernetFrame.wrap(ethDst, from.bits(), -1, EtherType.IPV4, l3);
    }

    private Sent nextEchoRequest() {
        List<Sent> ip = fx.tx.ipv4();
        assertThat(ip).hasSize(1);
        fx.tx.clear();
        return ip.get(0);
    }

    // ------------------------------------------------------------------ outgoing

    /** An owned address is routed to the loopback: answered at once, nothing on the wire. */
    @Test
    void pingingAnOwnedAddressIsAnsweredLocally() {
        ping(US, 1, 1000, 1000);

        assertThat(results).singleElement().satisfies(r -> {
            assertThat(r.src()).isEqualTo(Ipv4Address.parse(US));
            assertThat(r.received()).isEqualTo(1);
            assertThat(r.probes()).singleElement().satisfies(p -> {
                assertThat(p.status()).isEqualTo(Pinger.Status.REPLY);
                assertThat(p.rttNanos()).isZero();
            });
        });
        assertThat(fx.tx.all()).isEmpty();
        assertThat(fx.engine.table().entries()).isZero();
    }

    @Test
    void pingingAPeerWaitsForArpThenTheReply() {
        ping(PEER, 1, 1000, 2000);

        assertThat(fx.state(PEER)).isEqualTo(NudState.INCOMPLETE);
        assertThat(fx.tx.ipv4()).as("the echo request waits on the arp_queue").isEmpty();
        assertThat(fx.tx.arp()).singleElement().satisfies(s -> {
            assertThat(s.arp().op()).isEqualTo(ArpOp.REQUEST);
            assertThat(s.arp().senderIp()).isEqualTo(Ipv4Address.parse(US));
            assertThat(s.arp().targetIp()).isEqualTo(Ipv4Address.parse(PEER));
        });
        fx.tx.clear();
        fx.advanceMs(40);

        assertThat(fx.receive(reply(PEER_MAC, PEER, US))).isEqualTo(Reason.UPDATED);
        Sent echo = nextEchoRequest();
        assertThat(echo.ethDst()).isEqualTo(PEER_MAC);
        assertThat(icmp(echo).ipSrc).isEqualTo(ip(US));
        assertThat(icmp(echo).ipDst).isEqualTo(ip(PEER));
        fx.advanceMs(8);

        assertThat(fx.receive(answer(echo))).isEqualTo(Reason.ICMP_ECHO_REPLY);

        assertThat(results).singleElement().satisfies(r -> assertThat(r.probes()).singleElement().satisfies(p -> {
            assertThat(p.status()).isEqualTo(Pinger.Status.REPLY);
            assertThat(p.rttNanos()).isEqualTo(48_000_000L);
        }));
        assertThat(fx.state(PEER)).isEqualTo(NudState.REACHABLE);
    }

    @Nested
    class MsgConfirm {
        private long t0;
        private Sent first;

        /**
         * nd0's reachable_time is 500 jiffies; three echoes 1000 ms apart (the interval timer runs at
         * +251); the ARP reply comes at t0 + 10, and with it the first echo.
         */
        @BeforeEach
        void resolvedWithShortReachableTime() {
            fx.sysctl("net.ipv4.neigh.nd0.base_reachable_time_ms", 2000);
            assertThat(fx.nd0.arpParms().reachableTime()).isEqualTo(500);
            t0 = fx.now();
            ping(PEER, 3, 1000, 900);
            fx.advanceJiffies(10);
            fx.receive(reply(PEER_MAC, PEER, US));
            assertThat(fx.entry(PEER).confirmed()).isEqualTo(t0 + 10);
            assertThat(fx.entry(PEER).timerFireAt()).isEqualTo(t0 + 10 + 500 + 1);
            first = nextEchoRequest();
        }

        private void at(long relative) {
            fx.advanceJiffies(t0 + relative - fx.now());
        }

        /** MSG_CONFIRM on a data send is ignored (ping_v4_sendmsg: dst_confirm_neigh only for MSG_PROBE). */
        @Test
        void repliesDoNotConfirmTheNeighbour() {
            fx.receive(answer(first));

            at(250);
            assertThat(fx.tx.ipv4()).isEmpty();
            at(251);
            Sent second = nextEchoRequest();
            fx.receive(answer(second));
            at(502);
            Sent third = nextEchoRequest();
            fx.receive(answer(third));
            assertThat(fx.entry(PEER).confirmed()).isEqualTo(t0 + 10);

            at(510);
            assertThat(fx.state(PEER)).isEqualTo(NudState.REACHABLE);
            at(511);
            assertThat(fx.state(PEER)).as("reachable_time ran out; used within delay_first_probe_time")
                    .isEqualTo(NudState.DELAY);
            assertThat(results).singleElement().satisfies(r -> assertThat(r.received()).isEqualTo(3));
        }

        /** Without replies nothing is confirmed either, and the hh fast path does not even stamp used. */
        @Test
        void withoutRepliesNothingIsConfirmed() {
            at(251);
            nextEchoRequest();
            at(502);
            nextEchoRequest();
            assertThat(fx.entry(PEER).confirmed()).isEqualTo(t0 + 10);
            assertThat(fx.entry(PEER).used()).isEqualTo(t0 + 10);

            at(510);
            assertThat(fx.state(PEER)).isEqualTo(NudState.REACHABLE);
            at(511);
            assertThat(fx.state(PEER)).as("used within delay_first_probe_time").isEqualTo(NudState.DELAY);
            at(1000);
            assertThat(results).singleElement().satisfies(r -> {
                assertThat(r.received()).isZero();
                assertThat(r.probes()).extracting(Pinger.Probe::status).containsOnly(Pinger.Status.TIMEOUT);
            });
        }
    }

    /** neigh_invalidate() → arp_error_report() → dst_link_failure(): the probe is unreachable, not timed out. */
    @Test
    void anUnresolvablePeerIsUnreachable() {
        ping(PEER, 1, 1000, 10_000);

        fx.advanceJiffies(752);
        assertThat(results).isEmpty();
        fx.advanceJiffies(1);

        assertThat(results).singleElement().satisfies(r -> assertThat(r.probes()).singleElement()
                .satisfies(p -> assertThat(p.status()).isEqualTo(Pinger.Status.UNREACHABLE)));
        assertThat(fx.tx.arp()).hasSize(3);
        assertThat(fx.tx.ipv4()).isEmpty();
    }

    @Test
    void noRouteIsReportedPerProbe() {
        ping("192.168.9.9", 2, 1000, 1000);
        fx.advanceJiffies(251);

        assertThat(results).singleElement().satisfies(r -> assertThat(r.probes()).extracting(Pinger.Probe::status)
                .containsExactly(Pinger.Status.NO_ROUTE, Pinger.Status.NO_ROUTE));
        assertThat(fx.tx.all()).isEmpty();
    }

    // ------------------------------------------------------------------ incoming

    @Nested
    class Incoming {
        private final byte[] data = "neighd echo data".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

        private void assertEchoReply(Sent s, MacAddress to, String dst) {
            RxFrame f = icmp(s);
            byte[] b = s.frame();
            assertThat(s.ethDst()).isEqualTo(to);
            assertThat(f.ipSrc).isEqualTo(ip(US));
            assertThat(f.ipDst).isEqualTo(ip(dst));
            assertThat(IcmpEcho.type(b, f.l4)).isEqualTo(IcmpEcho.TYPE_ECHO_REPLY);
            assertThat(IcmpEcho.identifier(b, f.l4)).isEqualTo(0x77);
            assertThat(IcmpEcho.sequence(b, f.l4)).isEqualTo(3);
            assertThat(Arrays.copyOfRange(b, f.l4 + 8, f.l4 + f.l4Length)).isEqualTo(data);
        }

        /** The reply takes neigh_resolve_output on a STALE entry: sent with the cached address, DELAY. */
        @Test
        void aStaleSenderIsAnsweredAtOnceAndGoesToDelay() {
            fx.receive(request(PEER_MAC, PEER, US));
            fx.tx.clear();
            long t = fx.now();

            assertThat(fx.receive(echoRequest(PEER_MAC, PEER, US, OUR_MAC.bits(), 0x77, 3, data)))
                    .isEqualTo(Reason.ICMP_ECHO_REPLIED);

            assertThat(fx.tx.arp()).isEmpty();
            assertThat(fx.tx.ipv4()).singleElement().satisfies(s -> assertEchoReply(s, PEER_MAC, PEER));
            assertThat(fx.state(PEER)).isEqualTo(NudState.DELAY);
            assertThat(fx.entry(PEER).timerFireAt()).isEqualTo(t + 1250 + 1);
        }

        /** Receiving IP teaches nothing: the reply creates the entry and waits for ARP like any packet. */
        @Test
        void anUnknownSenderIsResolvedFirst() {
            MacAddress mac = EngineFixture.OTHER_MAC;

            assertThat(fx.receive(echoRequest(mac, "10.0.0.3", US, OUR_MAC.bits(), 0x77, 3, data)))
                    .isEqualTo(Reason.ICMP_ECHO_REPLIED);

            assertThat(fx.state("10.0.0.3")).isEqualTo(NudState.INCOMPLETE);
            assertThat(fx.entry("10.0.0.3").queueLenPackets()).isEqualTo(1);
            assertThat(fx.tx.ipv4()).isEmpty();
            assertThat(fx.tx.arp()).singleElement().satisfies(s -> {
                assertThat(s.ethDst()).isEqualTo(MacAddress.BROADCAST);
                assertThat(s.arp().senderIp()).isEqualTo(Ipv4Address.parse(US));
                assertThat(s.arp().targetIp()).isEqualTo(Ipv4Address.parse("10.0.0.3"));
            });
            fx.tx.clear();

            fx.receive(reply(mac, "10.0.0.3", US));

            assertThat(fx.tx.ipv4()).singleElement().satisfies(s -> assertEchoReply(s, mac, "10.0.0.3"));
            assertThat(fx.state("10.0.0.3")).isEqualTo(NudState.REACHABLE);
        }

        /**
         * icmp_echo() checks the type only and answers with the request's ICMP header, type changed
         * to echo reply: a non-zero code is answered and kept (RFC 792 says code 0, Linux does not care).
         */
        @Test
        void aNonZeroCodeIsAnsweredAndKept() {
            fx.receive(request(PEER_MAC, PEER, US));
            fx.tx.clear();

            assertThat(fx.receive(echoRequest(PEER_MAC, PEER, US, OUR_MAC.bits(), 3, 0x77, 3, data)))
                    .isEqualTo(Reason.ICMP_ECHO_REPLIED);

            assertThat(fx.tx.ipv4()).singleElement().satisfies(s -> {
                assertEchoReply(s, PEER_MAC, PEER);
                assertThat(IcmpEcho.code(s.frame(), icmp(s).l4)).isEqualTo(3);
            });
        }

        @Test
        void aReachableSenderIsAnsweredWithoutAnyChange() {
            fx.send(US, PEER);
            fx.receive(reply(PEER_MAC, PEER, US));
            long confirmed = fx.entry(PEER).confirmed();
            fx.tx.clear();
            fx.advanceJiffies(5);

            fx.receive(echoRequest(PEER_MAC, PEER, US, OUR_MAC.bits(), 0x77, 3, data));

            assertThat(fx.tx.ipv4()).singleElement().satisfies(s -> assertEchoReply(s, PEER_MAC, PEER));
            assertThat(fx.tx.arp()).isEmpty();
            assertThat(fx.state(PEER)).isEqualTo(NudState.REACHABLE);
            assertThat(fx.entry(PEER).confirmed()).as("a request proves nothing").isEqualTo(confirmed);
        }

        /** icmp_echo_ignore_broadcasts = 1. */
        @Test
        void broadcastEchoIsIgnored() {
            assertThat(fx.receive(echoRequest(PEER_MAC, PEER, "10.0.0.255", MacAddress.BROADCAST.bits(), 0x77, 3, data)))
                    .isEqualTo(Reason.IP_NOT_HANDLED);

            assertThat(fx.tx.all()).isEmpty();
            assertThat(fx.engine.table().entries()).isZero();
        }

        @Test
        void echoForAnAddressWeDoNotOwnIsNotAnswered() {
            assertThat(fx.receive(echoRequest(PEER_MAC, PEER, "10.0.0.77", OUR_MAC.bits(), 0x77, 3, data)))
                    .isEqualTo(Reason.IP_NOT_HANDLED);

            assertThat(fx.tx.all()).isEmpty();
        }
    }
}
