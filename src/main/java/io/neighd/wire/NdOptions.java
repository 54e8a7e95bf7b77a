package io.neighd.wire;

/**
 * ndisc_parse_options() (net/ipv6/ndisc.c) over a captured message, without copying: where the
 * first of each option neighd reads starts. One instance is reused by the receive path.
 *
 * <p>The walk fails, as the kernel's does, on a truncated option header, a zero length or an
 * option running past the end; unknown options are skipped; of duplicated source/target
 * link-layer address, MTU, nonce or redirected-header options the first is kept.
 *
 * <pre>
 *   option: 0 type 1   1 length in units of 8 bytes 1   2 data
 * </pre>
 */
public final class NdOptions {
    public static final int SOURCE_LL_ADDR = 1;
    public static final int TARGET_LL_ADDR = 2;
    public static final int PREFIX_INFO = 3;
    public static final int REDIRECT_HDR = 4;
    public static final int MTU = 5;
    public static final int NONCE = 14;
    public static final int ROUTE_INFO = 24;
    public static final int RDNSS = 25;
    public static final int DNSSL = 31;
    /** NDISC_OPT_SPACE(ETH_ALEN): an Ethernet link-layer address option is 8 bytes. */
    public static final int LLADDR_SPACE = 8;

    /** Offsets of the first option of each kind in the frame, or -1. */
    public int srcLladdr;
    public int tgtLladdr;
    public int prefixInfo;
    public int redirectHdr;
    public int mtu;
    public int nonce;
    public int routeInfo;
    /** Options ndisc hands to user space (RDNSS, DNSSL, prefix information and the like). */
    public int userOptions;
    private byte[] data;

    /**
     * Parses {@code length} bytes of options at {@code offset}.
     *
     * @return false if the options are malformed (SKB_DROP_REASON_IPV6_NDISC_BAD_OPTIONS)
     */
    public boolean parse(byte[] b, int offset, int length) {
        data = b;
        srcLladdr = -1;
        tgtLladdr = -1;
        prefixInfo = -1;
        redirectHdr = -1;
        mtu = -1;
        nonce = -1;
        routeInfo = -1;
        userOptions = 0;
        if (length < 0) {
            return false;
        }
        int o = offset;
        int left = length;
        while (left > 0) {
            if (left < 2) {
                return false;
            }
            int l = (b[o + 1] & 0xff) << 3;
            if (left < l || l == 0) {
                return false;
            }
            switch (b[o] & 0xff) {
                case SOURCE_LL_ADDR -> srcLladdr = srcLladdr < 0 ? o : srcLladdr;
                case TARGET_LL_ADDR -> tgtLladdr = tgtLladdr < 0 ? o : tgtLladdr;
                case MTU -> mtu = mtu < 0 ? o : mtu;
                case NONCE -> nonce = nonce < 0 ? o : nonce;
                case REDIRECT_HDR -> redirectHdr = redirectHdr < 0 ? o : redirectHdr;
                case PREFIX_INFO -> {
                    prefixInfo = prefixInfo < 0 ? o : prefixInfo;
                    userOptions++;
                }
                case ROUTE_INFO -> routeInfo = routeInfo < 0 ? o : routeInfo;
                case RDNSS, DNSSL, 34, 37, 38 -> userOptions++;
                default -> {
                    // unknown options must be silently ignored (RFC 4861 4.6)
                }
            }
            left -= l;
            o += l;
        }
        return true;
    }

    /**
     * ndisc_opt_addr_data(): the link-layer address an option at {@code opt} carries, or
     * {@link #BAD_LLADDR} if its length is not that of an Ethernet address option.
     */
    public long lladdr(int opt) {
        if ((data[opt + 1] & 0xff) << 3 != LLADDR_SPACE) {
            return BAD_LLADDR;
        }
        return MacAddress.read(data, opt + 2);
    }

    /** What {@link #lladdr} answers for an option of the wrong length. */
    public static final long BAD_LLADDR = -2L;

    /** The nonce of a one-unit nonce option (ND_OPT_NONCE, RFC 7527), or 0. */
    public long nonceValue() {
        if (nonce < 0 || (data[nonce + 1] & 0xff) != 1) {
            return 0;
        }
        return MacAddress.read(data, nonce + 2);
    }
}
