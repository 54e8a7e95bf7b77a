package io.neighd.wire;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.function.ToIntFunction;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * ndisc_parse_options() of net/ipv6/ndisc.c (RFC 4861 §4.6): of a duplicated option the first
 * is kept (the kernel warns "duplicated ND6 option found" and keeps nd_opt_array's first), the
 * options it hands to user space are counted, unknown ones skipped, and no options at all is a
 * well-formed message.
 */
class NdOptionsTest {
    private static ToIntFunction<NdOptions> field(int type) {
        return switch (type) {
            case NdOptions.SOURCE_LL_ADDR -> o -> o.srcLladdr;
            case NdOptions.TARGET_LL_ADDR -> o -> o.tgtLladdr;
            case NdOptions.MTU -> o -> o.mtu;
            case NdOptions.NONCE -> o -> o.nonce;
            case NdOptions.REDIRECT_HDR -> o -> o.redirectHdr;
            case NdOptions.PREFIX_INFO -> o -> o.prefixInfo;
            case NdOptions.ROUTE_INFO -> o -> o.routeInfo;
            default -> throw new IllegalArgumentException();
        };
    }

    @ParameterizedTest(name = "type {0}")
    @ValueSource(ints = {NdOptions.SOURCE_LL_ADDR, NdOptions.TARGET_LL_ADDR, NdOptions.MTU, NdOptions.NONCE,
            NdOptions.REDIRECT_HDR, NdOptions.PREFIX_INFO, NdOptions.ROUTE_INFO})
    void theFirstOfTwoIsKeptEvenAtTheStart(int type) {
        byte[] b = {(byte) type, 1, 0, 0, 0, 0, 0, 1, (byte) type, 1, 0, 0, 0, 0, 0, 2};
        NdOptions o = new NdOptions();

        assertThat(o.parse(b, 0, 16)).isTrue();

        assertThat(field(type).applyAsInt(o)).isZero();
    }

    @ParameterizedTest(name = "type {0}")
    @ValueSource(ints = {NdOptions.SOURCE_LL_ADDR, NdOptions.TARGET_LL_ADDR, NdOptions.MTU, NdOptions.NONCE,
            NdOptions.REDIRECT_HDR, NdOptions.PREFIX_INFO, NdOptions.ROUTE_INFO})
    void anOptionAfterAnotherIsFoundAtItsOffset(int type) {
        byte[] b = {0, 0, 99, 1, 0, 0, 0, 0, 0, 0, (byte) type, 1, 0, 0, 0, 0, 0, 2};
        NdOptions o = new NdOptions();

        assertThat(o.parse(b, 2, 16)).isTrue();

        assertThat(field(type).applyAsInt(o)).isEqualTo(10);
    }

    @Test
    void noOptionsIsWellFormedAndFindsNothing() {
        NdOptions o = new NdOptions();
        o.parse(new byte[] {1, 1, 0, 0, 0, 0, 0, 1}, 0, 8);

        assertThat(o.parse(new byte[8], 0, 0)).isTrue();

        assertThat(o.srcLladdr).isEqualTo(-1);
        assertThat(o.nonceValue()).isZero();
        assertThat(o.parse(new byte[8], 0, -1)).isFalse();
    }

    /**
     * ndisc_is_useropt() as mainline has it since the 6LoWPAN ndisc_ops went (6.18 here): prefix
     * information, RDNSS, DNSSL, 6CO (34), captive portal (37), PREF64 (38); route information is
     * not. (Older kernels counted 6CO only on 6LoWPAN devices, through ndisc_ops_is_useropt.)
     */
    @Test
    void userOptionsAreCountedAndUnknownOnesSkipped() {
        int[] types = {NdOptions.PREFIX_INFO, NdOptions.RDNSS, NdOptions.DNSSL, 34, 37, 38, 99, NdOptions.ROUTE_INFO,
                NdOptions.PREFIX_INFO};
        byte[] b = new byte[8 * types.length];
        for (int i = 0; i < types.length; i++) {
            b[8 * i] = (byte) types[i];
            b[8 * i + 1] = 1;
        }
        NdOptions o = new NdOptions();

        assertThat(o.parse(b, 0, b.length)).isTrue();

        assertThat(o.userOptions).isEqualTo(7);
        assertThat(o.prefixInfo).isZero();
        assertThat(o.routeInfo).isEqualTo(56);
    }

    /** RFC 7527: the nonce is the six bytes of a one-unit option; any other length carries none neighd reads. */
    @Test
    void theNonceOfAOneUnitOption() {
        byte[] b = {99, 1, 0, 0, 0, 0, 0, 1, 14, 1, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f};
        NdOptions o = new NdOptions();

        assertThat(o.parse(b, 0, 16)).isTrue();
        assertThat(o.nonceValue()).isEqualTo(0x0a0b_0c0d_0e0fL);

        byte[] first = {14, 1, 1, 2, 3, 4, 5, 6};
        assertThat(o.parse(first, 0, 8)).isTrue();
        assertThat(o.nonceValue()).isEqualTo(0x0102_0304_0506L);

        byte[] longer = {14, 2, 1, 2, 3, 4, 5, 6, 0, 0, 0, 0, 0, 0, 0, 0};
        assertThat(o.parse(longer, 0, 16)).isTrue();
        assertThat(o.nonceValue()).isZero();
    }
}
