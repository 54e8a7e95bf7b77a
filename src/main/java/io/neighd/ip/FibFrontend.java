package io.neighd.ip;

import io.neighd.errno.Errno;
import io.neighd.errno.Result;
import io.neighd.wire.Ipv4Address;
import io.neighd.wire.Ipv4Cidr;

import java.util.ArrayList;
import java.util.List;

/**
 * net/ipv4/fib_frontend.c: the local and main tables, kept in step with addresses and devices
 * (fib_inetaddr_event / fib_netdev_event → fib_add_ifaddr, fib_disable_ip), static routes
 * ({@code ip route add/del}), fib_lookup with the default policy (local, then main),
 * inet_addr_type and fib_validate_source. When an address becomes a broadcast address or a
 * device loses its last address, the neighbour side is told, as fib_add_ifaddr calls
 * arp_invalidate and fib_disable_ip calls arp_ifdown.
 */
public final class FibFrontend {
    /** What the FIB asks of the neighbour table (arp_invalidate, arp_ifdown). */
    public interface NeighbourHooks {
        /** arp_invalidate(dev, addr, false): an address became a broadcast address. */
        void arpInvalidate(NetDevice dev, int addr);

        /** fib_disable_ip() -> arp_ifdown(): the device lost its last address. */
        void lastAddressRemoved(NetDevice dev);
    }

    private final NetDevices devices;
    private final Devinet devinet;
    private final List<Route> localTable = new ArrayList<>();
    private final List<Route> mainTable = new ArrayList<>();
    /** The two tables as lookups scan them, rebuilt with them. */
    private FibTable localFib = FibTable.EMPTY;
    private FibTable mainFib = FibTable.EMPTY;
    private final List<Route> staticRoutes = new ArrayList<>();
    /** Moves on every rebuild: route caches built from older tables are stale. */
    private int generation;
    private NeighbourHooks neighbours = new NeighbourHooks() {
        @Override
        public void arpInvalidate(NetDevice dev, int addr) {
        }

        @Override
        public void lastAddressRemoved(NetDevice dev) {
        }
    };

    public FibFrontend(NetDevices devices, Devinet devinet) {
        this.devices = devices;
        this.devinet = devinet;
        devices.addListener((dev, event) -> {
            switch (event) {
                case UP -> {
                    // fib_netdev_event(NETDEV_UP): fib_add_ifaddr() for every address
                    rebuild();
                    for (InIfAddr ifa : List.copyOf(dev.addresses())) {
                        invalidateBroadcasts(dev, ifa);
                    }
                }
                case DOWN -> rebuild();
                case UNREGISTER -> {
                    staticRoutes.removeIf(r -> r.dev() == dev);
                    rebuild();
                }
                case REGISTER -> {
                }
            }
        });
        devinet.addListener(new Devinet.InetaddrListener() {
            @Override
            public void inetaddrAdded(NetDevice dev, InIfAddr ifa) {
                rebuild();
                invalidateBroadcasts(dev, ifa);
            }

            @Override
            public void inetaddrRemoved(NetDevice dev, InIfAddr ifa) {
                rebuild();
                if (dev.addresses().isEmpty()) {
                    neighbours.lastAddressRemoved(dev);
                }
            }
        });
    }

    public void setNeighbourHooks(NeighbourHooks hooks) {
        this.neighbours = hooks;
    }

    public int generation() {
        return generation;
    }

    /** fib_add_ifaddr()'s arp_invalidate calls: the explicit and the subnet broadcast address. */
    private void invalidateBroadcasts(NetDevice dev, InIfAddr ifa) {
        if (!dev.isUp()) {
            return;
        }
        if (ifa.broadcast() != 0 && ifa.broadcast() != 0xffffffff) {
            neighbours.arpInvalidate(dev, ifa.broadcast());
        }
        if (!Ipv4Address.isZeronet(ifa.prefix()) && !ifa.secondary
                && (ifa.prefix() != ifa.local() || ifa.prefixLength() < 32) && ifa.prefixLength() < 31) {
            // the kernel invalidates both, even when they are the same address
            neighbours.arpInvalidate(dev, ifa.prefix() | ~ifa.mask());
        }
    }

    // ------------------------------------------------------------------ routes

