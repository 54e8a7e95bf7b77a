package io.neighd.wire;

/**
 * A received frame decoded in place: one mutable instance is reused by the receive loop so that
 * the hot path allocates nothing. Fields are valid after {@link FrameDecoder#decode} returned
 * {@code null}; which ones depends on {@link #etherType}.
 */
public final class RxFrame {
    public byte[] data;
    public int length;
    public long ethDst;
    public long ethSrc;
    /** 802.1Q VLAN id, or -1 for an untagged frame. */
    public int vlan;
    public int etherType;
    /** Offset of the L3 header (ARP or IPv4). */
    public int l3;

    // ARP (etherType 0x0806)
    public int arpHrd;
    public int arpPro;
    public int arpOp;
    public long sha;
    public int spa;
    public long tha;
    public int tpa;

    // IPv4 (etherType 0x0800)
    public int ipProtocol;
    public int ipSrc;
    public int ipDst;
    public int ipTtl;
    public int ipTotalLength;
    /** Offset of the L4 header (the ICMP or ICMPv6 message). */
    public int l4;
    public int l4Length;

    // IPv6 (etherType 0x86dd): the header's fields; the payload length is checked by ipv6_rcv
    public long ip6SrcHi;
    public long ip6SrcLo;
    public long ip6DstHi;
    public long ip6DstLo;
    public int ip6NextHeader;
    public int ip6HopLimit;
    public int ip6PayloadLength;
    public int ip6TrafficClass;

    /** The bytes from the L3 header on, as a fresh array. */
    public byte[] l3Bytes() {
        int end = etherType == EtherType.IPV4 ? l3 + ipTotalLength
                : etherType == EtherType.IPV6 ? Math.min(length, l3 + Ipv6Packet.HEADER + ip6PayloadLength) : length;
        byte[] out = new byte[end - l3];
        System.arraycopy(data, l3, out, 0, out.length);
        return out;
    }
}
