package io.neighd.cluster;

import io.neighd.wire.IpAddress;
import io.neighd.wire.IpCidr;
import io.neighd.wire.Ipv4Address;
import io.neighd.wire.Ipv6Address;

/**
 * An elected address: answered by exactly one node of the cluster at a time.
 *
 * @param cidr      the address and its prefix, of either family: 10.77.0.100/24, fd77::55/64
 * @param device    the interface to answer on; null to use the interface with an owned address
 *                  in the same subnet (names differ across nodes, subnets do not)
 * @param announce  the announcement policy
 */
public record VipSpec(IpCidr cidr, String device, Announce announce) {
    public VipSpec {
        if (cidr == null) {
            throw new IllegalArgumentException("address is missing: give an address with prefix like 10.77.0.100/24 "
                    + "or fd77::55/64");
        }
        String why = unelectable(cidr.address());
        if (why != null) {
            throw new IllegalArgumentException("address: " + cidr.address() + " cannot be elected (" + why + ")");
        }
        if (device != null && device.isBlank()) {
            device = null;
        }
        if (announce == null) {
            announce = Announce.DEFAULT;
        }
    }

    /**
     * Why an address cannot move between nodes, or null if it can. An IPv6 link-local address is
     * refused too: every interface has its own (fe80::/10 is per link, and Linux picks it per
     * interface as a source), so a cluster-wide lease on one would mean nothing.
     */
    private static String unelectable(IpAddress a) {
        if (a instanceof Ipv4Address v4) {
            return v4.isAny() ? "unspecified" : v4.isMulticast() ? "multicast" : v4.isLoopback() ? "loopback" : null;
        }
        Ipv6Address v6 = (Ipv6Address) a;
        return v6.isAny() ? "unspecified" : v6.isMulticast() ? "multicast" : v6.isLoopback() ? "loopback"
                : v6.isLinkLocal() ? "link-local" : Ipv6Address.isV4Mapped(v6.hi(), v6.lo()) ? "IPv4-mapped" : null;
    }

    /** The address as the stores and the API name it: its canonical text (RFC 5952 for IPv6). */
    public String key() {
        return cidr.address().toString();
    }

    public boolean isIpv6() {
        return cidr.address() instanceof Ipv6Address;
    }
}
