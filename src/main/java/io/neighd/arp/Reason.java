package io.neighd.arp;

import io.neighd.wire.FrameError;

import java.util.Locale;

/**
 * What became of a received frame: one code per frame, stable across releases, used as the
 * {@code reason} label of {@code neighd_arp_packets_dropped_total}, in logs and by the explain
 * endpoint. The {@link Kind} says whether a frame was used (replied to, learned from), dropped
 * (malformed, refused by a knob), or ignored (not meant for this host, as Linux ignores it).
 *
 * <p>Codes are never renumbered or renamed; new ones are added at the end of their group. Each
 * code belongs to the frames of one family or both ({@link #appliesTo}): ARP and IPv4 frames
 * ({@code inet}), IPv6 frames ({@code inet6}, the ndisc_rcv / ipv6_rcv codes).
 */
public enum Reason {
    // -- used
    /** A request for a local address: sender learned (neigh_event_ns), reply sent. */
    REPLIED(Kind.USED, "request for a local address: sender learned, reply sent"),
    /** A duplicate address detection probe (sender 0.0.0.0) for a local address: reply sent, nothing learned. */
    DAD_REPLIED(Kind.USED, "duplicate address probe for a local address: reply sent, cache untouched"),
    /** A request proxied at once (proxy_delay 0, unicast to us, or after its delay). */
    PROXY_REPLIED(Kind.USED, "request for a proxied address: sender learned, reply sent"),
    /** A broadcast request for a proxied address, held for a random delay below proxy_delay. */
    PROXY_QUEUED(Kind.USED, "request for a proxied address: sender learned, reply after a random delay"),
    /** An existing entry for the sender was updated (or confirmed unchanged). */
    UPDATED(Kind.USED, "existing entry for the sender updated"),
    /** No entry existed; arp_accept let an unsolicited ARP create one. */
    CREATED_BY_ARP_ACCEPT(Kind.USED, "unsolicited ARP created an entry (arp_accept)"),
    /** An ICMP echo request for a local address: reply sent. */
    ICMP_ECHO_REPLIED(Kind.USED, "ICMP echo request for a local address: reply sent"),
    /** An ICMP echo reply for one of neighd's pings. */
    ICMP_ECHO_REPLY(Kind.USED, "ICMP echo reply to a ping of neighd's"),
    /** No entry existed; the sender answered a running scan's probe, which created its entry ({@link ArpScans}). */
    CREATED_BY_SCAN(Kind.USED, "reply to a scan's probe created the sender's entry"),
    /** ndisc_recv_ns(): an NS for a local address; sender learned (STALE), solicited NA sent. */
    NDISC_NS_REPLIED(Kind.USED, F.V6, "neighbour solicitation for a local address: sender learned, solicited advertisement sent"),
    /** ndisc_recv_ns(): a DAD probe (source ::) for a local address: NA to all nodes, nothing learned. */
    NDISC_DAD_REPLIED(Kind.USED, F.V6, "duplicate address probe for a local address: advertisement to all nodes, cache untouched"),
    /** ndisc_recv_ns(): an NS for an anycast or proxied (proxy_ndp) address answered now. */
    NDISC_PROXY_REPLIED(Kind.USED, F.V6, "solicitation for an anycast or proxied address: sender learned, advertisement sent"),
    /** ndisc_recv_ns(): a multicast NS for an anycast or proxied address, held for a random delay below proxy_delay. */
    NDISC_PROXY_QUEUED(Kind.USED, F.V6, "solicitation for an anycast or proxied address: answered after a random delay"),
    /** ndisc_recv_na(): the target's entry updated (neigh_update with the NA's O/S/R flags). */
    NDISC_NA_UPDATED(Kind.USED, F.V6, "advertisement: the target's entry updated"),
    /** ndisc_recv_na(): no entry, forwarding and accept_untracked_na created one (STALE). */
    NDISC_NA_CREATED(Kind.USED, F.V6, "untracked advertisement created an entry (accept_untracked_na, forwarding on)"),
    /** ndisc_recv_rs(): forwarding on, the sender's entry created or updated (STALE). */
    NDISC_RS_UPDATED(Kind.USED, F.V6, "router solicitation: the sender's entry updated (forwarding on)"),
    /** ndisc_router_discovery(): the router's entry created or updated, STALE with the router flag. */
    NDISC_RA_UPDATED(Kind.USED, F.V6, "router advertisement: the router's entry updated, router flag set"),
    /** addrconf_dad_failure(): an NS or NA says another node uses a tentative address of ours. */
    NDISC_DAD_CONFLICT(Kind.USED, F.V6, "another node uses a tentative address of ours: duplicate address detection failed"),
    /** rt6_do_redirect(): a redirect from our default router; the target's entry updated. */
    NDISC_REDIRECT_UPDATED(Kind.USED, F.V6, "redirect from the router in use: the target's entry updated"),
    /** icmpv6_echo_reply(): an echo request for a local address answered. */
    ICMP6_ECHO_REPLIED(Kind.USED, F.V6, "ICMPv6 echo request for a local address: reply sent"),
    /** An ICMPv6 echo reply for one of neighd's pings. */
    ICMP6_ECHO_REPLY(Kind.USED, F.V6, "ICMPv6 echo reply to a ping of neighd's"),

