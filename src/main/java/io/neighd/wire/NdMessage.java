package io.neighd.wire;

/**
 * Neighbour Discovery messages (RFC 4861 section 4): field offsets inside the ICMPv6 message, and
 * the builders of the solicitations and advertisements neighd sends, as whole IPv6 packets with
 * the ICMPv6 checksum filled in (ndisc_ns_create / ndisc_send_na / ip6_nd_hdr / ndisc_send_skb).
 *
 * <pre>
 *   NS, NA (struct nd_msg): 0 type 1  1 code 1  2 checksum 2  4 flags (NA: R 0x80, S 0x40, O 0x20) 4
 *                           8 target address 16  24 options
 *   RS  (struct rs_msg):    0 ICMPv6 header 8  8 options
 *   RA  (struct ra_msg):    4 cur hop limit 1  5 flags (M 0x80, O 0x40) 1  6 router lifetime 2
 *                           8 reachable time 4  12 retrans timer 4  16 options
 *   Redirect (rd_msg):      8 target 16  24 destination 16  40 options
 * </pre>
 */
public final class NdMessage {
    /** sizeof(struct nd_msg) */
    public static final int ND_MSG = 24;
    public static final int RS_MSG = 8;
    public static final int RA_MSG = 16;
    public static final int RD_MSG = 40;
    public static final int TARGET = 8;
    public static final int FLAG_ROUTER = 0x80;
    public static final int FLAG_SOLICITED = 0x40;
    public static final int FLAG_OVERRIDE = 0x20;
    /** The hop limit every ND message is sent with and must arrive with. */
    public static final int HOP_LIMIT = 255;
    /** "No link-layer address option". */
    public static final long NO_LLADDR = -1L;

    private NdMessage() {
    }

    public static long targetHi(byte[] b, int icmp) {
        return Ipv6Address.readHi(b, icmp + TARGET);
    }

    public static long targetLo(byte[] b, int icmp) {
        return Ipv6Address.readLo(b, icmp + TARGET);
    }

    public static int naFlags(byte[] b, int icmp) {
        return b[icmp + 4] & 0xff;
    }

    public static int raHopLimit(byte[] b, int icmp) {
        return b[icmp + 4] & 0xff;
    }

    public static int raRouterLifetime(byte[] b, int icmp) {
        return ArpPacket.u16(b, icmp + 6);
    }

    public static long raReachableTime(byte[] b, int icmp) {
        return Ipv4Address.read(b, icmp + 8) & 0xffff_ffffL;
    }

    public static long raRetransTimer(byte[] b, int icmp) {
        return Ipv4Address.read(b, icmp + 12) & 0xffff_ffffL;
    }

    /**
     * A neighbour solicitation for {@code target}, from {@code src} to {@code dst}; a source
     * link-layer address option unless {@code sllao} is {@link #NO_LLADDR}, a nonce option unless
     * {@code nonce} is 0 (ndisc_ns_create: no SLLAO from the unspecified address).
     */
    public static byte[] ns(long srcHi, long srcLo, long dstHi, long dstLo, long targetHi, long targetLo, long sllao,
                            long nonce) {
        return ns(0, srcHi, srcLo, dstHi, dstLo, targetHi, targetLo, sllao, nonce);
    }

    /**
     * The same after {@code headroom} bytes left free for the link-layer header (LL_RESERVED_SPACE),
     * so that the device can send the array as it is.
     */
    public static byte[] ns(int headroom, long srcHi, long srcLo, long dstHi, long dstLo, long targetHi, long targetLo,
                            long sllao, long nonce) {
        int len = ND_MSG + (sllao != NO_LLADDR ? NdOptions.LLADDR_SPACE : 0) + (nonce != 0 ? 8 : 0);
        byte[] p = new byte[headroom + Ipv6Packet.HEADER + len];
        int m = headroom + Ipv6Packet.HEADER;
        p[m] = (byte) Icmpv6.NEIGHBOUR_SOLICITATION;
        Ipv6Address.write(targetHi, targetLo, p, m + TARGET);
        int o = m + ND_MSG;
        if (sllao != NO_LLADDR) {
            o = lladdrOption(p, o, NdOptions.SOURCE_LL_ADDR, sllao);
        }
        if (nonce != 0) {
            p[o] = (byte) NdOptions.NONCE;
            p[o + 1] = 1;
            MacAddress.write(nonce, p, o + 2);
        }
        return finish(p, headroom, len, srcHi, srcLo, dstHi, dstLo);
    }

