package io.neighd.wire;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * An IPv6 address as a value, held in two longs in network order ({@code hi} the first eight
 * bytes), the way a neighbour table key holds it, with the classifications ndisc and addrconf use
 * (include/net/ipv6.h: ipv6_addr_is_multicast, ipv6_addr_is_solict_mult, ipv6_addr_any,
 * ipv6_addr_loopback, IPV6_ADDR_MC_SCOPE; addrconf_addr_solict_mult; ipv6_eth_mc_map).
 *
 * <p>Text is printed as glibc's inet_ntop (and so {@code ip -6}) prints it, which is RFC 5952:
 * lower-case hex, no leading zeros, the longest run of two or more zero groups (the first of equal
 * runs) as {@code ::}, and {@code ::ffff:a.b.c.d} for IPv4-mapped addresses.
 */
public record Ipv6Address(long hi, long lo) implements IpAddress, Comparable<Ipv6Address> {
    public static final Ipv6Address ANY = new Ipv6Address(0, 0);
    public static final Ipv6Address LOOPBACK = new Ipv6Address(0, 1);
    /** ff02::1, all nodes on the link. */
    public static final Ipv6Address ALL_NODES = new Ipv6Address(0xff02_0000_0000_0000L, 1);
    /** ff01::1, all nodes on the interface. */
    public static final Ipv6Address ALL_NODES_INTERFACE = new Ipv6Address(0xff01_0000_0000_0000L, 1);
    /** ff02::2, all routers on the link. */
    public static final Ipv6Address ALL_ROUTERS = new Ipv6Address(0xff02_0000_0000_0000L, 2);

    private static final long LINK_LOCAL_PREFIX = 0xfe80_0000_0000_0000L;
    private static final long SOLICITED_NODE_HI = 0xff02_0000_0000_0000L;
    private static final long SOLICITED_NODE_LO = 0x0000_0001_ff00_0000L;
    private static final VarHandle LONG_BE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    // ------------------------------------------------------------------ bytes

    public static long readHi(byte[] b, int offset) {
        return (long) LONG_BE.get(b, offset);
    }

    public static long readLo(byte[] b, int offset) {
        return (long) LONG_BE.get(b, offset + 8);
    }

    public static Ipv6Address of(byte[] b, int offset) {
        return new Ipv6Address(readHi(b, offset), readLo(b, offset));
    }

    public static void write(long hi, long lo, byte[] b, int offset) {
        LONG_BE.set(b, offset, hi);
        LONG_BE.set(b, offset + 8, lo);
    }

    public void write(byte[] b, int offset) {
        write(hi, lo, b, offset);
    }

    public byte[] toBytes() {
        byte[] b = new byte[16];
        write(b, 0);
        return b;
    }

    // ------------------------------------------------------------------ classifications

    /** ff00::/8 */
    public static boolean isMulticast(long hi) {
        return (hi >>> 56) == 0xff;
    }

    /** fe80::/10, link-local unicast. */
    public static boolean isLinkLocal(long hi) {
        return (hi & 0xffc0_0000_0000_0000L) == LINK_LOCAL_PREFIX;
    }

    public static boolean isAny(long hi, long lo) {
        return hi == 0 && lo == 0;
    }

    public static boolean isLoopback(long hi, long lo) {
        return hi == 0 && lo == 1;
    }

    /** ::ffff:0:0/96 */
    public static boolean isV4Mapped(long hi, long lo) {
        return hi == 0 && (lo >>> 32) == 0xffff;
    }

    /** IPV6_ADDR_MC_SCOPE(): the 4-bit scope of a multicast address (1 interface, 2 link, 5 site, 14 global). */
    public static int multicastScope(long hi) {
        return (int) (hi >>> 48) & 0xf;
    }

    /** ipv6_addr_is_solict_mult(): ff02::1:ff00:0/104. */
    public static boolean isSolicitedNode(long hi, long lo) {
        return hi == SOLICITED_NODE_HI && (lo & 0xffff_ffff_ff00_0000L) == SOLICITED_NODE_LO;
    }

