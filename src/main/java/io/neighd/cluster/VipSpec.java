package io.neighd.cluster;

import io.neighd.wire.Ipv4Cidr;

/**
 * An elected address: answered by exactly one node of the cluster at a time.
 *
 * @param cidr      the address and its prefix, e.g. 10.77.0.100/24
 * @param device    the interface to answer on; null to use the interface with an owned address
 *                  in the same subnet (names differ across nodes, subnets do not)
 * @param announce  the announcement policy
 */
public record VipSpec(Ipv4Cidr cidr, String device, Announce announce) {
    public VipSpec {
        if (cidr == null) {
            throw new IllegalArgumentException("address is missing: give an address with prefix like 10.77.0.100/24");
        }
        if (cidr.address().isAny() || cidr.address().isMulticast() || cidr.address().isLoopback()) {
            throw new IllegalArgumentException("address: " + cidr.address() + " cannot be elected");
        }
        if (device != null && device.isBlank()) {
            device = null;
        }
        if (announce == null) {
            announce = Announce.DEFAULT;
        }
    }

    /** The address as the stores and the API name it. */
    public String key() {
        return cidr.address().toString();
    }
}
