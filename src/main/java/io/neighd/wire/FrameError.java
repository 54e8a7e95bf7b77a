package io.neighd.wire;

/** Why a frame could not be parsed. Each maps to a drop reason that a counter records. */
public enum FrameError {
    /** Shorter than an Ethernet header (or an 802.1Q-tagged one). */
    TRUNCATED_ETHERNET,
    /** Fewer than 28 bytes of ARP (pskb_may_pull(arp_hdr_len) fails in arp_rcv). */
    TRUNCATED_ARP,
    /** ar$hln is not the device's address length, 6. */
    BAD_HLEN,
    /** ar$pln is not 4. */
    BAD_PLEN,
    /** IPv4 version field is not 4. */
    BAD_IPV4_VERSION,
    /** IHL below 5, or the header longer than the packet. */
    BAD_IPV4_HEADER_LENGTH,
    /** Total length larger than what was captured, or smaller than the header. */
    TRUNCATED_IPV4,
    /** The IPv4 header checksum does not verify. */
    BAD_IPV4_CHECKSUM,
    /** Fewer than 8 bytes of ICMP. */
    TRUNCATED_ICMP,
    /** The ICMP checksum does not verify. */
    BAD_ICMP_CHECKSUM,
    /** Fewer than 40 bytes of IPv6 header (pskb_may_pull in ip6_rcv_core fails). */
    TRUNCATED_IPV6,
    /** IPv6 version field is not 6. */
    BAD_IPV6_VERSION
}