    /** addrconf_addr_solict_mult(): ff02::1:ff followed by the address's last 24 bits. */
    public static long solicitedNodeLo(long lo) {
        return SOLICITED_NODE_LO | (lo & 0xff_ffffL);
    }

    public static Ipv6Address solicitedNode(long lo) {
        return new Ipv6Address(SOLICITED_NODE_HI, solicitedNodeLo(lo));
    }

    public Ipv6Address solicitedNode() {
        return solicitedNode(lo);
    }

    /** ipv6_eth_mc_map(): 33:33 followed by the group's last 32 bits. */
    public static long multicastMac(long lo) {
        return 0x3333_0000_0000L | (lo & 0xffff_ffffL);
    }

    /** The modified EUI-64 interface identifier of a MAC (addrconf_ifid_eui48): U/L bit flipped, ff:fe inserted. */
    public static long eui64(long mac) {
        long high24 = (mac >>> 24) & 0xff_ffffL;
        long low24 = mac & 0xff_ffffL;
        return ((high24 << 40) | (0xfffeL << 24) | low24) ^ 0x0200_0000_0000_0000L;
    }

    /** fe80::/64 with the modified EUI-64 of {@code mac}: the link-local address addr_gen_mode 0 gives. */
    public static Ipv6Address linkLocal(long mac) {
        return new Ipv6Address(LINK_LOCAL_PREFIX, eui64(mac));
    }

    public boolean isMulticast() {
        return isMulticast(hi);
    }

    public boolean isLinkLocal() {
        return isLinkLocal(hi);
    }

    @Override
    public boolean isAny() {
        return isAny(hi, lo);
    }

    public boolean isLoopback() {
        return isLoopback(hi, lo);
    }

    /** The first {@code prefixLength} bits, the rest zero. */
    public Ipv6Address prefix(int prefixLength) {
        return new Ipv6Address(hi & maskHi(prefixLength), lo & maskLo(prefixLength));
    }

    public static long maskHi(int prefixLength) {
        return prefixLength <= 0 ? 0 : prefixLength >= 64 ? -1L : -1L << (64 - prefixLength);
    }

    public static long maskLo(int prefixLength) {
        return prefixLength <= 64 ? 0 : prefixLength >= 128 ? -1L : -1L << (128 - prefixLength);
    }

    /** ipv6_prefix_equal() */
    public static boolean prefixEqual(long aHi, long aLo, long bHi, long bLo, int prefixLength) {
        return ((aHi ^ bHi) & maskHi(prefixLength)) == 0 && ((aLo ^ bLo) & maskLo(prefixLength)) == 0;
    }

    @Override
    public int family() {
        return AF_INET6;
    }

    @Override
    public int compareTo(Ipv6Address o) {
        int c = Long.compareUnsigned(hi, o.hi);
        return c != 0 ? c : Long.compareUnsigned(lo, o.lo);
    }

    // ------------------------------------------------------------------ text

