package io.neighd.wire;

import org.junit.jupiter.api.Test;

import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;

/** The Internet checksum of RFC 1071, with its section 3 example; an odd last byte counts as the high byte of a word. */
class ChecksumTest {
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
