package io.neighd.wire;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/** The Internet checksum (RFC 1071), and the IPv6 pseudo-header sum upper layers include (RFC 8200 8.1). */
public final class Checksum {
    private static final VarHandle INT_BE = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);

    private Checksum() {
    }

    /** One's-complement sum folded to 16 bits and complemented; 0 means a correct checksum over data including it. */
    public static int compute(byte[] b, int offset, int length) {
        return finish(sum(b, offset, length, 0));
    }

    /**
     * The unfolded sum of {@code b[offset, offset + length)}, a trailing byte padded with zero:
     * 32-bit big-endian words added as the kernel's csum_partial does (the fold in {@link #finish}
     * brings it to the sum of the 16-bit words, 2^16 being 1 in one's-complement arithmetic).
     */
    public static long sum(byte[] b, int offset, int length, long sum) {
        int i = offset;
        int end = offset + length;
        while (i + 3 < end) {
            sum += (int) INT_BE.get(b, i) & 0xffff_ffffL;
            i += 4;
        }
        if (i + 1 < end) {
            sum += ((b[i] & 0xff) << 8) | (b[i + 1] & 0xff);
            i += 2;
        }
        if (i < end) {
            sum += (b[i] & 0xff) << 8;
        }
        return sum;
    }

    /** The sum of a long's four 16-bit words. */
    public static long sum(long v) {
        return (v >>> 48) + ((v >>> 32) & 0xffff) + ((v >>> 16) & 0xffff) + (v & 0xffff);
    }

    /**
     * csum_ipv6_magic()'s pseudo-header: source, destination, upper-layer length and next header.
     */
    public static long pseudoHeader6(long srcHi, long srcLo, long dstHi, long dstLo, int length, int nextHeader) {
        return sum(srcHi) + sum(srcLo) + sum(dstHi) + sum(dstLo) + (length >>> 16) + (length & 0xffff) + nextHeader;
    }

    /** Folds a sum to 16 bits and complements it. */
    public static int finish(long sum) {
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xffff) + (sum >>> 16);
        }
        return (int) (~sum & 0xffff);
    }
}
