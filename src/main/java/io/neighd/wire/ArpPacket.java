package io.neighd.wire;

/**
 * Zero-copy accessors for an Ethernet/IPv4 ARP packet inside a captured frame (the hot path), and
 * the builder of the frames neighd sends.
 *
 * <pre>
 * RFC 826 layout for Ethernet (hlen 6) and IPv4 (plen 4), offsets from the ARP header:
 *   0  ar$hrd  hardware type        2 bytes  (1 Ethernet, 6 IEEE 802)
 *   2  ar$pro  protocol type        2 bytes  (0x0800)
 *   4  ar$hln  hardware addr length 1 byte   (6)
 *   5  ar$pln  protocol addr length 1 byte   (4)
 *   6  ar$op   opcode               2 bytes  (1 request, 2 reply)
 *   8  ar$sha  sender hardware addr 6 bytes
 *  14  ar$spa  sender protocol addr 4 bytes
 *  18  ar$tha  target hardware addr 6 bytes
 *  24  ar$tpa  target protocol addr 4 bytes
 *  28  (end)
 * </pre>
 */
public final class ArpPacket {
    public static final int HRD = 0;
    public static final int PRO = 2;
    public static final int HLN = 4;
    public static final int PLN = 5;
    public static final int OP = 6;
    public static final int SHA = 8;
    public static final int SPA = 14;
    public static final int THA = 18;
    public static final int TPA = 24;
    /** arp_hdr_len() for an Ethernet device: 8 + 2 * (6 + 4). */
    public static final int LENGTH = 28;

    public static final int HRD_ETHER = 1;
    public static final int HRD_IEEE802 = 6;

    private ArpPacket() {
    }

    public static int hrd(byte[] b, int arp) {
        return u16(b, arp + HRD);
    }

    public static int pro(byte[] b, int arp) {
        return u16(b, arp + PRO);
    }

    public static int hln(byte[] b, int arp) {
        return b[arp + HLN] & 0xff;
    }

    public static int pln(byte[] b, int arp) {
        return b[arp + PLN] & 0xff;
    }

    public static int op(byte[] b, int arp) {
        return u16(b, arp + OP);
    }

    public static long sha(byte[] b, int arp) {
        return MacAddress.read(b, arp + SHA);
    }

    public static int spa(byte[] b, int arp) {
        return Ipv4Address.read(b, arp + SPA);
    }

    public static long tha(byte[] b, int arp) {
        return MacAddress.read(b, arp + THA);
    }

    public static int tpa(byte[] b, int arp) {
        return Ipv4Address.read(b, arp + TPA);
    }

    static int u16(byte[] b, int o) {
        return ((b[o] & 0xff) << 8) | (b[o + 1] & 0xff);
    }

    /**
     * arp_rcv()'s header checks: enough bytes for arp_hdr_len() and the address lengths an
     * Ethernet/IPv4 ARP packet has (hlen 6, plen 4).
     *
     * @return null if the header is usable, else what is wrong with it
     */
    public static FrameError check(byte[] b, int arp, int available) {
        if (available < LENGTH) {
            return FrameError.TRUNCATED_ARP;
        }
        if (hln(b, arp) != 6) {
            return FrameError.BAD_HLEN;
        }
        if (pln(b, arp) != 4) {
            return FrameError.BAD_PLEN;
        }
        return null;
    }

    /**
     * Builds an Ethernet frame carrying one ARP packet, as arp_create() fills it: hardware type 1,
     * protocol 0x0800, hlen 6, plen 4; a missing target hardware address is written as zeros.
     * No padding: Linux hands 42-byte frames to the device (veth does not pad).
     *
     * @param vlan 802.1Q VLAN id to tag the frame with, or -1 for an untagged frame
     */
    public static byte[] frame(int op, long ethDst, long ethSrc, int vlan,
                               long sha, int spa, long tha, int tpa) {
        int l2 = vlan >= 0 ? EthernetFrame.VLAN_HEADER : EthernetFrame.HEADER;
        byte[] f = new byte[l2 + LENGTH];
        EthernetFrame.writeHeader(f, ethDst, ethSrc, vlan, EtherType.ARP);
        write(f, l2, HRD_ETHER, EtherType.IPV4, 6, 4, op, sha, spa, tha, tpa);
        return f;
    }

    /** Writes the 28-byte ARP packet at {@code a}: the one serialiser of ARP, for frames and values. */
    static void write(byte[] f, int a, int hrd, int pro, int hln, int pln, int op, long sha, int spa, long tha,
                      int tpa) {
        f[a + HRD] = (byte) (hrd >>> 8);
        f[a + HRD + 1] = (byte) hrd;
        f[a + PRO] = (byte) (pro >>> 8);
        f[a + PRO + 1] = (byte) pro;
        f[a + HLN] = (byte) hln;
        f[a + PLN] = (byte) pln;
        f[a + OP] = (byte) (op >>> 8);
        f[a + OP + 1] = (byte) op;
        MacAddress.write(sha, f, a + SHA);
        Ipv4Address.write(spa, f, a + SPA);
        MacAddress.write(tha, f, a + THA);
        Ipv4Address.write(tpa, f, a + TPA);
    }
}
