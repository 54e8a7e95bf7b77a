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
     * Parses the 28-byte Ethernet/IPv4 ARP body at {@code offset}. A truncated packet or lengths
     * other than hlen 6 / plen 4 are rejected, as arp_rcv() rejects them.
     */
    public static ArpMessage parse(byte[] b, int offset, int length) {
        FrameError bad = ArpPacket.check(b, offset, length);
        if (bad != null) {
            throw new IllegalArgumentException(switch (bad) {
                case TRUNCATED_ARP -> "truncated ARP: " + length + " bytes (expected: 28+)";
                case BAD_HLEN -> "ARP hardware address length " + ArpPacket.hln(b, offset) + " (expected: 6)";
                default -> "ARP protocol address length " + ArpPacket.pln(b, offset) + " (expected: 4)";
            });
        }
        return new ArpMessage(ArpPacket.hrd(b, offset), ArpPacket.pro(b, offset), ArpPacket.hln(b, offset),
                ArpPacket.pln(b, offset), ArpOp.of(ArpPacket.op(b, offset)),
                new MacAddress(ArpPacket.sha(b, offset)), new Ipv4Address(ArpPacket.spa(b, offset)),
                new MacAddress(ArpPacket.tha(b, offset)), new Ipv4Address(ArpPacket.tpa(b, offset)));
    }

    /** Writes the 28-byte body at {@code offset}. */
    public void writeTo(byte[] b, int offset) {
        ArpPacket.write(b, offset, hardwareType, protocolType, hardwareLength, protocolLength, op.code(),
                senderMac.bits(), senderIp.bits(), targetMac.bits(), targetIp.bits());
    }

    /** A whole Ethernet frame carrying this message. */
    public byte[] toFrame(MacAddress ethDst, MacAddress ethSrc, int vlan) {
        int l2 = vlan >= 0 ? EthernetFrame.VLAN_HEADER : EthernetFrame.HEADER;
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
