package io.neighd.wire;

/**
 * An address with a prefix length, as {@code ip addr add 10.77.0.1/24} and {@code ip route add
 * 10.88.0.0/24} write it. For a route destination the host bits may be set only where the caller
 * allows it; {@link #network()} masks them off.
 */
public record Ipv4Cidr(Ipv4Address address, int prefixLength) implements IpCidr {

    public Ipv4Cidr {
        if (address == null) {
            throw new IllegalArgumentException("address is missing");
        }
        if (prefixLength < 0 || prefixLength > 32) {
            throw new IllegalArgumentException("prefix length " + prefixLength + " is out of range (expected: 0-32)");
        }
    }

    /** Parses {@code 10.0.0.1/24}; without a slash the prefix length is 32. */
    public static Ipv4Cidr parse(String text) {
        if (text == null) {
            throw new IllegalArgumentException("address/prefix is missing (expected: like 10.0.0.1/24)");
        }
        String s = text.trim();
        int slash = s.indexOf('/');
        if (slash < 0) {
            return new Ipv4Cidr(Ipv4Address.parse(s), 32);
        }
        String len = s.substring(slash + 1);
        if (len.isEmpty() || len.length() > 2 || !len.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new IllegalArgumentException(
                    "invalid prefix length in '" + text + "' (expected: like 10.0.0.1/24, prefix 0-32)");
        }
        int plen = Integer.parseInt(len);
        if (plen > 32) {
            throw new IllegalArgumentException(
                    "invalid prefix length in '" + text + "' (expected: like 10.0.0.1/24, prefix 0-32)");
        }
        Ipv4Address a;
        try {
            a = Ipv4Address.parse(s.substring(0, slash));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "invalid address in '" + text + "' (expected: like 10.0.0.1/24)");
        }
        return new Ipv4Cidr(a, plen);
    }

    public int mask() {
        return Ipv4Address.mask(prefixLength);
    }

    public Ipv4Address network() {
        return new Ipv4Address(address.bits() & mask());
    }

    public boolean contains(int addr) {
        return ((addr ^ address.bits()) & mask()) == 0;
    }

    @Override
    public String toString() {
        return address + "/" + prefixLength;
    }
}
