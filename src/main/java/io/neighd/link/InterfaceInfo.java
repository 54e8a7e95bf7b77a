package io.neighd.link;

import io.neighd.wire.MacAddress;

/**
 * ifindex, address, MTU, administrative state (IFF_UP) and carrier of an interface, as read from
 * the system.
 */
public record InterfaceInfo(String name, int ifindex, MacAddress mac, int mtu, boolean up, boolean carrier) {
    /** An interface that is up, with or without carrier. */
    public InterfaceInfo(String name, int ifindex, MacAddress mac, int mtu, boolean carrier) {
        this(name, ifindex, mac, mtu, true, carrier);
    }
}
