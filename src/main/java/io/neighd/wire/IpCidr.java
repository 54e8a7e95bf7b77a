package io.neighd.wire;

/**
 * An address of either family with its prefix length ({@link Ipv4Cidr}, {@link Ipv6Cidr}), for
 * the few places that take both, as {@code ip addr add} does.
 */
public sealed interface IpCidr permits Ipv4Cidr, Ipv6Cidr {
    IpAddress address();

    int prefixLength();

    /** Is {@code a} of this family and inside this prefix? */
    default boolean contains(IpAddress a) {
        if (this instanceof Ipv4Cidr c) {
            return a instanceof Ipv4Address v4 && c.contains(v4.bits());
        }
        Ipv6Cidr c = (Ipv6Cidr) this;
        return a instanceof Ipv6Address v6 && c.contains(v6.hi(), v6.lo());
    }

    /**
     * Parses either family's text: IPv6 if it contains a colon ({@code fd77::55/64}), else a
     * dotted quad ({@code 10.77.0.100/24}); without a slash, a host prefix (/32, /128).
     */
    static IpCidr parse(String text) {
        if (text != null && text.indexOf(':') >= 0) {
            return Ipv6Cidr.parse(text);
        }
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("address/prefix is missing (expected: like 10.0.0.1/24 or "
                    + "2001:db8::1/64)");
        }
        return Ipv4Cidr.parse(text);
    }
}
