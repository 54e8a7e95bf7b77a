package io.neighd.wire;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Internet checksum summed four bytes at a time agrees with RFC 1071's 16-bit definition for
 * every length and offset, odd ones included, and with RFC 1071's worked example.
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

    @Test
    void rfc1071Example() {
        // RFC 1071 section 3: 00 01 f2 03 f4 f5 f6 f7 sums to ddf2 (complement 220d)
        byte[] b = {0x00, 0x01, (byte) 0xf2, 0x03, (byte) 0xf4, (byte) 0xf5, (byte) 0xf6, (byte) 0xf7};
        assertThat(Checksum.compute(b, 0, b.length)).isEqualTo(0x220d);
    }
}
