package io.neighd.wire;

/**
 * ICMP echo request/reply (RFC 792): type, code, checksum, identifier, sequence number, data.
 */
public final class IcmpEcho {
    public static final int TYPE_ECHO_REPLY = 0;
    public static final int TYPE_ECHO_REQUEST = 8;
    public static final int HEADER = 8;

    private IcmpEcho() {
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

    /** An ICMP echo message (header + data) with code 0 and its checksum filled in. */
    public static byte[] build(int type, int identifier, int sequence, byte[] data, int dataOffset, int dataLength) {
        return build(type, 0, identifier, sequence, data, dataOffset, dataLength);
    }

    /** The same with {@code code}: icmp_echo() answers with the request's header, only the type changed. */
    public static byte[] build(int type, int code, int identifier, int sequence, byte[] data, int dataOffset,
                               int dataLength) {
        byte[] m = new byte[HEADER + dataLength];
        m[0] = (byte) type;
        m[1] = (byte) code;
        m[4] = (byte) (identifier >>> 8);
        m[5] = (byte) identifier;
        m[6] = (byte) (sequence >>> 8);
        m[7] = (byte) sequence;
        System.arraycopy(data, dataOffset, m, HEADER, dataLength);
        int sum = Checksum.compute(m, 0, m.length);
        m[2] = (byte) (sum >>> 8);
        m[3] = (byte) sum;
        return m;
    }
}
