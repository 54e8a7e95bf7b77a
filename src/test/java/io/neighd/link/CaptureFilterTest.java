package io.neighd.link;

import io.neighd.wire.ArpPacket;
import io.neighd.wire.IcmpEcho;
import io.neighd.wire.Ipv4Packet;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The capture's socket filter, run by a classic-BPF interpreter that does what the kernel's does
 * for the instructions the filter uses (a load past the end of the frame drops it, as in
 * bpf_prog_run on a short skb). Whether a frame is ARP, ICMP or ICMPv6 decides, tagged or not:
 *
 * <pre>
 * | frame                                  | verdict |
 * |----------------------------------------|---------|
 * | ARP request, 42 bytes (veth)           | accept  |
 * | ARP request, padded to 60              | accept  |
 * | IPv4 ICMP echo, 1,400-byte payload     | accept  |
 * | IPv4 UDP, IPv4 TCP                     | drop    |
 * | IPv6 ICMPv6 (NS), untagged or 802.1Q   | accept  |
 * | IPv6 UDP, IPv6 hop-by-hop (MLD)        | drop    |
 * | IPv6 header cut before next header     | drop    |
 * | 802.1Q-tagged ARP / ICMP               | accept  |
 * | 802.1ad-tagged ARP                     | accept  |
 * | 802.1Q-tagged UDP                      | drop    |
 * | 13 bytes (no EtherType)                | drop    |
 * | IPv4 header cut before its protocol    | drop    |
 * </pre>
 */
class CaptureFilterTest {
    private static final long MAC = 0x02aa00000001L;
    private static final long PEER = 0x02aa00000002L;

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "arp42, true",
        "arp60, true",
        "icmp, true",
        "udp, false",
        "tcp, false",
        "ipv6-udp, false",
        "ipv6-hop-by-hop, false",
        "icmp6, true",
        "tagged-icmp6, true",
        "cut-ipv6, false",
        "tagged-arp, true",
        "tagged-icmp, true",
        "qinq-arp, true",
        "tagged-udp, false",
        "runt, false",
        "cut-ipv4, false",
    })
    void acceptsArpIcmpAndIcmp6Only(String frame, boolean accepted) {
        assertThat(run(frame(frame)) != 0).isEqualTo(accepted);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"arp42", "icmp", "tagged-icmp", "icmp6"})
    void acceptsFramesWhole(String frame) {
        byte[] f = frame(frame);
        assertThat(run(f)).isGreaterThanOrEqualTo(f.length);
    }

    private static byte[] frame(String kind) {
        byte[] arp = ArpPacket.frame(1, -1L & 0xffffffffffffL, PEER, -1, PEER, 0x0a000002, 0, 0x0a000001);
        byte[] icmp = ip(Ipv4Packet.PROTO_ICMP, IcmpEcho.build(IcmpEcho.TYPE_ECHO_REQUEST, 1, 1, new byte[1400], 0, 1400));
        return switch (kind) {
            case "arp42" -> Arrays.copyOf(arp, 42);
            case "arp60" -> Arrays.copyOf(arp, 60);
            case "icmp" -> icmp;
            case "udp" -> ip(17, new byte[20]);
            case "tcp" -> ip(6, new byte[40]);
            case "ipv6-udp" -> ip6(17, new byte[16]);
            case "ipv6-hop-by-hop" -> ip6(0, new byte[32]);
            case "icmp6" -> ip6(58, new byte[32]);
            case "tagged-icmp6" -> tag(ip6(58, new byte[32]), 0x8100);
            case "cut-ipv6" -> Arrays.copyOf(ip6(58, new byte[32]), 14 + 5);
            case "tagged-arp" -> tag(Arrays.copyOf(arp, 42), 0x8100);
            case "tagged-icmp" -> tag(icmp, 0x8100);
            case "qinq-arp" -> tag(Arrays.copyOf(arp, 42), 0x88a8);
            case "tagged-udp" -> tag(ip(17, new byte[20]), 0x8100);
            case "runt" -> Arrays.copyOf(arp, 13);
            case "cut-ipv4" -> Arrays.copyOf(icmp, 14 + 8);
            default -> throw new IllegalArgumentException(kind);
        };
    }

    private static byte[] ip(int protocol, byte[] payload) {
        byte[] packet = Ipv4Packet.build(0x0a000002, 0x0a000001, protocol, 1, 64, payload);
        byte[] f = new byte[14 + packet.length];
        for (int i = 0; i < 6; i++) {
            f[i] = (byte) (MAC >>> (40 - 8 * i));
            f[6 + i] = (byte) (PEER >>> (40 - 8 * i));
        }
        f[12] = 0x08;
        System.arraycopy(packet, 0, f, 14, packet.length);
        return f;
    }

    /** An IPv6 packet (fd00::2 to fd00::1, hop limit 255) with {@code next} as its next header. */
    private static byte[] ip6(int next, byte[] payload) {
        byte[] f = ip(1, new byte[0]);
        byte[] g = new byte[14 + 40 + payload.length];
        System.arraycopy(f, 0, g, 0, 12);
        g[12] = (byte) 0x86;
        g[13] = (byte) 0xdd;
        g[14] = 0x60;
        g[18] = (byte) (payload.length >> 8);
        g[19] = (byte) payload.length;
        g[20] = (byte) next;
        g[21] = (byte) 255;
        g[22] = (byte) 0xfd;
        g[37] = 2;
        g[38] = (byte) 0xfd;
        g[53] = 1;
        System.arraycopy(payload, 0, g, 54, payload.length);
        return g;
    }

    /** The frame with a VLAN tag (id 42) of {@code tpid} after the addresses. */
    private static byte[] tag(byte[] f, int tpid) {
        byte[] g = new byte[f.length + 4];
        System.arraycopy(f, 0, g, 0, 12);
        g[12] = (byte) (tpid >> 8);
        g[13] = (byte) tpid;
        g[15] = 42;
        System.arraycopy(f, 12, g, 16, f.length - 12);
        return g;
    }

    /** The kernel's classic BPF for ld h/b abs, jeq k and ret k: the accept length, 0 for drop. */
    private static int run(byte[] pkt) {
        int a = 0;
        int pc = 0;
        while (true) {
            int[] in = CaptureFilter.PROGRAM[pc];
            switch (in[0]) {
                case 0x28 -> {
                    if (in[3] + 2 > pkt.length) {
                        return 0;
                    }
                    a = (pkt[in[3]] & 0xff) << 8 | pkt[in[3] + 1] & 0xff;
                }
                case 0x30 -> {
                    if (in[3] + 1 > pkt.length) {
                        return 0;
                    }
                    a = pkt[in[3]] & 0xff;
                }
                case 0x15 -> pc += a == in[3] ? in[1] : in[2];
                case 0x06 -> {
                    return in[3];
                }
                default -> throw new AssertionError("instruction the interpreter does not know: " + in[0]);
            }
            pc++;
        }
    }
}