    // -- ignored, as Linux ignores them
    /** Unicast to another MAC (PACKET_OTHERHOST): Linux never sees it. */
    NOT_FOR_HOST(Kind.IGNORED, F.BOTH, "Ethernet destination is another host's MAC"),
    /** Tagged for a VLAN this interface is not on, or untagged on a VLAN interface. */
    VLAN_MISMATCH(Kind.IGNORED, F.BOTH, "802.1Q tag does not match the interface"),
    /** The interface is NOARP (IFF_NOARP): arp_rcv consumes everything. */
    DEVICE_NOARP(Kind.IGNORED, "interface is NOARP"),
    /** The interface is administratively down. */
    DEVICE_DOWN(Kind.IGNORED, F.BOTH, "interface is down"),
    /** Neither for us nor proxied, and no entry for the sender to update: nothing to do. */
    NOT_FOR_US(Kind.IGNORED, "not for a local or proxied address, sender unknown"),
    /** A DAD probe for an address that is not ours. */
    DAD_NOT_LOCAL(Kind.IGNORED, "duplicate address probe for an address that is not local"),
    /** An ARP reply with sender 0.0.0.0. */
    DAD_REPLY(Kind.IGNORED, "reply with sender 0.0.0.0"),
    /** An EtherType neighd does not handle. */
    OTHER_ETHERTYPE(Kind.IGNORED, "neither ARP, IPv4 nor IPv6"),
    /** IPv4 that is not for a local address, not ICMP echo, or a fragment. */
    IP_NOT_HANDLED(Kind.IGNORED, "IPv4 packet neighd does not handle"),
    /** ip6_mc_input(): a multicast destination the interface has not joined. */
    IPV6_NOT_MEMBER(Kind.IGNORED, F.V6, "multicast destination the interface has not joined"),
    /** ip6_route_input(): a unicast destination that is not a local address (nor a proxied one). */
    IPV6_NOT_LOCAL(Kind.IGNORED, F.V6, "unicast destination is not a local address"),
    /** Not ICMPv6 (another upper layer, or extension headers). */
    IPV6_NOT_HANDLED(Kind.IGNORED, F.V6, "IPv6 packet neighd does not handle (not ICMPv6, or extension headers)"),
    /** An ICMPv6 type neighd does not handle (MLD, errors). */
    ICMP6_NOT_HANDLED(Kind.IGNORED, F.V6, "ICMPv6 message neighd does not handle"),
    /** ndisc_recv_ns(): the target is neither local, anycast nor proxied (IPV6_NDISC_NS_OTHERHOST). */
    NDISC_NS_NOT_FOR_US(Kind.IGNORED, F.V6, "solicitation for an address that is neither local, anycast nor proxied"),
    /** ndisc_recv_ns(): a non-DAD NS for a tentative address. */
    NDISC_NS_TENTATIVE(Kind.IGNORED, F.V6, "solicitation for a tentative address: not answered while DAD runs"),
    /** ndisc_recv_ns(): our own DAD probe came back (its nonce is ours, RFC 7527). */
    NDISC_DAD_LOOPED(Kind.IGNORED, F.V6, "our own duplicate address probe looped back (same nonce)"),
    /** ndisc_recv_na(): no entry for the target and none created. */
    NDISC_NA_UNTRACKED(Kind.IGNORED, F.V6, "advertisement for a target without an entry: nothing to update"),
    /** ndisc_recv_na(): the target's entry is FAILED. */
    NDISC_NA_ENTRY_FAILED(Kind.IGNORED, F.V6, "advertisement for a FAILED entry: not updated"),
    /** ndisc_recv_na(): an NA for one of our own (not tentative) addresses. */
    NDISC_NA_OWN_ADDRESS(Kind.IGNORED, F.V6, "advertisement for one of our own addresses"),
    /** ndisc_recv_na(): our own proxy NA (our MAC, forwarding and proxy_ndp on, a proxy entry). */
    NDISC_NA_OWN_PROXY(Kind.IGNORED, F.V6, "our own proxy advertisement: the entry is not updated"),
    /** ndisc_recv_rs(): forwarding off, or the source is ::. */
    NDISC_RS_IGNORED(Kind.IGNORED, F.V6, "router solicitation while not a router, or from ::"),
    /** ndisc_redirect_rcv(): no route through the sender for the destination. */
    NDISC_REDIRECT_IGNORED(Kind.IGNORED, F.V6, "redirect: no route through its sender, nothing redirected"),