    /**
     * Parses RFC 4291 text: eight groups of one to four hex digits, at most one {@code ::}, and
     * optionally a dotted IPv4 address as the last 32 bits. A zone ({@code %eth0}) or a prefix
     * length is refused: name the interface separately.
     */
    public static Ipv6Address parse(String text) {
        if (text == null) {
            throw new IllegalArgumentException("IPv6 address is missing (expected: like 2001:db8::1)");
        }
        String s = text.trim();
        int[] groups = new int[8];
        int n = 0;
        int gap = -1;
        int i = 0;
        int len = s.length();
        if (len < 2) {
            throw bad(text);
        }
        if (s.startsWith("::")) {
            gap = 0;
            i = 2;
            if (i == len) {
                return ANY;
            }
        } else if (s.charAt(0) == ':') {
            throw bad(text);
        }
        while (i < len) {
            if (n == 8) {
                throw bad(text);
            }
            int start = i;
            int v = 0;
            while (i < len && hex(s.charAt(i)) >= 0) {
                v = (v << 4) | hex(s.charAt(i));
                i++;
                if (i - start > 4) {
                    throw bad(text);
                }
            }
            if (i < len && s.charAt(i) == '.') {
                // the last 32 bits as a dotted quad
                if (n > 6) {
                    throw bad(text);
                }
                int v4;
                try {
                    v4 = Ipv4Address.parseBits(s.substring(start));
                } catch (IllegalArgumentException e) {
                    throw bad(text);
                }
                groups[n++] = v4 >>> 16;
                groups[n++] = v4 & 0xffff;
                i = len;
                break;
            }
            if (i == start) {
                throw bad(text);
            }
            groups[n++] = v;
            if (i == len) {
                break;
            }
            if (s.charAt(i) != ':') {
                throw bad(text);
            }
            i++;
            if (i < len && s.charAt(i) == ':') {
                if (gap >= 0) {
                    throw bad(text);
                }
                gap = n;
                i++;
            } else if (i == len) {
                throw bad(text);
            }
        }
        if (gap < 0 && n != 8 || gap >= 0 && n == 8) {
            throw bad(text);
        }
        int[] full = new int[8];
        if (gap < 0) {
            full = groups;
        } else {
            System.arraycopy(groups, 0, full, 0, gap);
            System.arraycopy(groups, gap, full, 8 - (n - gap), n - gap);
        }
        long hi = 0;
        long lo = 0;
        for (int g = 0; g < 4; g++) {
            hi = (hi << 16) | full[g];
            lo = (lo << 16) | full[g + 4];
        }
        return new Ipv6Address(hi, lo);
    }

    private static int hex(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    }

    private static IllegalArgumentException bad(String text) {
        String why = text.contains("%") ? " (a zone like %eth0 is not part of the address: name the interface)"
                : text.contains("/") ? " (no prefix length here)" : "";
        return new IllegalArgumentException("invalid IPv6 address '" + text + "'" + why
                + " (expected: like 2001:db8::1 or fe80::1)");
    }

    /** inet_ntop(AF_INET6) */
    public static String toString(long hi, long lo) {
        int[] w = new int[8];
        for (int g = 0; g < 4; g++) {
            w[g] = (int) (hi >>> (48 - 16 * g)) & 0xffff;
            w[g + 4] = (int) (lo >>> (48 - 16 * g)) & 0xffff;
        }
        int bestBase = -1;
        int bestLen = 0;
        int curBase = -1;
        int curLen = 0;
        for (int g = 0; g < 8; g++) {
            if (w[g] == 0) {
                if (curBase < 0) {
                    curBase = g;
                    curLen = 1;
                } else {
                    curLen++;
                }
            } else if (curBase >= 0) {
                if (curLen > bestLen) {
                    bestBase = curBase;
                    bestLen = curLen;
                }
                curBase = -1;
            }
        }
        if (curBase >= 0 && curLen > bestLen) {
            bestBase = curBase;
            bestLen = curLen;
        }
        if (bestLen < 2) {
            bestBase = -1;
        }
        StringBuilder sb = new StringBuilder(39);
        for (int g = 0; g < 8; g++) {
            if (bestBase >= 0 && g >= bestBase && g < bestBase + bestLen) {
                if (g == bestBase) {
                    sb.append(':');
                }
                continue;
            }
            if (g != 0) {
                sb.append(':');
            }
            // glibc: an embedded IPv4 address for ::a.b.c.d and ::ffff:a.b.c.d
            if (g == 6 && bestBase == 0 && (bestLen == 6 || bestLen == 5 && w[5] == 0xffff)) {
                sb.append(Ipv4Address.toString((int) lo));
                return sb.toString();
            }
            sb.append(Integer.toHexString(w[g]));
        }
        if (bestBase >= 0 && bestBase + bestLen == 8) {
            sb.append(':');
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        return toString(hi, lo);
    }
}
