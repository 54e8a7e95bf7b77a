package io.neighd.wire;

import org.junit.jupiter.api.Test;

import java.util.HexFormat;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Internet checksum of RFC 1071, with its section 3 example; an odd last byte counts as the
 * high byte of a word. Summed four bytes at a time, it agrees with RFC 1071's 16-bit definition
 * for every length and offset.
 */
class ChecksumTest {
    private static int reference(byte[] b, int offset, int length) {
        long sum = 0;
        for (int i = 0; i < length; i += 2) {
            int hi = b[offset + i] & 0xff;
            int lo = i + 1 < length ? b[offset + i + 1] & 0xff : 0;
            sum += (hi << 8) | lo;
        }
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xffff) + (sum >>> 16);
        }
        return (int) (~sum & 0xffff);
    }

    @Test
    void agreesWithTheSixteenBitDefinitionForEveryLengthAndOffset() {
        SplittableRandom rnd = new SplittableRandom(42);
        byte[] b = new byte[200];
        for (int round = 0; round < 50; round++) {
            for (int i = 0; i < b.length; i++) {
                b[i] = (byte) rnd.nextInt(256);
            }
            for (int offset = 0; offset < 8; offset++) {
                for (int length = 0; length <= 150; length++) {
                    assertThat(Checksum.compute(b, offset, length)).as("offset %d length %d", offset, length)
                            .isEqualTo(reference(b, offset, length));
                }
            }
        }
    }

    @Test
    void allOnesAndAllZeros() {
        byte[] ones = new byte[64];
        java.util.Arrays.fill(ones, (byte) 0xff);
        assertThat(Checksum.compute(ones, 0, 64)).isEqualTo(reference(ones, 0, 64)).isZero();
        assertThat(Checksum.compute(new byte[64], 0, 64)).isEqualTo(0xffff);
    }

    private static byte[] hex(String s) {
        return HexFormat.of().parseHex(s);
    }

    @Test
    void theRfc1071Example() {
        // 0001 + f203 + f4f5 + f6f7 = 2ddf0, folded ddf2, complemented 220d
        assertThat(Checksum.compute(hex("0001f203f4f5f6f7"), 0, 8)).isEqualTo(0x220d);
    }

    @Test
    void anOddLastByteIsPaddedWithAZeroOnTheRight() {
        // 0001 + f203 + f4f5 + f600 = 2dcf9, folded dcfb, complemented 2304
        assertThat(Checksum.compute(hex("0001f203f4f5f6"), 0, 7)).isEqualTo(0x2304);
        assertThat(Checksum.compute(hex("01"), 0, 1)).isEqualTo(0xfeff);
        assertThat(Checksum.compute(hex("aa01bb"), 1, 1)).as("only the range counts").isEqualTo(0xfeff);
    }

    /** An IPv4 header (20 bytes, checksum field zero) gets 0x7b19; with it filled in, the header sums to 0. */
    @Test
    void aHeaderCarryingItsChecksumSumsToZero() {
        byte[] h = hex("45000014abcd40004001" + "0000" + "0a0000020a000001");

        assertThat(Checksum.compute(h, 0, h.length)).isEqualTo(0x7b19);
        h[10] = 0x7b;
        h[11] = 0x19;
        assertThat(Checksum.compute(h, 0, h.length)).isZero();
    }
}