    /**
     * inet_rtm_newroute(): adds a static route.
     *
     * @return the route, or ENODEV (no such device), ENETUNREACH (the gateway is not on a connected
     *         subnet) or EEXIST, each with a message naming the problem
     */
    public Result<Route> addRoute(RouteSpec spec) {
        NetDevice dev = null;
        if (spec.dev() != null) {
            dev = devices.byName(spec.dev());
            if (dev == null) {
                return Result.error(Errno.ENODEV, "invalid route '" + spec.text() + "': no device named '"
                        + spec.dev() + "' (known: " + devices.names() + ")");
            }
        }
        int gw = spec.via() == null ? 0 : spec.via().bits();
        if (gw != 0) {
            Route toGw = mainFib.lookup(gw);
            if (toGw == null || toGw.gateway() != 0 || (dev != null && toGw.dev() != dev)) {
                return Result.error(Errno.ENETUNREACH, "invalid route '" + spec.text() + "': gateway "
                        + spec.via() + " is not on a connected subnet" + (dev != null ? " of " + dev.name() : ""));
            }
            if (dev == null) {
                dev = toGw.dev();
            }
        }
        int scope = spec.scope() != null ? spec.scope()
                : (gw == 0 && spec.type() == RouteType.UNICAST ? Scope.LINK : Scope.UNIVERSE);
        Route r = new Route(spec.dst().address().bits(), spec.dst().prefixLength(), spec.type(), dev, gw,
                spec.src() == null ? 0 : spec.src().bits(), scope, spec.metric(), false);
        for (Route s : staticRoutes) {
            if (s.dst() == r.dst() && s.prefixLength() == r.prefixLength() && s.metric() == r.metric()) {
                return Result.error(Errno.EEXIST, "route '" + spec.text() + "' already exists");
            }
        }
        staticRoutes.add(r);
        rebuild();
        return Result.ok(r);
    }

    /** ip route del PREFIX: removes the static routes for exactly this destination. */
    public List<Route> deleteRoutes(Ipv4Cidr dst) {
        List<Route> removed = new ArrayList<>();
        staticRoutes.removeIf(r -> {
            boolean m = r.dst() == dst.address().bits() && r.prefixLength() == dst.prefixLength();
            if (m) {
                removed.add(r);
            }
            return m;
        });
        if (!removed.isEmpty()) {
            rebuild();
        }
        return removed;
    }

    public List<Route> mainTable() {
        return List.copyOf(mainTable);
    }

        /**
     * Recomputes the kernel routes (fib_add_ifaddr for every address of every device) and adds the
     * static ones: where the kernel adds and deletes single routes as addresses and devices
     * change, neighd rebuilds both tables, which changes a few times a day.
     */
    private void rebuild() {
        localTable.clear();
        mainTable.clear();
        for (NetDevice d : devices.all()) {
            for (InIfAddr ifa : d.addresses()) {
                InIfAddr prim = ifa;
                if (ifa.secondary) {
                    for (InIfAddr p : d.addresses()) {
                        if (!p.secondary && p.mask() == ifa.mask() && p.matches(ifa.local())) {
                            prim = p;
                            break;
                        }
                    }
                }
                addKernelRoute(localTable, ifa.local(), 32, RouteType.LOCAL, d, prim.local(), Scope.HOST);
                if (!d.isUp()) {
                    continue;
                }
                if (ifa.broadcast() != 0 && ifa.broadcast() != 0xffffffff) {
                    addKernelRoute(localTable, ifa.broadcast(), 32, RouteType.BROADCAST, d, prim.local(), Scope.LINK);
                }
                int prefix = ifa.prefix();
                if (!Ipv4Address.isZeronet(prefix) && !ifa.secondary
                        && (prefix != ifa.local() || ifa.prefixLength() < 32)) {
                    if (d.isLoopback()) {
                        addKernelRoute(localTable, prefix, ifa.prefixLength(), RouteType.LOCAL, d, prim.local(), Scope.HOST);
                    } else {
                        addKernelRoute(mainTable, prefix, ifa.prefixLength(), RouteType.UNICAST, d, prim.local(), Scope.LINK);
                    }
                    if (ifa.prefixLength() < 31) {
                        addKernelRoute(localTable, prefix | ~ifa.mask(), 32, RouteType.BROADCAST, d, prim.local(),
                                Scope.LINK);
                    }
                }
            }
        }
        for (Route r : staticRoutes) {
            if (r.dev() == null || r.dev().isUp()) {
                mainTable.add(r);
            }
        }
        localFib = new FibTable(localTable);
        mainFib = new FibTable(mainTable);
        generation++;
    }

