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
}
