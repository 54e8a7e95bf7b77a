package io.neighd.wire;

/** The Internet checksum (RFC 1071). */
public final class Checksum {
    private Checksum() {
    }

    /** One's-complement sum folded to 16 bits and complemented; 0 means a correct checksum over data including it. */
    public static int compute(byte[] b, int offset, int length) {
        long sum = 0;
        int i = offset;
        int end = offset + length;
        while (i + 1 < end) {
            sum += ((b[i] & 0xff) << 8) | (b[i + 1] & 0xff);
            i += 2;
        }
        if (i < end) {
            sum += (b[i] & 0xff) << 8;
        }
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xffff) + (sum >>> 16);
        }
        return (int) (~sum & 0xffff);
    }
}
