package io.neighd.testkit;

import io.neighd.wire.EtherType;
import io.neighd.wire.EthernetFrame;
import io.neighd.wire.Icmpv6;
import io.neighd.wire.Ipv6Address;
import io.neighd.wire.Ipv6Packet;
import io.neighd.wire.MacAddress;
import io.neighd.wire.NdMessage;

import java.util.Arrays;

/**
 * Frames of IPv6 neighbour discovery for the engine tests, as Linux peers send them: a
 * solicitation to the target's solicited-node group with the sender's link-layer address, an
 * advertisement with flags and the target's, router advertisements, echo; and ways to break them
 * (hop limit, code, checksum, lengths) for the malformed table.
 */
public final class Nd6 {
    public static final int R = NdMessage.FLAG_ROUTER;
    public static final int S = NdMessage.FLAG_SOLICITED;
    public static final int O = NdMessage.FLAG_OVERRIDE;
    public static final long NONE = NdMessage.NO_LLADDR;

    private Nd6() {
    }

    public static Ipv6Address a(String text) {
        return Ipv6Address.parse(text);
    }

    /** The MAC an IPv6 packet to {@code dst} goes to: 33:33:... for multicast, else {@code unicastMac}. */
    public static long ethDst(Ipv6Address dst, MacAddress unicastMac) {
        return dst.isMulticast() ? Ipv6Address.multicastMac(dst.lo()) : unicastMac.bits();
    }

    public static byte[] frame(long ethDst, MacAddress ethSrc, byte[] l3) {
        return EthernetFrame.wrap(ethDst, ethSrc.bits(), -1, EtherType.IPV6, l3);
    }

    /** An NS for {@code target} from {@code src} ({@code ::} for DAD) to {@code dst}, with {@code sllao} unless NONE. */
    public static byte[] ns(MacAddress from, String src, String dst, String target, long sllao, MacAddress ourMac) {
        Ipv6Address s = a(src);
        Ipv6Address d = a(dst);
        Ipv6Address t = a(target);
        return frame(ethDst(d, ourMac), from, NdMessage.ns(s.hi(), s.lo(), d.hi(), d.lo(), t.hi(), t.lo(), sllao, 0));
    }

    /** The usual multicast NS: to the target's solicited-node group, with the sender's MAC. */
    public static byte[] ns(MacAddress from, String src, String target) {
        return ns(from, src, a(target).solicitedNode().toString(), target, from.bits(), null);
    }

    /** A DAD probe for {@code target}: from ::, to its solicited-node group, no SLLAO, with {@code nonce}. */
    public static byte[] dadNs(MacAddress from, String target, long nonce) {
        Ipv6Address t = a(target);
        Ipv6Address g = t.solicitedNode();
        return frame(ethDst(g, null), from, NdMessage.ns(0, 0, g.hi(), g.lo(), t.hi(), t.lo(), NONE, nonce));
    }

    /** An NA for {@code target} from {@code src} to {@code dst} with {@code flags} and {@code tllao} unless NONE. */
    public static byte[] na(MacAddress from, String src, String dst, String target, int flags, long tllao,
                            MacAddress ourMac) {
        Ipv6Address s = a(src);
        Ipv6Address d = a(dst);
        Ipv6Address t = a(target);
        return frame(ethDst(d, ourMac), from,
                NdMessage.na(s.hi(), s.lo(), d.hi(), d.lo(), t.hi(), t.lo(), flags, tllao));
    }

    /** A router advertisement from link-local {@code src} to all nodes: lifetime, reachable and retrans times, SLLAO. */
    public static byte[] ra(MacAddress from, String src, int hopLimit, int lifetime, long reachableMs, long retransMs,
                            long sllao) {
        Ipv6Address s = a(src);
        Ipv6Address d = Ipv6Address.ALL_NODES;
        int len = NdMessage.RA_MSG + (sllao != NONE ? 8 : 0);
        byte[] p = new byte[Ipv6Packet.HEADER + len];
        int m = Ipv6Packet.HEADER;
        p[m] = (byte) Icmpv6.ROUTER_ADVERTISEMENT;
        p[m + 4] = (byte) hopLimit;
        p[m + 6] = (byte) (lifetime >>> 8);
        p[m + 7] = (byte) lifetime;
        int4(p, m + 8, reachableMs);
        int4(p, m + 12, retransMs);
        if (sllao != NONE) {
            p[m + 16] = 1;
            p[m + 17] = 1;
            MacAddress.write(sllao, p, m + 18);
        }
        return finish(from, p, len, s, d, 255, ethDst(d, null));
    }

