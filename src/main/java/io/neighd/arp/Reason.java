package io.neighd.arp;

import io.neighd.wire.FrameError;

import java.util.Locale;

/**
 * What became of a received frame: one code per frame, stable across releases, used as the
 * {@code reason} label of {@code neighd_arp_packets_dropped_total}, in logs and by the explain
 * endpoint. The {@link Kind} says whether a frame was used (replied to, learned from), dropped
 * (malformed, refused by a knob), or ignored (not meant for this host, as Linux ignores it).
 *
 * <p>Codes are never renumbered or renamed; new ones are added at the end of their group.
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

    // -- ignored, as Linux ignores them
    /** Unicast to another MAC (PACKET_OTHERHOST): Linux never sees it. */
    NOT_FOR_HOST(Kind.IGNORED, "Ethernet destination is another host's MAC"),
    /** Tagged for a VLAN this interface is not on, or untagged on a VLAN interface. */
    VLAN_MISMATCH(Kind.IGNORED, "802.1Q tag does not match the interface"),
    /** The interface is NOARP (IFF_NOARP): arp_rcv consumes everything. */
    DEVICE_NOARP(Kind.IGNORED, "interface is NOARP"),
    /** The interface is administratively down. */
    DEVICE_DOWN(Kind.IGNORED, "interface is down"),
    /** Neither for us nor proxied, and no entry for the sender to update: nothing to do. */
    NOT_FOR_US(Kind.IGNORED, "not for a local or proxied address, sender unknown"),
    /** A DAD probe for an address that is not ours. */
    DAD_NOT_LOCAL(Kind.IGNORED, "duplicate address probe for an address that is not local"),
    /** An ARP reply with sender 0.0.0.0. */
    DAD_REPLY(Kind.IGNORED, "reply with sender 0.0.0.0"),
    /** An EtherType neighd does not handle. */
    OTHER_ETHERTYPE(Kind.IGNORED, "neither ARP nor IPv4"),
    /** IPv4 that is not for a local address, not ICMP echo, or a fragment. */
    IP_NOT_HANDLED(Kind.IGNORED, "IPv4 packet neighd does not handle"),

    // -- dropped: malformed
    MALFORMED_TRUNCATED(Kind.DROPPED, "frame too short for its headers"),
    MALFORMED_HLEN(Kind.DROPPED, "ARP hardware address length is not 6"),
    MALFORMED_PLEN(Kind.DROPPED, "ARP protocol address length is not 4"),
    MALFORMED_HTYPE(Kind.DROPPED, "ARP hardware type is neither 1 (Ethernet) nor 6 (IEEE 802)"),
    MALFORMED_PTYPE(Kind.DROPPED, "ARP protocol type is not IPv4 (0x0800)"),
    UNKNOWN_OP(Kind.DROPPED, "ARP opcode is neither request (1) nor reply (2)"),
    MALFORMED_IPV4(Kind.DROPPED, "IPv4 header version or length is bad"),
    BAD_IPV4_CHECKSUM(Kind.DROPPED, "IPv4 header checksum does not verify"),
    BAD_ICMP(Kind.DROPPED, "ICMP message truncated or checksum does not verify"),

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
    TABLE_FULL(Kind.DROPPED, "neighbour table full (gc_thresh3 reached, GC freed nothing)"),
    PROXY_QUEUE_FULL(Kind.DROPPED, "proxy queue over proxy_qlen"),
    DAD_ARP_IGNORE(Kind.DROPPED, "duplicate address probe refused by arp_ignore"),
    /**
     * An IPv4 packet whose source ip_route_input drops as martian: multicast, limited broadcast,
     * 0.0.0.0, 127/8 without route_localnet, a local address without accept_local, or refused by
     * rp_filter (no route back, a broadcast route back, strict mode's other interface).
     */
    IP_MARTIAN_SOURCE(Kind.DROPPED, "IPv4 source is martian (rp_filter, accept_local, or an impossible address)"),
    /** An IPv4 packet whose destination ip_route_input drops as martian: 0.0.0.0, or 127/8 without route_localnet. */
    IP_MARTIAN_DESTINATION(Kind.DROPPED, "IPv4 destination is martian (0.0.0.0, or 127/8 without route_localnet)"),

    // -- dropped: by neighd itself
    /** Handling the frame failed (a defect in neighd): dropped, counted in neighd_engine_failures_total. */
    ENGINE_FAILURE(Kind.DROPPED, "neighd failed while handling the frame (a defect; see neighd_engine_failures_total)");

    public enum Kind { USED, IGNORED, DROPPED }

    private final Kind kind;
    private final String description;

    Reason(Kind kind, String description) {
        this.kind = kind;
        this.description = description;
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