    /**
     * A neighbour advertisement for {@code target} with the R/S/O {@code flags}; a target
     * link-layer address option unless {@code tllao} is {@link #NO_LLADDR}.
     */
    public static byte[] na(long srcHi, long srcLo, long dstHi, long dstLo, long targetHi, long targetLo, int flags,
                            long tllao) {
        return na(0, srcHi, srcLo, dstHi, dstLo, targetHi, targetLo, flags, tllao);
    }

    /** The same after {@code headroom} bytes left free for the link-layer header. */
    public static byte[] na(int headroom, long srcHi, long srcLo, long dstHi, long dstLo, long targetHi, long targetLo,
                            int flags, long tllao) {
        int len = ND_MSG + (tllao != NO_LLADDR ? NdOptions.LLADDR_SPACE : 0);
        byte[] p = new byte[headroom + Ipv6Packet.HEADER + len];
        int m = headroom + Ipv6Packet.HEADER;
        p[m] = (byte) Icmpv6.NEIGHBOUR_ADVERTISEMENT;
        p[m + 4] = (byte) flags;
        Ipv6Address.write(targetHi, targetLo, p, m + TARGET);
        if (tllao != NO_LLADDR) {
            lladdrOption(p, m + ND_MSG, NdOptions.TARGET_LL_ADDR, tllao);
        }
        return finish(p, headroom, len, srcHi, srcLo, dstHi, dstLo);
    }

    /** ndisc_fill_addr_option() for Ethernet: type, length 1, the six bytes. */
    private static int lladdrOption(byte[] p, int o, int type, long mac) {
        p[o] = (byte) type;
        p[o + 1] = 1;
        MacAddress.write(mac, p, o + 2);
        return o + NdOptions.LLADDR_SPACE;
    }

    private static byte[] finish(byte[] p, int headroom, int len, long srcHi, long srcLo, long dstHi, long dstLo) {
        Ipv6Packet.writeHeader(p, headroom, 0, len, Ipv6Packet.NEXTHDR_ICMP, HOP_LIMIT, srcHi, srcLo, dstHi, dstLo);
        Icmpv6.fillChecksum(p, headroom + Ipv6Packet.HEADER, len, srcHi, srcLo, dstHi, dstLo);
        return p;
    }

    /**
     * An ICMPv6 echo request or reply as a whole IPv6 packet: identifier, sequence and the data
     * copied from {@code data[dataOffset, dataOffset + dataLength)}.
     */
    public static byte[] echo(int type, int trafficClass, int hopLimit, long srcHi, long srcLo, long dstHi, long dstLo,
                              int identifier, int sequence, byte[] data, int dataOffset, int dataLength) {
        int len = Icmpv6.HEADER + dataLength;
        byte[] p = new byte[Ipv6Packet.HEADER + len];
        int m = Ipv6Packet.HEADER;
        p[m] = (byte) type;
        p[m + 4] = (byte) (identifier >>> 8);
        p[m + 5] = (byte) identifier;
        p[m + 6] = (byte) (sequence >>> 8);
        p[m + 7] = (byte) sequence;
        System.arraycopy(data, dataOffset, p, m + Icmpv6.HEADER, dataLength);
        Ipv6Packet.writeHeader(p, 0, trafficClass, len, Ipv6Packet.NEXTHDR_ICMP, hopLimit, srcHi, srcLo, dstHi, dstLo);
        Icmpv6.fillChecksum(p, m, len, srcHi, srcLo, dstHi, dstLo);
        return p;
    }
}
