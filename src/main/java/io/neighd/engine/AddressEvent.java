package io.neighd.engine;

import io.neighd.ip.DeviceId;
import io.neighd.wire.Ipv6Cidr;
import io.neighd.wire.MacAddress;

import java.util.List;

/**
 * RTM_NEWADDR / RTM_DELADDR of an IPv6 address, as {@code ip monitor address} shows them, and
 * the moment duplicate address detection fails: the flags as {@code ip -6 addr} prints them
 * (tentative, dadfailed, nodad, ...); {@code duplicateOf} the MAC that claimed the address.
 */
public record AddressEvent(long seq, Type type, DeviceId dev, Ipv6Cidr cidr, String scope, List<String> flags,
                           MacAddress duplicateOf) {
    public enum Type { NEWADDR, DELADDR, DADFAILED }

    public AddressEvent {
        flags = List.copyOf(flags);
    }
}