    // -- dropped: malformed
    MALFORMED_TRUNCATED(Kind.DROPPED, F.BOTH, "frame too short for its headers"),
    MALFORMED_HLEN(Kind.DROPPED, "ARP hardware address length is not 6"),
    MALFORMED_PLEN(Kind.DROPPED, "ARP protocol address length is not 4"),
    MALFORMED_HTYPE(Kind.DROPPED, "ARP hardware type is neither 1 (Ethernet) nor 6 (IEEE 802)"),
    MALFORMED_PTYPE(Kind.DROPPED, "ARP protocol type is not IPv4 (0x0800)"),
    UNKNOWN_OP(Kind.DROPPED, "ARP opcode is neither request (1) nor reply (2)"),
    MALFORMED_IPV4(Kind.DROPPED, "IPv4 header version or length is bad"),
    BAD_IPV4_CHECKSUM(Kind.DROPPED, "IPv4 header checksum does not verify"),
    BAD_ICMP(Kind.DROPPED, "ICMP message truncated or checksum does not verify"),
    MALFORMED_IPV6(Kind.DROPPED, F.V6, "IPv6 header truncated or its version is not 6"),
    IPV6_TRUNCATED(Kind.DROPPED, F.V6, "IPv6 payload length is longer than the frame"),
    BAD_ICMP6(Kind.DROPPED, F.V6, "ICMPv6 message truncated or checksum does not verify"),
    NDISC_TRUNCATED(Kind.DROPPED, F.V6, "ND message shorter than its fixed part"),
    NDISC_BAD_OPTIONS(Kind.DROPPED, F.V6, "ND options malformed (zero length or running past the end)"),
    NDISC_BAD_LLADDR(Kind.DROPPED, F.V6, "link-layer address option of the wrong length"),

    // -- dropped: by rule or knob
    TARGET_MULTICAST(Kind.DROPPED, "target address is multicast"),
    TARGET_LOOPBACK(Kind.DROPPED, "target address is 127/8 and route_localnet is 0"),
    GRATUITOUS_DROPPED(Kind.DROPPED, "sender equals target and drop_gratuitous_arp is on"),
    ARP_IGNORE_NOT_ON_INGRESS(Kind.DROPPED, "arp_ignore>=1: target is not configured on the receiving interface"),
    ARP_IGNORE_SENDER_NOT_ON_SUBNET(Kind.DROPPED,
            "arp_ignore=2: the sender is not in the subnet of the target's address"),
    ARP_IGNORE_SCOPE_HOST(Kind.DROPPED, "arp_ignore=3: target is a scope host address"),
    ARP_IGNORE_NEVER(Kind.DROPPED, "arp_ignore=8: never reply"),
    ARP_FILTER_ROUTE_MISMATCH(Kind.DROPPED, "arp_filter: the route back to the sender leaves through another interface"),
    ARP_FILTER_NO_ROUTE(Kind.DROPPED, "arp_filter: no route back to the sender"),
    TABLE_FULL(Kind.DROPPED, F.BOTH, "neighbour table full (gc_thresh3 reached, GC freed nothing)"),
    PROXY_QUEUE_FULL(Kind.DROPPED, F.BOTH, "proxy queue over proxy_qlen"),
    DAD_ARP_IGNORE(Kind.DROPPED, "duplicate address probe refused by arp_ignore"),
    /**
     * An IPv4 packet whose source ip_route_input drops as martian: multicast, limited broadcast,
     * 0.0.0.0, 127/8 without route_localnet, a local address without accept_local, or refused by
     * rp_filter (no route back, a broadcast route back, strict mode's other interface).
     */
    IP_MARTIAN_SOURCE(Kind.DROPPED, "IPv4 source is martian (rp_filter, accept_local, or an impossible address)"),
    /** An IPv4 packet whose destination ip_route_input drops as martian: 0.0.0.0, or 127/8 without route_localnet. */
    IP_MARTIAN_DESTINATION(Kind.DROPPED, "IPv4 destination is martian (0.0.0.0, or 127/8 without route_localnet)"),
    IPV6_DISABLED(Kind.DROPPED, F.V6, "disable_ipv6 is set on the interface"),
    IPV6_BAD_SOURCE(Kind.DROPPED, F.V6, "source is multicast or loopback (RFC 4291)"),
    IPV6_BAD_DESTINATION(Kind.DROPPED, F.V6, "destination is loopback, or multicast of scope 0 or interface-local"),
    IPV6_UNICAST_IN_L2_MULTICAST(Kind.DROPPED, F.V6,
            "unicast IPv6 in a link-layer multicast or broadcast frame and drop_unicast_in_l2_multicast is on"),
    NDISC_BAD_HOP_LIMIT(Kind.DROPPED, F.V6, "ND message with a hop limit other than 255"),
    NDISC_BAD_CODE(Kind.DROPPED, F.V6, "ND message with an ICMPv6 code other than 0"),
    NDISC_TARGET_MULTICAST(Kind.DROPPED, F.V6, "target address is multicast"),
    NDISC_BAD_DAD(Kind.DROPPED, F.V6,
            "duplicate address probe not sent to a solicited-node address, or carrying a source link-layer address"),
    NDISC_NS_NO_LLADDR(Kind.DROPPED, F.V6,
            "multicast solicitation without a source link-layer address: no entry, no answer"),
    NDISC_NA_SOLICITED_MULTICAST(Kind.DROPPED, F.V6, "solicited advertisement sent to a multicast address"),
    NDISC_NA_UNSOLICITED_DROPPED(Kind.DROPPED, F.V6, "unsolicited advertisement and drop_unsolicited_na is on"),
    NDISC_NOT_LINK_LOCAL(Kind.DROPPED, F.V6, "router advertisement or redirect from a source that is not link-local"),

