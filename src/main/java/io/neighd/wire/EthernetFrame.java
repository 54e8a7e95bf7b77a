package io.neighd.wire;

/**
 * Ethernet II header, optionally with one IEEE 802.1Q tag.
 *
 * <pre>
 *   0  destination MAC  6
 *   6  source MAC       6
 *  12  EtherType        2   (0x8100: a 4-byte 802.1Q tag follows: TCI 2, inner EtherType 2)
 * </pre>
 */
public final class EthernetFrame {
    public static final int DST = 0;
    public static final int SRC = 6;
    public static final int TYPE = 12;
    public static final int HEADER = 14;
    public static final int VLAN_HEADER = 18;

    private EthernetFrame() {
    }

    public static void writeHeader(byte[] f, long dst, long src, int vlan, int etherType) {
        MacAddress.write(dst, f, DST);
        MacAddress.write(src, f, SRC);
        if (vlan >= 0) {
            f[12] = (byte) (EtherType.VLAN >>> 8);
            f[13] = (byte) EtherType.VLAN;
            f[14] = (byte) (vlan >>> 8 & 0x0f);
            f[15] = (byte) vlan;
            f[16] = (byte) (etherType >>> 8);
            f[17] = (byte) etherType;
        } else {
            f[12] = (byte) (etherType >>> 8);
            f[13] = (byte) etherType;
        }
    }

    /** Prepends an Ethernet header to an L3 packet. */
    public static byte[] wrap(long dst, long src, int vlan, int etherType, byte[] l3) {
        int l2 = vlan >= 0 ? VLAN_HEADER : HEADER;
        byte[] f = new byte[l2 + l3.length];
        writeHeader(f, dst, src, vlan, etherType);
        System.arraycopy(l3, 0, f, l2, l3.length);
        return f;
    }
}
