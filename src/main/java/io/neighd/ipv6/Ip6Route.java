package io.neighd.ipv6;

import io.neighd.ip.NetDevice;
import io.neighd.ip.NetDevices;
import io.neighd.time.TimerWheel;
import io.neighd.wire.Ipv6Address;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * The IPv6 routes neighd keeps, as far as its own packets and ndisc need them (net/ipv6/route.c):
 * local addresses, the prefix routes addrconf adds with each address (addrconf_prefix_route), the
 * link-local and multicast routes of each device, and the default routers router advertisements
 * install (rt6_add_dflt_router / rt6_get_dflt_router, with their lifetime). There are no static
 * IPv6 routes.
 */
public final class Ip6Route {
    /** Where a packet goes: out {@code dev} to {@code nexthop}, or to ourselves. */
    public record Route(NetDevice dev, Ipv6Address nexthop, boolean local) {
    }

    /** A default route learned from a router advertisement. */
    public record DefaultRouter(NetDevice dev, Ipv6Address gateway, long expires) {
    }

    private final NetDevices devices;
    private final Addrconf addrconf;
    private final TimerWheel wheel;
    private final List<DefaultRouter> defaultRouters = new ArrayList<>();

    public Ip6Route(NetDevices devices, Addrconf addrconf, TimerWheel wheel) {
        this.devices = devices;
        this.addrconf = addrconf;
        this.wheel = wheel;
    }

    /**
     * ip6_route_output(): to a local address (delivered to ourselves); a link-local or multicast
     * destination out of {@code oif} (which such a destination needs); then a device with an
     * address on the destination's prefix; then a live default router. Null: no route.
     */
    public Route output(long dstHi, long dstLo, NetDevice oif) {
        if (addrconf.chkAddr(dstHi, dstLo, oif)) {
            return new Route(oif, new Ipv6Address(dstHi, dstLo), true);
        }
        if (Ipv6Address.isLinkLocal(dstHi) || Ipv6Address.isMulticast(dstHi)) {
            return oif == null || Addrconf.idev(oif) == null ? null
                    : new Route(oif, new Ipv6Address(dstHi, dstLo), false);
        }
        for (NetDevice d : devices.all()) {
            if ((oif == null || d == oif) && d.isUp() && !d.isLoopback() && addrconf.chkPrefix(dstHi, dstLo, d)) {
                return new Route(d, new Ipv6Address(dstHi, dstLo), false);
            }
        }
        DefaultRouter r = defaultRouter(oif);
        return r == null ? null : new Route(r.dev(), r.gateway(), false);
    }

    private DefaultRouter defaultRouter(NetDevice oif) {
        expire();
        for (DefaultRouter r : defaultRouters) {
            if ((oif == null || r.dev() == oif) && r.dev().isUp()) {
                return r;
            }
        }
        return null;
    }

    /** rt6_get_dflt_router(): the default route through {@code gw} on {@code dev}, if it has not expired. */
    public DefaultRouter getDefaultRouter(Ipv6Address gw, NetDevice dev) {
        expire();
        for (DefaultRouter r : defaultRouters) {
            if (r.dev() == dev && r.gateway().equals(gw)) {
                return r;
            }
        }
        return null;
    }

    /** rt6_add_dflt_router() / fib6_set_expires(): (re)installs it for {@code lifetimeJiffies}. */
    public void setDefaultRouter(Ipv6Address gw, NetDevice dev, long lifetimeJiffies) {
        deleteDefaultRouter(gw, dev);
        defaultRouters.add(new DefaultRouter(dev, gw, wheel.now() + lifetimeJiffies));
    }

    /** ip6_del_rt() of a default route (a router lifetime of 0). */
    public void deleteDefaultRouter(Ipv6Address gw, NetDevice dev) {
        defaultRouters.removeIf(r -> r.dev() == dev && r.gateway().equals(gw));
    }

    /** rt6_disable_ip() on NETDEV_DOWN / UNREGISTER: the device's learned routes go. */
    public void deviceDown(NetDevice dev) {
        defaultRouters.removeIf(r -> r.dev() == dev);
    }

    public List<DefaultRouter> defaultRouters() {
        expire();
        return List.copyOf(defaultRouters);
    }

    private void expire() {
        long now = wheel.now();
        for (Iterator<DefaultRouter> it = defaultRouters.iterator(); it.hasNext(); ) {
            if (it.next().expires() <= now) {
                it.remove();
            }
        }
    }
}
