package io.neighd.wire;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * An IPv4 address as a value, held in an {@code int} in network order (the first octet in the
 * most significant byte), with the classifications arp_process and the FIB need
 * ({@code ipv4_is_multicast}, {@code ipv4_is_loopback}, {@code ipv4_is_zeronet},
 * {@code ipv4_is_lbcast} in include/linux/in.h).
 */
public record Ipv4Address(int bits) implements IpAddress, Comparable<Ipv4Address> {

    public static final Ipv4Address ANY = new Ipv4Address(0);
    public static final Ipv4Address BROADCAST = new Ipv4Address(0xffffffff);
    private static final VarHandle INT_BE = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);

    /** Parses dotted-quad text: four decimal octets 0–255, no leading zeros beyond a single 0. */
    public static Ipv4Address parse(String text) {
        return new Ipv4Address(parseBits(text));
    }

    public static int parseBits(String text) {
        if (text == null) {
            throw new IllegalArgumentException("IPv4 address is missing (expected: dotted quad like 10.0.0.1)");
        }
        String s = text.trim();
        int value = 0;
        int octets = 0;
        int i = 0;
        int n = s.length();
        while (i <= n) {
            int start = i;
            int octet = 0;
            while (i < n && s.charAt(i) != '.') {
                char ch = s.charAt(i);
                if (ch < '0' || ch > '9' || i - start >= 3) {
                    throw bad(text);
                }
                octet = octet * 10 + (ch - '0');
                i++;
            }
            int len = i - start;
            if (len == 0 || octet > 255 || (len > 1 && s.charAt(start) == '0')) {
                throw bad(text);
            }
            value = (value << 8) | octet;
            octets++;
            if (octets > 4) {
                throw bad(text);
            }
            i++; // skip the dot (or step past the end)
        }
        if (octets != 4 || s.endsWith(".")) {
            throw bad(text);
        }
        return value;
    }

    private static IllegalArgumentException bad(String text) {
        return new IllegalArgumentException(
                "invalid IPv4 address '" + text + "' (expected: dotted quad like 10.0.0.1)");
    }

    /** Reads four bytes at {@code offset}, network order, in one load. */
    public static int read(byte[] b, int offset) {
        return (int) INT_BE.get(b, offset);
    }

    public static void write(int addr, byte[] b, int offset) {
        b[offset] = (byte) (addr >>> 24);
        b[offset + 1] = (byte) (addr >>> 16);
        b[offset + 2] = (byte) (addr >>> 8);
        b[offset + 3] = (byte) addr;
    }

    public static Ipv4Address of(byte[] b, int offset) {
        return new Ipv4Address(read(b, offset));
    }

    /** 224.0.0.0/4 */
    public static boolean isMulticast(int a) {
        return (a & 0xf0000000) == 0xe0000000;
    }

    /** 127.0.0.0/8 */
    public static boolean isLoopback(int a) {
        return (a & 0xff000000) == 0x7f000000;
    }

    /**
     * ipv4_is_zeronet(): only 0.0.0.0 since Linux 5.3 ("allow 0.0.0.0/8 as a valid address
     * range"), which made the rest of 0/8 ordinary unicast addresses.
     */
    public static boolean isZeronet(int a) {
        return a == 0;
    }

    /** 255.255.255.255, the limited broadcast. */
    public static boolean isLbcast(int a) {
        return a == 0xffffffff;
    }

    public boolean isMulticast() {
        return isMulticast(bits);
    }

    public boolean isLoopback() {
        return isLoopback(bits);
    }

    public boolean isAny() {
        return bits == 0;
    }

    /** The netmask for a prefix length 0–32, as an int. */
    public static int mask(int prefixLength) {
        return prefixLength == 0 ? 0 : -1 << (32 - prefixLength);
    }

    public static String toString(int a) {
        return ((a >>> 24) & 0xff) + "." + ((a >>> 16) & 0xff) + "." + ((a >>> 8) & 0xff) + "." + (a & 0xff);
    }

    @Override
    public int family() {
        return AF_INET;
    }

    @Override
    public long hi() {
        return 0;
    }

    /** The address as a table key's low word: the four bytes, unsigned. */
    @Override
    public long lo() {
        return Integer.toUnsignedLong(bits);
    }

    @Override
    public int compareTo(Ipv4Address o) {
        return Integer.compareUnsigned(bits, o.bits);
    }

    @Override
    public String toString() {
        return toString(bits);
    }
}