    // -- dropped: by neighd itself
    /** Handling the frame failed (a defect in neighd): dropped, counted in neighd_engine_failures_total. */
    ENGINE_FAILURE(Kind.DROPPED, F.BOTH, "neighd failed while handling the frame (a defect; see neighd_engine_failures_total)");

    public enum Kind { USED, IGNORED, DROPPED }

    private final Kind kind;
    private final int families;
    private final String description;

    Reason(Kind kind, String description) {
        this(kind, F.V4, description);
    }

    Reason(Kind kind, int families, String description) {
        this.kind = kind;
        this.families = families;
        this.description = description;
    }

    /**
     * Whether a frame of {@code family} (IpAddress.AF_INET for ARP and IPv4 frames and those of
     * other EtherTypes, AF_INET6 for IPv6) can end with this code.
     */
    public boolean appliesTo(int family) {
        return (families & (family == io.neighd.wire.IpAddress.AF_INET6 ? F.V6 : F.V4)) != 0;
    }

    /** The family bits of {@link #appliesTo} (a holder: enum constants cannot see the enum's own statics). */
    private static final class F {
        static final int V4 = 1;
        static final int V6 = 2;
        static final int BOTH = V4 | V6;
    }

    public Kind kind() {
        return kind;
    }

    public String description() {
        return description;
    }

    /** The metric label: lower-case code. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Reason of(FrameError e) {
        return switch (e) {
            case TRUNCATED_ETHERNET, TRUNCATED_ARP, TRUNCATED_IPV4 -> MALFORMED_TRUNCATED;
            case BAD_HLEN -> MALFORMED_HLEN;
            case BAD_PLEN -> MALFORMED_PLEN;
            case BAD_IPV4_VERSION, BAD_IPV4_HEADER_LENGTH -> MALFORMED_IPV4;
            case BAD_IPV4_CHECKSUM -> BAD_IPV4_CHECKSUM;
            case TRUNCATED_ICMP, BAD_ICMP_CHECKSUM -> BAD_ICMP;
            case TRUNCATED_IPV6, BAD_IPV6_VERSION -> MALFORMED_IPV6;
        };
    }

    /** Which arp_ignore refusal a level stands for. */
    static Reason ofArpIgnore(int level) {
        return switch (level) {
            case 1 -> ARP_IGNORE_NOT_ON_INGRESS;
            case 2 -> ARP_IGNORE_SENDER_NOT_ON_SUBNET;
            case 3 -> ARP_IGNORE_SCOPE_HOST;
            default -> ARP_IGNORE_NEVER;
        };
    }
}
