package io.neighd.wire;

/**
 * An ARP packet as a value: what the explain endpoint, tests and logs work with. The hot path
 * reads frames through {@link ArpPacket}'s accessors instead.
 */
public record ArpMessage(int hardwareType, int protocolType, int hardwareLength, int protocolLength, ArpOp op,
                         MacAddress senderMac, Ipv4Address senderIp, MacAddress targetMac, Ipv4Address targetIp) {

    public static ArpMessage request(MacAddress sha, Ipv4Address spa, MacAddress tha, Ipv4Address tpa) {
        return new ArpMessage(ArpPacket.HRD_ETHER, EtherType.IPV4, 6, 4, ArpOp.REQUEST, sha, spa, tha, tpa);
    }

    public static ArpMessage reply(MacAddress sha, Ipv4Address spa, MacAddress tha, Ipv4Address tpa) {
        return new ArpMessage(ArpPacket.HRD_ETHER, EtherType.IPV4, 6, 4, ArpOp.REPLY, sha, spa, tha, tpa);
    }

    /**
     * Parses the 28-byte Ethernet/IPv4 ARP body at {@code offset}. Lengths other than hlen 6 /
     * plen 4 are rejected, as arp_rcv() rejects them.
     */
    public static ArpMessage parse(byte[] b, int offset, int length) {
        if (length < ArpPacket.LENGTH) {
            throw new IllegalArgumentException("truncated ARP: " + length + " bytes (expected: 28+)");
        }
        int hln = ArpPacket.hln(b, offset);
        int pln = ArpPacket.pln(b, offset);
        if (hln != 6) {
            throw new IllegalArgumentException("ARP hardware address length " + hln + " (expected: 6)");
        }
        if (pln != 4) {
            throw new IllegalArgumentException("ARP protocol address length " + pln + " (expected: 4)");
        }
        return new ArpMessage(ArpPacket.hrd(b, offset), ArpPacket.pro(b, offset), hln, pln,
                ArpOp.of(ArpPacket.op(b, offset)),
                new MacAddress(ArpPacket.sha(b, offset)), new Ipv4Address(ArpPacket.spa(b, offset)),
                new MacAddress(ArpPacket.tha(b, offset)), new Ipv4Address(ArpPacket.tpa(b, offset)));
    }

    /** Writes the 28-byte body at {@code offset}. */
    public void writeTo(byte[] b, int offset) {
        b[offset] = (byte) (hardwareType >>> 8);
        b[offset + 1] = (byte) hardwareType;
        b[offset + 2] = (byte) (protocolType >>> 8);
        b[offset + 3] = (byte) protocolType;
        b[offset + ArpPacket.HLN] = (byte) hardwareLength;
        b[offset + ArpPacket.PLN] = (byte) protocolLength;
        b[offset + ArpPacket.OP] = (byte) (op.code() >>> 8);
        b[offset + ArpPacket.OP + 1] = (byte) op.code();
        MacAddress.write(senderMac.bits(), b, offset + ArpPacket.SHA);
        Ipv4Address.write(senderIp.bits(), b, offset + ArpPacket.SPA);
        MacAddress.write(targetMac.bits(), b, offset + ArpPacket.THA);
        Ipv4Address.write(targetIp.bits(), b, offset + ArpPacket.TPA);
    }

    /** A whole Ethernet frame carrying this message. */
    public byte[] toFrame(MacAddress ethDst, MacAddress ethSrc, int vlan) {
        int l2 = vlan >= 0 ? 18 : 14;
        byte[] f = new byte[l2 + ArpPacket.LENGTH];
        EthernetFrame.writeHeader(f, ethDst.bits(), ethSrc.bits(), vlan, EtherType.ARP);
        writeTo(f, l2);
        return f;
    }

    @Override
    public String toString() {
        return op + " who-has " + targetIp + " tell " + senderIp + " (sha " + senderMac + ", tha " + targetMac
                + ", hrd " + hardwareType + ", pro 0x" + Integer.toHexString(protocolType) + ")";
    }
}
