package io.neighd.wire;

/**
 * Decodes Ethernet II / 802.1Q frames carrying ARP, IPv4 or IPv6 into an {@link RxFrame}. Never throws
 * on bad input: it answers a {@link FrameError} (the caller counts it and drops the frame) or
 * {@code null} on success. Other EtherTypes decode successfully with only the L2 fields set.
 */
public final class FrameDecoder {
    private FrameDecoder() {
    }

    public static FrameError decode(byte[] data, int length, RxFrame f) {
        f.data = data;
        f.length = length;
        f.etherType = 0;
        if (length < EthernetFrame.HEADER) {
            return FrameError.TRUNCATED_ETHERNET;
        }
        f.ethDst = MacAddress.read(data, EthernetFrame.DST);
        f.ethSrc = MacAddress.read(data, EthernetFrame.SRC);
        int type = ArpPacket.u16(data, EthernetFrame.TYPE);
        int l3 = EthernetFrame.HEADER;
        f.vlan = -1;
        if (type == EtherType.VLAN) {
            if (length < EthernetFrame.VLAN_HEADER) {
                return FrameError.TRUNCATED_ETHERNET;
            }
            f.vlan = ArpPacket.u16(data, 14) & 0x0fff;
            type = ArpPacket.u16(data, 16);
            l3 = EthernetFrame.VLAN_HEADER;
        }
        f.etherType = type;
        f.l3 = l3;
        if (type == EtherType.ARP) {
            return decodeArp(data, length, l3, f);
        }
        if (type == EtherType.IPV4) {
            return decodeIpv4(data, length, l3, f);
        }
        if (type == EtherType.IPV6) {
            return decodeIpv6(data, length, l3, f);
        }
        return null;
    }

    private static FrameError decodeArp(byte[] b, int length, int a, RxFrame f) {
        FrameError bad = ArpPacket.check(b, a, length - a);
        if (bad != null) {
            return bad;
        }
        f.arpHrd = ArpPacket.hrd(b, a);
        f.arpPro = ArpPacket.pro(b, a);
        f.arpOp = ArpPacket.op(b, a);
        f.sha = ArpPacket.sha(b, a);
        f.spa = ArpPacket.spa(b, a);
        f.tha = ArpPacket.tha(b, a);
        f.tpa = ArpPacket.tpa(b, a);
        return null;
    }

    private static FrameError decodeIpv4(byte[] b, int length, int ip, RxFrame f) {
        int avail = length - ip;
        if (avail < Ipv4Packet.HEADER) {
            return FrameError.BAD_IPV4_HEADER_LENGTH;
        }
        if (Ipv4Packet.version(b, ip) != 4) {
            return FrameError.BAD_IPV4_VERSION;
        }
        int hlen = Ipv4Packet.ihl(b, ip) * 4;
        if (hlen < Ipv4Packet.HEADER || hlen > avail) {
            return FrameError.BAD_IPV4_HEADER_LENGTH;
        }
        int total = Ipv4Packet.totalLength(b, ip);
        if (total < hlen || total > avail) {
            return FrameError.TRUNCATED_IPV4;
        }
        if (Checksum.compute(b, ip, hlen) != 0) {
            return FrameError.BAD_IPV4_CHECKSUM;
        }
        f.ipProtocol = Ipv4Packet.protocol(b, ip);
        f.ipSrc = Ipv4Packet.source(b, ip);
        f.ipDst = Ipv4Packet.destination(b, ip);
        f.ipTtl = Ipv4Packet.ttl(b, ip);
        f.ipTotalLength = total;
        f.l4 = ip + hlen;
        f.l4Length = total - hlen;
        if (f.ipProtocol == Ipv4Packet.PROTO_ICMP && !Ipv4Packet.isFragment(b, ip)) {
            if (f.l4Length < IcmpEcho.HEADER) {
                return FrameError.TRUNCATED_ICMP;
            }
            if (Checksum.compute(b, f.l4, f.l4Length) != 0) {
                return FrameError.BAD_ICMP_CHECKSUM;
            }
        }
        return null;
    }

    /**
     * The IPv6 header as far as ip6_rcv_core() reads it before its address checks: present and
     * version 6. The payload length and the ICMPv6 checksum are checked later, in the kernel's
     * order (ipv6.Ip6Input, ndisc.Icmpv6Rcv).
     */
    private static FrameError decodeIpv6(byte[] b, int length, int ip, RxFrame f) {
        if (length - ip < Ipv6Packet.HEADER) {
            return FrameError.TRUNCATED_IPV6;
        }
        if (Ipv6Packet.version(b, ip) != 6) {
            return FrameError.BAD_IPV6_VERSION;
        }
        f.ip6TrafficClass = Ipv6Packet.trafficClass(b, ip);
        f.ip6PayloadLength = Ipv6Packet.payloadLength(b, ip);
        f.ip6NextHeader = Ipv6Packet.nextHeader(b, ip);
        f.ip6HopLimit = Ipv6Packet.hopLimit(b, ip);
        f.ip6SrcHi = Ipv6Address.readHi(b, ip + Ipv6Packet.SRC);
        f.ip6SrcLo = Ipv6Address.readLo(b, ip + Ipv6Packet.SRC);
        f.ip6DstHi = Ipv6Address.readHi(b, ip + Ipv6Packet.DST);
        f.ip6DstLo = Ipv6Address.readLo(b, ip + Ipv6Packet.DST);
        f.l4 = ip + Ipv6Packet.HEADER;
        f.l4Length = f.ip6PayloadLength;
        return null;
    }
}
