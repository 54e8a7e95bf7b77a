package io.neighd.link;

import io.neighd.wire.MacAddress;

/** ifindex, address, MTU and carrier of an interface, as read from the system. */
public record InterfaceInfo(String name, int ifindex, MacAddress mac, int mtu, boolean carrier) {
}
