package io.neighd.ipv6;

import io.neighd.ip.NetDevice;
import io.neighd.neighbour.NeighParms;
import io.neighd.wire.Ipv6Address;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * struct inet6_dev: a device's IPv6 side, attached by addrconf on NETDEV_REGISTER (ipv6_add_dev):
 * its knobs, addresses, the multicast groups it has joined and the anycast addresses it answers
 * for, each with a use count (ipv6_dev_mc_inc / __ipv6_dev_ac_inc), its nd_tbl parms, and
 * IF_READY (the link is up with carrier, so DAD may run).
 */
public final class Inet6Dev {
    final NetDevice dev;
    final Ipv6DevConf cnf;
    final NeighParms ndParms;
    /** idev->addr_list */
    final List<Inet6Ifaddr> addrList = new ArrayList<>();
    final Map<Ipv6Address, Integer> mcList = new LinkedHashMap<>();
    final Map<Ipv6Address, Integer> acList = new LinkedHashMap<>();
    /** IF_READY */
    boolean ready;
    boolean dead;

    Inet6Dev(NetDevice dev, Ipv6DevConf cnf, NeighParms ndParms) {
        this.dev = dev;
        this.cnf = cnf;
        this.ndParms = ndParms;
    }

    public NetDevice dev() {
        return dev;
    }

    public Ipv6DevConf cnf() {
        return cnf;
    }

    /** idev->nd_parms */
    public NeighParms ndParms() {
        return ndParms;
    }

    public List<Inet6Ifaddr> addresses() {
        return Collections.unmodifiableList(addrList);
    }

    /** The groups joined, in the order first joined. */
    public List<Ipv6Address> groups() {
        return List.copyOf(mcList.keySet());
    }

    public boolean isReady() {
        return ready;
    }
}
