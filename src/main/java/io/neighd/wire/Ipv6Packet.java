package io.neighd.wire;

/**
 * The IPv6 header (RFC 8200 section 3): accessors over a captured frame and the builder of the
 * headers neighd sends. neighd neither sends nor follows extension headers.
 *
 * <pre>
 *   0 version 4 bits, traffic class 8, flow label 20     4 payload length 2   6 next header 1
 *   7 hop limit 1   8 source 16   24 destination 16   40 payload
 * </pre>
 */
public final class Ipv6Packet {
    public static final int HEADER = 40;
    public static final int SRC = 8;
    public static final int DST = 24;
    public static final int NEXTHDR_HOP = 0;
    public static final int NEXTHDR_ICMP = 58;
    /** IPV6_MIN_MTU */
    public static final int MIN_MTU = 1280;

    private Ipv6Packet() {
    }

    public static int version(byte[] b, int ip) {
        return (b[ip] & 0xff) >>> 4;
    }

    /** The first word: version, traffic class, flow label. */
    public static int flowWord(byte[] b, int ip) {
        return Ipv4Address.read(b, ip);
    }

    /** ipv6_get_dsfield() */
    public static int trafficClass(byte[] b, int ip) {
        return (flowWord(b, ip) >>> 20) & 0xff;
    }

    public static int payloadLength(byte[] b, int ip) {
        return ArpPacket.u16(b, ip + 4);
    }

    public static int nextHeader(byte[] b, int ip) {
        return b[ip + 6] & 0xff;
    }

    public static int hopLimit(byte[] b, int ip) {
        return b[ip + 7] & 0xff;
    }

    /**
     * Writes a 40-byte header at {@code ip} (ip6_flow_hdr with a zero flow label, as ND and
     * neighd's echo replies use).
     */
    public static void writeHeader(byte[] b, int ip, int trafficClass, int payloadLength, int nextHeader, int hopLimit,
                                   long srcHi, long srcLo, long dstHi, long dstLo) {
        int word = (6 << 28) | ((trafficClass & 0xff) << 20);
        b[ip] = (byte) (word >>> 24);
        b[ip + 1] = (byte) (word >>> 16);
        b[ip + 2] = 0;
        b[ip + 3] = 0;
        b[ip + 4] = (byte) (payloadLength >>> 8);
        b[ip + 5] = (byte) payloadLength;
        b[ip + 6] = (byte) nextHeader;
        b[ip + 7] = (byte) hopLimit;
        Ipv6Address.write(srcHi, srcLo, b, ip + SRC);
        Ipv6Address.write(dstHi, dstLo, b, ip + DST);
    }
}
