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
    /** The keys of mcList and acList as (hi, lo) pairs, for the receive path's membership checks without allocating. */
    private long[] mcIndex = new long[0];
    private long[] acIndex = new long[0];
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

    /** Rebuilds the flat indexes after mcList or acList gained or lost a key. */
    void reindex() {
        mcIndex = flatten(mcList);
        acIndex = flatten(acList);
    }

    private static long[] flatten(Map<Ipv6Address, Integer> m) {
        long[] a = new long[2 * m.size()];
        int i = 0;
        for (Ipv6Address g : m.keySet()) {
            a[i++] = g.hi();
            a[i++] = g.lo();
        }
        return a;
    }

    private static boolean contains(long[] a, long hi, long lo) {
        for (int i = 0; i < a.length; i += 2) {
            if (a[i + 1] == lo && a[i] == hi) {
                return true;
            }
        }
        return false;
    }

    /** Has the device joined group {@code hi:lo}? */
    boolean joined(long hi, long lo) {
        return contains(mcIndex, hi, lo);
    }

    /** Is {@code hi:lo} one of the device's anycast addresses? */
    boolean anycast(long hi, long lo) {
        return contains(acIndex, hi, lo);
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
