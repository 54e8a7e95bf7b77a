package io.neighd.wire;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * A 48-bit IEEE 802 MAC address, held in the low 48 bits of a {@code long} so that a neighbour
 * entry can carry its link-layer address without a separate array object.
 *
 * <p>Text form is six colon-separated pairs of hex digits ({@code 02:aa:00:00:00:01}), the form
 * {@code ip neigh} prints. Parsing is strict: exactly six pairs, hex digits only.
 */
public record MacAddress(long bits) {

    public static final MacAddress ZERO = new MacAddress(0L);
    public static final MacAddress BROADCAST = new MacAddress(0xffff_ffff_ffffL);
    private static final long MASK = 0xffff_ffff_ffffL;
    private static final VarHandle INT_BE = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle SHORT_BE = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.BIG_ENDIAN);

    public MacAddress {
        if ((bits & ~MASK) != 0) {
            throw new IllegalArgumentException("MAC address has more than 48 bits: 0x" + Long.toHexString(bits));
        }
    }

    /** Parses {@code 02:aa:00:00:00:01} (also accepts upper-case hex). */
    public static MacAddress parse(String text) {
        if (text == null) {
            throw new IllegalArgumentException("MAC address is missing (expected: six hex pairs like 02:aa:00:00:00:01)");
        }
        String s = text.trim();
        if (s.length() != 17) {
            throw bad(text);
        }
        long v = 0;
        for (int i = 0; i < 6; i++) {
            int p = i * 3;
            int hi = hexDigit(s.charAt(p));
            int lo = hexDigit(s.charAt(p + 1));
            if (hi < 0 || lo < 0 || (i < 5 && s.charAt(p + 2) != ':')) {
                throw bad(text);
            }
            v = (v << 8) | (hi << 4) | lo;
        }
        return new MacAddress(v);
    }

    /** ASCII hex only: Character.digit would also take other scripts' digits and fullwidth letters. */
    private static int hexDigit(char c) {
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
        return new IllegalArgumentException(
                "invalid MAC address '" + text + "' (expected: six hex pairs like 02:aa:00:00:00:01)");
    }

    /** Reads six bytes at {@code offset}: two loads, not six (every ARP frame carries four addresses). */
    public static long read(byte[] b, int offset) {
        return (((int) INT_BE.get(b, offset) & 0xffff_ffffL) << 16) | ((short) SHORT_BE.get(b, offset + 4) & 0xffffL);
    }

    /** Writes the 48 bits of {@code mac} as six bytes at {@code offset}. */
    public static void write(long mac, byte[] b, int offset) {
        b[offset] = (byte) (mac >>> 40);
        b[offset + 1] = (byte) (mac >>> 32);
        b[offset + 2] = (byte) (mac >>> 24);
        b[offset + 3] = (byte) (mac >>> 16);
        b[offset + 4] = (byte) (mac >>> 8);
        b[offset + 5] = (byte) mac;
    }

    public static MacAddress of(byte[] b, int offset) {
        return new MacAddress(read(b, offset));
    }

    public byte[] toBytes() {
        byte[] b = new byte[6];
        write(bits, b, 0);
        return b;
    }

    public boolean isBroadcast() {
        return bits == MASK;
    }

    /** The group bit (least significant bit of the first octet); broadcast is also multicast. */
    public boolean isMulticast() {
        return isMulticast(bits);
    }

    public static boolean isMulticast(long mac) {
        return (mac & 0x0100_0000_0000L) != 0;
    }

    public boolean isZero() {
        return bits == 0;
    }

    public static String toString(long mac) {
        char[] c = new char[17];
        for (int i = 0; i < 6; i++) {
            int octet = (int) (mac >>> (40 - 8 * i)) & 0xff;
            c[i * 3] = HEX[octet >>> 4];
            c[i * 3 + 1] = HEX[octet & 0xf];
            if (i < 5) {
                c[i * 3 + 2] = ':';
            }
        }
        return new String(c);
    }

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    @Override
    public String toString() {
        return toString(bits);
    }
}
