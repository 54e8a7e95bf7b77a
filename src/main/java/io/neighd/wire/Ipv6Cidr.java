package io.neighd.wire;

/**
 * An IPv6 address with a prefix length, as {@code ip -6 addr add 2001:db8::1/64} writes it.
 */
public record Ipv6Cidr(Ipv6Address address, int prefixLength) implements IpCidr {

    public Ipv6Cidr {
        if (address == null) {
            throw new IllegalArgumentException("address is missing");
        }
        if (prefixLength < 0 || prefixLength > 128) {
            throw new IllegalArgumentException("prefix length " + prefixLength + " is out of range (expected: 0-128)");
        }
    }

    /** Parses {@code 2001:db8::1/64}; without a slash the prefix length is 128. */
    public static Ipv6Cidr parse(String text) {
        if (text == null) {
            throw new IllegalArgumentException("address/prefix is missing (expected: like 2001:db8::1/64)");
        }
        String s = text.trim();
        int slash = s.indexOf('/');
        if (slash < 0) {
            return new Ipv6Cidr(Ipv6Address.parse(s), 128);
        }
        String len = s.substring(slash + 1);
        if (len.isEmpty() || len.length() > 3 || !len.chars().allMatch(c -> c >= '0' && c <= '9')
                || Integer.parseInt(len) > 128) {
            throw new IllegalArgumentException(
                    "invalid prefix length in '" + text + "' (expected: like 2001:db8::1/64, prefix 0-128)");
        }
        Ipv6Address a;
        try {
            a = Ipv6Address.parse(s.substring(0, slash));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("invalid address in '" + text + "' (expected: like 2001:db8::1/64)");
        }
        return new Ipv6Cidr(a, Integer.parseInt(len));
    }

    public Ipv6Address network() {
        return address.prefix(prefixLength);
    }

    public boolean contains(long hi, long lo) {
        return Ipv6Address.prefixEqual(hi, lo, address.hi(), address.lo(), prefixLength);
    }

    @Override
    public String toString() {
        return address + "/" + prefixLength;
    }
}
