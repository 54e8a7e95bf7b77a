package io.neighd.cluster;

import io.neighd.wire.IpAddress;
import io.neighd.wire.Ipv4Address;
import io.neighd.wire.Ipv6Address;

/**
 * The name of an elected address's record in each store. The key is the address's canonical
 * text ({@link VipSpec#key()}).
 *
 * <ul>
 *   <li>Kubernetes: a Lease name must be a DNS-1123 subdomain (lower-case alphanumerics, '-'
 *       and '.', starting and ending alphanumeric). An IPv4 address keeps issue 11's name, its
 *       dots as dashes ({@code neighd-vip-10-77-0-100}), so existing clusters keep their Leases;
 *       an IPv6 address is its 32 hexadecimal digits ({@code neighd-vip-fd770000000000000000000000000055}):
 *       colons are not allowed, and '::' turned into dashes could end the name with one
 *       ({@code fd77::}). The two never meet: an IPv4 name has three dashes after the prefix,
 *       an IPv6 name none. The Lease also carries the address as text in the annotation
 *       {@code neighd.io/address}.</li>
 *   <li>etcd: keys are bytes, so the canonical text itself ({@code /neighd/vips/fd77::55}).</li>
 * </ul>
 */
public final class LeaseNames {
    private LeaseNames() {
    }

    public static String kubernetes(String prefix, String key) {
        IpAddress a = IpAddress.parse(key);
        if (a instanceof Ipv6Address v6) {
            return prefix + String.format("%016x%016x", v6.hi(), v6.lo());
        }
        return prefix + a.toString().replace('.', '-');
    }

    /** The key a Lease name stands for; the inverse of {@link #kubernetes}. */
    public static String key(String prefix, String name) {
        if (!name.startsWith(prefix)) {
            throw new IllegalArgumentException(name + " does not start with " + prefix);
        }
        String rest = name.substring(prefix.length());
        if (rest.indexOf('-') >= 0) {
            return Ipv4Address.parse(rest.replace('-', '.')).toString();
        }
        if (rest.length() != 32 || !rest.chars().allMatch(c -> c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
            throw new IllegalArgumentException(name + " names no address: expected 32 hexadecimal digits");
        }
        return new Ipv6Address(Long.parseUnsignedLong(rest.substring(0, 16), 16),
                Long.parseUnsignedLong(rest.substring(16), 16)).toString();
    }

    public static String etcd(String prefix, String key) {
        return prefix + key;
    }
}
