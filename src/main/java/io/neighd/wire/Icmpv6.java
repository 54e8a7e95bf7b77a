package io.neighd.wire;

/**
 * ICMPv6 (RFC 4443) message types neighd deals with, and the checksum over the IPv6 pseudo-header
 * (csum_ipv6_magic over source, destination, length and next header 58, then the message).
 *
 * <pre>
 *   0 type 1   1 code 1   2 checksum 2   4 message body (echo: identifier 2, sequence 2, data)
 * </pre>
 */
public final class Icmpv6 {
    public static final int HEADER = 8;
    public static final int ECHO_REQUEST = 128;
    public static final int ECHO_REPLY = 129;
    public static final int MLD_QUERY = 130;
    public static final int MLD_REPORT = 131;
    public static final int MLD_DONE = 132;
    public static final int ROUTER_SOLICITATION = 133;
    public static final int ROUTER_ADVERTISEMENT = 134;
    public static final int NEIGHBOUR_SOLICITATION = 135;
    public static final int NEIGHBOUR_ADVERTISEMENT = 136;
    public static final int REDIRECT = 137;
    public static final int MLD2_REPORT = 143;

    private Icmpv6() {
    }

    public static int type(byte[] b, int icmp) {
        return b[icmp] & 0xff;
    }

    public static int code(byte[] b, int icmp) {
        return b[icmp + 1] & 0xff;
    }

    public static int identifier(byte[] b, int icmp) {
        return ArpPacket.u16(b, icmp + 4);
    }

    public static int sequence(byte[] b, int icmp) {
        return ArpPacket.u16(b, icmp + 6);
    }

    /**
     * The checksum of the message at {@code icmp} as it stands: 0 if the checksum field it carries
     * is right (skb_checksum_validate), else what it should hold when the field is zero.
     */
    public static int checksum(byte[] b, int icmp, int length, long srcHi, long srcLo, long dstHi, long dstLo) {
        long sum = Checksum.pseudoHeader6(srcHi, srcLo, dstHi, dstLo, length, Ipv6Packet.NEXTHDR_ICMP);
        return Checksum.finish(Checksum.sum(b, icmp, length, sum));
    }

    /** Zeroes the checksum field, computes it and writes it. */
    public static void fillChecksum(byte[] b, int icmp, int length, long srcHi, long srcLo, long dstHi, long dstLo) {
        b[icmp + 2] = 0;
        b[icmp + 3] = 0;
        int sum = checksum(b, icmp, length, srcHi, srcLo, dstHi, dstLo);
        b[icmp + 2] = (byte) (sum >>> 8);
        b[icmp + 3] = (byte) sum;
    }

    /** The name of a type, for explanations and logs. */
    public static String typeName(int type) {
        return switch (type) {
            case ECHO_REQUEST -> "echo request";
            case ECHO_REPLY -> "echo reply";
            case ROUTER_SOLICITATION -> "router solicitation";
            case ROUTER_ADVERTISEMENT -> "router advertisement";
            case NEIGHBOUR_SOLICITATION -> "neighbour solicitation";
            case NEIGHBOUR_ADVERTISEMENT -> "neighbour advertisement";
            case REDIRECT -> "redirect";
            case MLD_QUERY, MLD_REPORT, MLD_DONE, MLD2_REPORT -> "MLD";
            default -> "type " + type;
        };
    }
}