    private static void addKernelRoute(List<Route> table, int dst, int plen, RouteType type, NetDevice dev,
                                       int prefsrc, int scope) {
        for (Route r : table) {
            if (r.dst() == dst && r.prefixLength() == plen && r.type() == type) {
                return; // NLM_F_APPEND of an identical route: the first one serves
            }
        }
        table.add(new Route(dst, plen, type, dev, 0, prefsrc, scope, 0, true));
    }

    /** fib_lookup(): local table, then main. */
    public Route fibLookup(int addr) {
        Route r = localFib.lookup(addr);
        return r != null ? r : mainFib.lookup(addr);
    }

    /** inet_addr_type() / inet_addr_type_dev_table(): what {@code addr} is on this host. */
    public RouteType addrType(int addr) {
        if (Ipv4Address.isZeronet(addr) || Ipv4Address.isLbcast(addr)) {
            return RouteType.BROADCAST;
        }
        if (Ipv4Address.isMulticast(addr)) {
            return RouteType.MULTICAST;
        }
        Route r = localFib.lookup(addr);
        return r != null ? r.type() : RouteType.UNICAST;
    }

    /**
     * Route types whose FIB lookup is an error (fib_props[type].error): blackhole, unreachable,
     * prohibit. fib_lookup() fails for them as if there were no route.
     */
    static boolean isErrorRoute(Route r) {
        return r.type() == RouteType.BLACKHOLE || r.type() == RouteType.UNREACHABLE
                || r.type() == RouteType.PROHIBIT;
    }

    /**
     * fib_validate_source() and __fib_validate_source(): is {@code src}, received on {@code dev}
     * for {@code dst} (0 for broadcast input) and leaving through {@code oif} (0: delivered
     * locally), a valid source?
     *
     * <p>With rp_filter 0 (and the output device not the input one: send_redirects, which neighd
     * does not implement, is on by default) only a local source address is refused, unless
     * accept_local. Otherwise the route back to {@code src} decides: none (or an error route) is
     * an rp_filter failure when rp_filter is on; a broadcast or multicast one makes the source
     * invalid; a local one needs accept_local; if it does not leave through {@code dev} (or {@code
     * dev} has no address) strict mode (rp_filter 1) refuses it, any other non-zero value is loose.
     * (Custom local routes and rules, which widen the fast path, do not exist in neighd.)
     *
     * @return null if the source is valid, else why not
     */
    public String validateSource(int src, int dst, int oif, NetDevice dev) {
        int rpf = dev.inDevConf(DevVar.RP_FILTER);
        boolean acceptLocal = dev.inDevConf(DevVar.ACCEPT_LOCAL) != 0;
        if (rpf == 0 && dev.ifindex() != oif) {
            if (acceptLocal) {
                return null;
            }
            // inet_lookup_ifaddr_rcu(): any address of any device
            return devinet.ownerOf(src) != null ? localSource(src) : null;
        }
        Route back = fibLookup(src);
        if (back == null || isErrorRoute(back)) {
            return rpf != 0 ? "rp_filter=" + rpf + ": no route back to " + Ipv4Address.toString(src) : null;
        }
        if (back.type() != RouteType.UNICAST) {
            if (back.type() != RouteType.LOCAL) {
                return Ipv4Address.toString(src) + " is a " + back.type().name().toLowerCase(java.util.Locale.ROOT)
                        + " address";
            }
            if (!acceptLocal) {
                return localSource(src);
            }
        }
        boolean devMatch = back.dev() == dev || (back.type() == RouteType.LOCAL && dev.isLoopback());
        if (devMatch) {
            return null;
        }
        if (dev.addresses().isEmpty()) {
            return rpf != 0 ? "rp_filter=" + rpf + ": " + dev.name() + " has no address and the route back to "
                    + Ipv4Address.toString(src) + " leaves through " + back.dev().name() : null;
        }
        if (rpf == 1) {
            return "rp_filter=1: the route back to " + Ipv4Address.toString(src) + " leaves through "
                    + (back.dev() == null ? "nowhere" : back.dev().name()) + ", not " + dev.name();
        }
        return null;
    }

    private static String localSource(int src) {
        return Ipv4Address.toString(src) + " is a local address and accept_local=0";
    }
}
