package io.neighd.wire;

/**
 * IPv4 header accessors and builder (RFC 791). neighd only originates and answers ICMP, so the
 * builder writes a 20-byte header without options.
 *
 * <pre>
 *   0 version/IHL 1   1 TOS 1   2 total length 2   4 identification 2   6 flags/fragment 2
 *   8 TTL 1   9 protocol 1   10 header checksum 2   12 source 4   16 destination 4   20 options/data
 * </pre>
 */
public final class Ipv4Packet {
    public static final int HEADER = 20;
    public static final int PROTO_ICMP = 1;
    public static final int DEFAULT_TTL = 64;

    private Ipv4Packet() {
    }

    public static int version(byte[] b, int ip) {
        return (b[ip] & 0xff) >>> 4;
    }

    public static int ihl(byte[] b, int ip) {
        return b[ip] & 0x0f;
    }

    public static int totalLength(byte[] b, int ip) {
        return ArpPacket.u16(b, ip + 2);
    }

    public static int identification(byte[] b, int ip) {
        return ArpPacket.u16(b, ip + 4);
    }

    /** True when more-fragments is set or the fragment offset is not zero. */
    public static boolean isFragment(byte[] b, int ip) {
        return (ArpPacket.u16(b, ip + 6) & 0x3fff) != 0;
    }

    public static int ttl(byte[] b, int ip) {
        return b[ip + 8] & 0xff;
    }

    public static int protocol(byte[] b, int ip) {
        return b[ip + 9] & 0xff;
    }

    public static int source(byte[] b, int ip) {
        return Ipv4Address.read(b, ip + 12);
    }

    public static int destination(byte[] b, int ip) {
        return Ipv4Address.read(b, ip + 16);
    }

    /** Builds header + payload with DF set, as Linux sends ICMP echo. */
    public static byte[] build(int src, int dst, int protocol, int id, int ttl, byte[] payload) {
        byte[] p = new byte[HEADER + payload.length];
        p[0] = 0x45;
        int total = p.length;
        p[2] = (byte) (total >>> 8);
        p[3] = (byte) total;
        p[4] = (byte) (id >>> 8);
        p[5] = (byte) id;
        p[6] = 0x40; // DF
        p[8] = (byte) ttl;
        p[9] = (byte) protocol;
        Ipv4Address.write(src, p, 12);
        Ipv4Address.write(dst, p, 16);
        int sum = Checksum.compute(p, 0, HEADER);
        p[10] = (byte) (sum >>> 8);
        p[11] = (byte) sum;
        System.arraycopy(payload, 0, p, HEADER, payload.length);
        return p;
    }
}
