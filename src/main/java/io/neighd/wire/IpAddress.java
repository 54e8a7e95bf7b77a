package io.neighd.wire;

import java.util.Comparator;

/**
 * An IP address of either family as a neighbour table key: up to 16 bytes in two longs, network
 * order ({@code hi} the first eight bytes, {@code lo} the last eight; an IPv4 address is
 * {@code hi} 0 and its four bytes in {@code lo}), the way struct neighbour's primary_key holds
 * them.
 */
public interface IpAddress {
    /** AF_INET (2) */
    int AF_INET = 2;
    /** AF_INET6 (10) */
    int AF_INET6 = 10;

    /** Family first (IPv4 before IPv6), then the address as an unsigned number. */
    Comparator<IpAddress> ORDER = (a, b) -> {
        int c = Integer.compare(a.family(), b.family());
        if (c != 0) {
            return c;
        }
        c = Long.compareUnsigned(a.hi(), b.hi());
        return c != 0 ? c : Long.compareUnsigned(a.lo(), b.lo());
    };

    int family();

    long hi();

    long lo();

    /** The unspecified address of its family (0.0.0.0, ::). */
    default boolean isAny() {
        return hi() == 0 && lo() == 0;
    }

    /** {@code inet} or {@code inet6}, as iproute2 names the families in its JSON. */
    default String familyName() {
        return familyName(family());
    }

    static String familyName(int family) {
        return family == AF_INET6 ? "inet6" : "inet";
    }

    /**
     * Parses either family's text: IPv6 if it contains a colon, else a dotted quad. The message of
     * a failure says which form was expected.
     */
    static IpAddress parse(String text) {
        if (text != null && text.indexOf(':') >= 0) {
            return Ipv6Address.parse(text);
        }
        if (text != null && !text.isBlank() && text.trim().chars().allMatch(c -> c == '.' || c >= '0' && c <= '9')) {
            return Ipv4Address.parse(text);
        }
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("IP address is missing (expected: like 10.0.0.1 or 2001:db8::1)");
        }
        throw new IllegalArgumentException("invalid IP address '" + text
                + "' (expected: a dotted quad like 10.0.0.1 or IPv6 like 2001:db8::1)");
    }
}
