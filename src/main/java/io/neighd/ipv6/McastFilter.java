package io.neighd.ipv6;

import io.neighd.ip.DeviceId;
import io.neighd.wire.Ipv6Address;

/**
 * The device's multicast filter as igmp6_group_added / igmp6_group_dropped program it
 * (dev_mc_add, and an MLD report for snooping switches): told when the first user joins a group
 * on a device and when the last one leaves it. neighd's live links join the group on the real
 * interface through an IPv6 socket, so the NIC and the switches deliver what it must hear.
 * Called on the engine thread; implementations must be quick.
 */
public interface McastFilter {
    McastFilter NONE = new McastFilter() {
        @Override
        public void join(DeviceId dev, Ipv6Address group) {
        }

        @Override
        public void leave(DeviceId dev, Ipv6Address group) {
        }
    };

    void join(DeviceId dev, Ipv6Address group);

    void leave(DeviceId dev, Ipv6Address group);
}