    /** A router solicitation from {@code src} to all routers with an SLLAO. */
    public static byte[] rs(MacAddress from, String src) {
        Ipv6Address s = a(src);
        Ipv6Address d = Ipv6Address.ALL_ROUTERS;
        int len = NdMessage.RS_MSG + 8;
        byte[] p = new byte[Ipv6Packet.HEADER + len];
        int m = Ipv6Packet.HEADER;
        p[m] = (byte) Icmpv6.ROUTER_SOLICITATION;
        p[m + 8] = 1;
        p[m + 9] = 1;
        MacAddress.write(from.bits(), p, m + 10);
        return finish(from, p, len, s, d, 255, ethDst(d, null));
    }

    /** An echo request from {@code src} to {@code dst}. */
    public static byte[] echo(MacAddress from, String src, String dst, MacAddress ourMac, int id, int seq) {
        Ipv6Address s = a(src);
        Ipv6Address d = a(dst);
        byte[] data = new byte[16];
        Arrays.fill(data, (byte) 0x42);
        return frame(ethDst(d, ourMac), from, NdMessage.echo(Icmpv6.ECHO_REQUEST, 0, 64, s.hi(), s.lo(), d.hi(),
                d.lo(), id, seq, data, 0, data.length));
    }

    private static byte[] finish(MacAddress from, byte[] p, int len, Ipv6Address s, Ipv6Address d, int hop,
                                 long ethDst) {
        Ipv6Packet.writeHeader(p, 0, 0, len, Ipv6Packet.NEXTHDR_ICMP, hop, s.hi(), s.lo(), d.hi(), d.lo());
        Icmpv6.fillChecksum(p, Ipv6Packet.HEADER, len, s.hi(), s.lo(), d.hi(), d.lo());
        return frame(ethDst, from, p);
    }

    private static void int4(byte[] p, int o, long v) {
        p[o] = (byte) (v >>> 24);
        p[o + 1] = (byte) (v >>> 16);
        p[o + 2] = (byte) (v >>> 8);
        p[o + 3] = (byte) v;
    }

    // ------------------------------------------------------------------ reading what neighd sent

    /** An IPv6 frame neighd sent, read back. */
    public record Sent(long ethDst, Ipv6Address src, Ipv6Address dst, int hopLimit, int type, int flags,
                       Ipv6Address target, long lladdrOption, long nonce, boolean checksumOk) {
        @Override
        public String toString() {
            return Icmpv6.typeName(type) + " " + src + " > " + dst + (target == null ? "" : " target " + target)
                    + " eth " + MacAddress.toString(ethDst);
        }
    }

    /** Parses an untagged Ethernet frame carrying IPv6 ICMPv6, or returns null for anything else. */
    public static Sent parse(byte[] f) {
        if (f.length < 14 + 40 + 8 || ((f[12] & 0xff) << 8 | (f[13] & 0xff)) != EtherType.IPV6
                || Ipv6Packet.nextHeader(f, 14) != Ipv6Packet.NEXTHDR_ICMP) {
            return null;
        }
        int ip = 14;
        int m = ip + 40;
        int len = Ipv6Packet.payloadLength(f, ip);
        Ipv6Address s = Ipv6Address.of(f, ip + 8);
        Ipv6Address d = Ipv6Address.of(f, ip + 24);
        int type = f[m] & 0xff;
        boolean ok = Icmpv6.checksum(f, m, len, s.hi(), s.lo(), d.hi(), d.lo()) == 0;
        Ipv6Address target = null;
        long ll = NONE;
        long nonce = 0;
        if (type == Icmpv6.NEIGHBOUR_SOLICITATION || type == Icmpv6.NEIGHBOUR_ADVERTISEMENT) {
            target = Ipv6Address.of(f, m + 8);
            io.neighd.wire.NdOptions o = new io.neighd.wire.NdOptions();
            o.parse(f, m + 24, len - 24);
            int opt = type == Icmpv6.NEIGHBOUR_SOLICITATION ? o.srcLladdr : o.tgtLladdr;
            ll = opt < 0 ? NONE : o.lladdr(opt);
            nonce = o.nonceValue();
        }
        return new Sent(MacAddress.read(f, 0), s, d, Ipv6Packet.hopLimit(f, ip), type, f[m + 4] & 0xff, target, ll,
                nonce, ok);
    }
}
