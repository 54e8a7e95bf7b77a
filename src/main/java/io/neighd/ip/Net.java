package io.neighd.ip;

import io.neighd.wire.Ipv4Address;
import io.neighd.wire.Ipv4Cidr;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * The IPv4 side of a network namespace, as much of it as arp_process and the output path need:
 * devices with their in_device, {@code net.ipv4.conf.all/default}, and a FIB of two tables
 * (local: the kernel's routes for owned and broadcast addresses; main: connected and static
 * routes), looked up local first as the default policy rules do.
 *
 * <p>Address helpers mirror net/ipv4/devinet.c (inet_select_addr, inet_confirm_addr,
 * inet_addr_onlink) and fib_frontend.c (inet_addr_type, fib_validate_source); routing mirrors
 * the parts of ip_route_input_slow and ip_route_output_key_hash that ARP exercises.
 */
public final class Net {
    /** Receives what address changes mean for the neighbour table (arp_invalidate, arp_ifdown). */
    public interface Listener {
        /** arp_invalidate(dev, addr, false): an address became a broadcast address. */
        void arpInvalidate(NetDevice dev, int addr);

        /** fib_disable_ip() -> arp_ifdown(): the device lost its last address. */
        void lastAddressRemoved(NetDevice dev);
    }

    /** The result of an input route lookup: {@code ok} false means the lookup failed (martian or error). */
    public record InputRoute(boolean ok, RouteType type, NetDevice dev, String why) {
        static InputRoute fail(String why) {
            return new InputRoute(false, null, null, why);
        }
    }

    private final DevConf all = DevConf.defaults();
    private final DevConf dflt = DevConf.defaults();
    private final List<NetDevice> devices = new ArrayList<>();
    private final List<Route> localTable = new ArrayList<>();
    private final List<Route> mainTable = new ArrayList<>();
    /** The two tables as lookups scan them, rebuilt with them. */
    private FlatTable localFib = FlatTable.EMPTY;
    private FlatTable mainFib = FlatTable.EMPTY;
    private final List<Route> staticRoutes = new ArrayList<>();
    /**
     * Successful input routes by output device and type, made once and shared as the kernel
     * caches input routes on the nexthop (nhc_rth_input): ARP input then allocates nothing.
     */
    private final Map<NetDevice, InputRoute[]> inputRoutes = new IdentityHashMap<>();
    /** Each device's forwarding-off answer, built once: every gratuitous ARP takes this branch. */
    private final Map<NetDevice, InputRoute> noForwarding = new IdentityHashMap<>();
    private Listener listener = new Listener() {
        @Override
        public void arpInvalidate(NetDevice dev, int addr) {
        }

        @Override
        public void lastAddressRemoved(NetDevice dev) {
        }
    };

    public void setListener(Listener listener) {
        this.listener = listener;
    }

    public DevConf all() {
        return all;
    }

    public DevConf defaults() {
        return dflt;
    }

    /** for_each_netdev order: by ifindex, so the loopback device (1) comes first. */
    public List<NetDevice> devices() {
        return Collections.unmodifiableList(devices);
    }

    public NetDevice device(String name) {
        for (NetDevice d : devices) {
            if (d.name().equals(name)) {
                return d;
            }
        }
        return null;
    }

    public NetDevice device(int ifindex) {
        for (NetDevice d : devices) {
            if (d.ifindex() == ifindex) {
                return d;
            }
        }
        return null;
    }

    /** Registers a device whose devconf starts as a copy of {@code default}. */
    public NetDevice register(String name, int ifindex, long mac, int mtu, boolean loopback, int vlan) {
        if (device(name) != null) {
            throw new IllegalArgumentException("device " + name + " already exists");
        }
        if (device(ifindex) != null) {
            throw new IllegalArgumentException("ifindex " + ifindex + " is already used by " + device(ifindex).name());
        }
        NetDevice d = new NetDevice(name, ifindex, mac, mtu, loopback, vlan, dflt.copyFor(all));
        devices.add(d);
        devices.sort(Comparator.comparingInt(NetDevice::ifindex));
        return d;
    }

    public void unregister(NetDevice d) {
        devices.remove(d);
        d.conf().detach();
        noForwarding.remove(d);
        inputRoutes.remove(d);
        staticRoutes.removeIf(r -> r.dev() == d);
        rebuildFib();
    }

    // ------------------------------------------------------------------ devconf

    /** IN_DEV_*: the effective value of a knob on a device, {@code all} combined per the knob's rule. */
    public int conf(NetDevice dev, DevVar v) {
        return dev.conf().effective(v);
    }

    /**
     * Writes net.ipv4.conf.default.KEY: devices that never set KEY follow (devinet_conf_proc →
     * devinet_copy_dflt_conf), except for forwarding (devinet_sysctl_forward) and route_localnet
     * (a DEVINET_SYSCTL_FLUSHING_ENTRY, ipv4_doint_and_flush), whose handlers copy nothing: for
     * those the default only seeds devices registered later.
     */
    public void setDefault(DevVar v, int value) {
        dflt.set(v, value);
        if (v == DevVar.FORWARDING || v == DevVar.ROUTE_LOCALNET) {
            return;
        }
        for (NetDevice d : devices) {
            d.conf().copyDefault(v, value);
        }
    }

    /** Writes net.ipv4.conf.all.KEY; for forwarding, also default and every device (inet_forward_change). */
    public void setAll(DevVar v, int value) {
        all.set(v, value);
        if (v == DevVar.FORWARDING) {
            dflt.set(v, value);
            for (NetDevice d : devices) {
                d.conf().set(v, value);
            }
        }
    }

    // ------------------------------------------------------------------ device state

    public void setUp(NetDevice dev, boolean up) {
        dev.setUp(up);
        rebuildFib();
    }

    public void setCarrier(NetDevice dev, boolean carrier) {
        dev.setCarrier(carrier);
    }

    public void setNoarp(NetDevice dev, boolean noarp) {
        dev.setNoarp(noarp);
    }

    public void setHwAddr(NetDevice dev, long mac) {
        dev.setHwAddr(mac);
    }

    // ------------------------------------------------------------------ addresses

    /**
     * __inet_insert_ifa() then fib_add_ifaddr(): orders primaries by scope, marks a second address
     * of an existing subnet secondary, adds the local / broadcast / connected routes, and
     * invalidates unresolved neighbour entries for addresses that became broadcast.
     */
    public InIfAddr addAddress(NetDevice dev, Ipv4Cidr cidr) {
        return addAddress(dev, InIfAddr.of(cidr));
    }

    public InIfAddr addAddress(NetDevice dev, InIfAddr ifa) {
        Ipv4Cidr cidr = ifa.cidr();
        List<InIfAddr> list = dev.mutableAddresses();
        int lastPrimary = 0;
        for (int i = 0; i < list.size(); i++) {
            InIfAddr o = list.get(i);
            if (!o.secondary && ifa.scope() <= o.scope()) {
                lastPrimary = i + 1;
            }
            if (o.mask() == ifa.mask() && ifa.matches(o.local())) {
                if (o.local() == ifa.local()) {
                    throw new IllegalStateException("address " + cidr + " already exists on " + dev.name());
                }
                ifa.secondary = true;
            }
        }
        if (ifa.secondary) {
            list.add(ifa);
        } else {
            list.add(lastPrimary, ifa);
        }
        rebuildFib();
        if (dev.isUp()) {
            if (ifa.broadcast() != 0 && ifa.broadcast() != 0xffffffff) {
                listener.arpInvalidate(dev, ifa.broadcast());
            }
            if (!Ipv4Address.isZeronet(ifa.prefix()) && !ifa.secondary
                    && (ifa.prefix() != ifa.local() || ifa.prefixLength() < 32) && ifa.prefixLength() < 31) {
                // the kernel invalidates both, even when they are the same address
                listener.arpInvalidate(dev, ifa.prefix() | ~ifa.mask());
            }
        }
        return ifa;
    }

    /**
     * inet_del_ifa(): removes the address, and with it the secondaries of a deleted primary
     * (promote_secondaries is 0); the device's neighbours are flushed when its last address goes.
     *
     * @return false if the device has no such address
     */
    public boolean deleteAddress(NetDevice dev, int local) {
        List<InIfAddr> list = dev.mutableAddresses();
        InIfAddr victim = null;
        for (InIfAddr a : list) {
            if (a.local() == local) {
                victim = a;
                break;
            }
        }
        if (victim == null) {
            return false;
        }
        list.remove(victim);
        if (!victim.secondary) {
            InIfAddr primary = victim;
            list.removeIf(a -> a.secondary && a.mask() == primary.mask() && primary.matches(a.local()));
        }
        rebuildFib();
        if (list.isEmpty()) {
            listener.lastAddressRemoved(dev);
        }
        return true;
    }

    /** The device that owns {@code addr}, or null (inet_lookup_ifaddr). */
    public NetDevice ownerOf(int addr) {
        // indexed loops: this runs for every ARP request (fib_validate_source), iterators showed in profiles
        for (int i = 0; i < devices.size(); i++) {
            NetDevice d = devices.get(i);
            List<InIfAddr> addrs = d.addresses();
            for (int j = 0; j < addrs.size(); j++) {
                if (addrs.get(j).local() == addr) {
                    return d;
                }
            }
        }
        return null;
    }

    // ------------------------------------------------------------------ routes

    /** Adds a static route; throws with a message naming the problem. */
    public Route addRoute(RouteSpec spec) {
        NetDevice dev = null;
        if (spec.dev() != null) {
            dev = device(spec.dev());
            if (dev == null) {
                throw new IllegalArgumentException("invalid route '" + spec.text() + "': no device named '"
                        + spec.dev() + "' (known: " + deviceNames() + ")");
            }
        }
        int gw = spec.via() == null ? 0 : spec.via().bits();
        if (gw != 0) {
            Route toGw = mainFib.lookup(gw);
            if (toGw == null || toGw.gateway() != 0 || (dev != null && toGw.dev() != dev)) {
                throw new IllegalArgumentException("invalid route '" + spec.text() + "': gateway "
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
                throw new IllegalStateException("route '" + spec.text() + "' already exists");
            }
        }
        staticRoutes.add(r);
        rebuildFib();
        return r;
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
            rebuildFib();
        }
        return removed;
    }

    public List<Route> staticRoutes() {
        return List.copyOf(staticRoutes);
    }

    public List<Route> localTable() {
        return List.copyOf(localTable);
    }

    public List<Route> mainTable() {
        return List.copyOf(mainTable);
    }

    private String deviceNames() {
        return String.join(", ", devices.stream().map(NetDevice::name).toList());
    }

    /** Recomputes the kernel routes (fib_add_ifaddr for every address) and adds the static ones. */
    private void rebuildFib() {
        localTable.clear();
        mainTable.clear();
        for (NetDevice d : devices) {
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
        localFib = new FlatTable(localTable);
        mainFib = new FlatTable(mainTable);
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

    /**
     * One table as lookups scan it: /32 routes (all of the local table's, but for loopback's /8)
     * in an open-addressing index, since a /32 match is the longest there can be; the rest with
     * destination, mask, prefix length and metric in parallel arrays, so the scan touches no Route
     * until one matches. An ARP frame costs two or three lookups.
     */
    private static final class FlatTable {
        static final FlatTable EMPTY = new FlatTable(List.of());

        private final int[] hostKeys;
        private final Route[] hostRoutes;
        private final int hostMask;
        private final Route[] routes;
        private final int[] dst;
        private final int[] mask;
        private final int[] plen;
        private final int[] metric;

        FlatTable(List<Route> table) {
            List<Route> hosts = new ArrayList<>();
            List<Route> rest = new ArrayList<>();
            for (Route r : table) {
                // the first /32 for an address wins, as the scan's "first added" rule would have it,
                // unless a later one has a lower metric
                if (r.prefixLength() == 32) {
                    int i = indexOf(hosts, r.dst());
                    if (i < 0) {
                        hosts.add(r);
                    } else if (r.metric() < hosts.get(i).metric()) {
                        hosts.set(i, r);
                    }
                } else {
                    rest.add(r);
                }
            }
            int size = Integer.highestOneBit(Math.max(4, hosts.size() * 4 - 1)) << 1;
            hostKeys = new int[size];
            hostRoutes = new Route[size];
            hostMask = size - 1;
            for (Route r : hosts) {
                int slot = slot(r.dst());
                while (hostRoutes[slot] != null) {
                    slot = (slot + 1) & hostMask;
                }
                hostKeys[slot] = r.dst();
                hostRoutes[slot] = r;
            }
            routes = rest.toArray(new Route[0]);
            dst = new int[routes.length];
            mask = new int[routes.length];
            plen = new int[routes.length];
            metric = new int[routes.length];
            for (int i = 0; i < routes.length; i++) {
                dst[i] = routes[i].dst();
                mask[i] = routes[i].mask();
                plen[i] = routes[i].prefixLength();
                metric[i] = routes[i].metric();
            }
        }

        private static int indexOf(List<Route> hosts, int addr) {
            for (int i = 0; i < hosts.size(); i++) {
                if (hosts.get(i).dst() == addr) {
                    return i;
                }
            }
            return -1;
        }

        private int slot(int addr) {
            int h = addr * 0x9E3779B1;
            return (h ^ (h >>> 16)) & hostMask;
        }

        /** Longest prefix, then lowest metric, then first added. */
        Route lookup(int addr) {
            for (int slot = slot(addr); hostRoutes[slot] != null; slot = (slot + 1) & hostMask) {
                if (hostKeys[slot] == addr) {
                    return hostRoutes[slot];
                }
            }
            int best = -1;
            for (int i = 0; i < dst.length; i++) {
                if (((addr ^ dst[i]) & mask[i]) == 0 && (best < 0 || plen[i] > plen[best]
                        || (plen[i] == plen[best] && metric[i] < metric[best]))) {
                    best = i;
                }
            }
            return best < 0 ? null : routes[best];
        }
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

    // ------------------------------------------------------------------ address selection

    /** inet_select_addr(): a source address on {@code dev} for talking to {@code dst} within {@code scope}. */
    public int selectAddr(NetDevice dev, int dst, int scope) {
        int addr = 0;
        int localnetScope = conf(dev, DevVar.ROUTE_LOCALNET) != 0 ? Scope.LINK : Scope.HOST;
        for (InIfAddr ifa : dev.addresses()) {
            if (ifa.secondary) {
                continue;
            }
            if (Math.min(ifa.scope(), localnetScope) > scope) {
                continue;
            }
            if (dst == 0 || ifa.matches(dst)) {
                return ifa.local();
            }
            if (addr == 0) {
                addr = ifa.local();
            }
        }
        if (addr != 0) {
            return addr;
        }
        for (NetDevice d : devices) {
            for (InIfAddr ifa : d.addresses()) {
                if (!ifa.secondary && ifa.scope() != Scope.LINK && ifa.scope() <= scope) {
                    return ifa.local();
                }
            }
        }
        return 0;
    }

    /**
     * inet_confirm_addr(): with a device, confirm_addr_indev on it; without one, the first device
     * that confirms. Returns the confirmed local address or 0.
     */
    public int confirmAddr(NetDevice inDev, int dst, int local, int scope) {
        if (inDev != null) {
            return confirmAddrIndev(inDev, dst, local, scope);
        }
        for (NetDevice d : devices) {
            int a = confirmAddrIndev(d, dst, local, scope);
            if (a != 0) {
                return a;
            }
        }
        return 0;
    }

    /** confirm_addr_indev(), line for line. */
    private int confirmAddrIndev(NetDevice dev, int dst, int local, int scope) {
        int localnetScope = conf(dev, DevVar.ROUTE_LOCALNET) != 0 ? Scope.LINK : Scope.HOST;
        int addr = 0;
        boolean same = false;
        for (InIfAddr ifa : dev.addresses()) {
            int minScope = Math.min(ifa.scope(), localnetScope);
            if (addr == 0 && (local == ifa.local() || local == 0) && minScope <= scope) {
                addr = ifa.local();
                if (same) {
                    break;
                }
            }
            if (!same) {
                same = (local == 0 || ifa.matches(local)) && (dst == 0 || ifa.matches(dst));
                if (same && addr != 0) {
                    if (local != 0 || dst == 0) {
                        break;
                    }
                    if (ifa.matches(addr)) {
                        break;
                    }
                    if (minScope <= scope) {
                        addr = ifa.local();
                        break;
                    }
                    same = false;
                }
            }
        }
        return same ? addr : 0;
    }

    /** inet_addr_onlink(): is {@code a} (and {@code b}, unless 0) on one of the device's subnets? */
    public boolean addrOnlink(NetDevice dev, int a, int b) {
        for (InIfAddr ifa : dev.addresses()) {
            if (ifa.matches(a) && (b == 0 || ifa.matches(b))) {
                return true;
            }
        }
        return false;
    }

    // ------------------------------------------------------------------ routing

    /**
     * ip_route_input_noref() for an ARP packet (arp_process passes tip as destination and sip as
     * source): the martian checks, the local table, fib_validate_source, and for forwarding the
     * proxy-ARP rule that a route back out of the receiving device is invalid unless proxy_arp_pvlan.
     */
    public InputRoute routeInputArp(int tip, int sip, NetDevice dev) {
        if (Ipv4Address.isMulticast(sip) || Ipv4Address.isLbcast(sip)) {
            return InputRoute.fail("martian source " + Ipv4Address.toString(sip));
        }
        if (Ipv4Address.isLbcast(tip) || (sip == 0 && tip == 0)) {
            return inputRoute(RouteType.BROADCAST, null);
        }
        if (Ipv4Address.isZeronet(sip)) {
            return InputRoute.fail("martian source " + Ipv4Address.toString(sip));
        }
        if (Ipv4Address.isZeronet(tip)) {
            return InputRoute.fail("martian destination " + Ipv4Address.toString(tip));
        }
        boolean localnet = conf(dev, DevVar.ROUTE_LOCALNET) != 0;
        if (Ipv4Address.isLoopback(tip) && !localnet) {
            return InputRoute.fail("martian destination " + Ipv4Address.toString(tip) + " (route_localnet=0)");
        }
        if (Ipv4Address.isLoopback(sip) && !localnet) {
            return InputRoute.fail("martian source " + Ipv4Address.toString(sip) + " (route_localnet=0)");
        }
        Route r = fibLookup(tip);
        if (r == null) {
            return new InputRoute(true, RouteType.UNREACHABLE, null, "no route to " + Ipv4Address.toString(tip));
        }
        if (r.type() == RouteType.BROADCAST) {
            return inputRoute(RouteType.BROADCAST, r.dev());
        }
        if (r.type() == RouteType.LOCAL) {
            String bad = validateSource(sip, dev);
            if (bad != null) {
                return InputRoute.fail(bad);
            }
            return inputRoute(RouteType.LOCAL, r.dev());
        }
        if (conf(dev, DevVar.FORWARDING) == 0) {
            return noForwarding.computeIfAbsent(dev,
                    d -> new InputRoute(true, RouteType.UNREACHABLE, null, "forwarding is off on " + d.name()));
        }
        if (r.type() != RouteType.UNICAST) {
            return InputRoute.fail("martian destination " + Ipv4Address.toString(tip) + " (" + r.type() + " route)");
        }
        String bad = validateSource(sip, dev);
        if (bad != null) {
            return InputRoute.fail(bad);
        }
        if (r.dev() == dev && dev.conf().get(DevVar.PROXY_ARP_PVLAN) == 0) {
            return InputRoute.fail("route to " + Ipv4Address.toString(tip) + " leaves through " + dev.name()
                    + " itself (proxy_arp_pvlan=0)");
        }
        return inputRoute(RouteType.UNICAST, r.dev());
    }

    private InputRoute inputRoute(RouteType type, NetDevice out) {
        InputRoute[] byType = inputRoutes.computeIfAbsent(out, d -> new InputRoute[RouteType.values().length]);
        InputRoute rt = byType[type.ordinal()];
        if (rt == null) {
            rt = new InputRoute(true, type, out, null);
            byType[type.ordinal()] = rt;
        }
        return rt;
    }

    /**
     * fib_validate_source(): a local source address is martian unless accept_local; with
     * rp_filter the route back to the source must exist (loose) or leave through {@code dev} (strict).
     */
    private String validateSource(int sip, NetDevice dev) {
        int rp = conf(dev, DevVar.RP_FILTER);
        if (rp == 0) {
            if (conf(dev, DevVar.ACCEPT_LOCAL) != 0) {
                return null;
            }
            return ownerOf(sip) != null ? "source " + Ipv4Address.toString(sip) + " is a local address" : null;
        }
        Route back = fibLookup(sip);
        if (back == null) {
            return "rp_filter: no route back to " + Ipv4Address.toString(sip);
        }
        if (back.type() == RouteType.LOCAL && conf(dev, DevVar.ACCEPT_LOCAL) == 0) {
            return "source " + Ipv4Address.toString(sip) + " is a local address";
        }
        if (back.type() != RouteType.UNICAST && back.type() != RouteType.LOCAL) {
            return "rp_filter: route back to " + Ipv4Address.toString(sip) + " is " + back.type();
        }
        if (rp == 1 && back.dev() != dev) {
            return "rp_filter: route back to " + Ipv4Address.toString(sip) + " leaves through "
                    + (back.dev() == null ? "nowhere" : back.dev().name());
        }
        return null;
    }

    /**
     * ip_route_output(): the route a locally generated packet to {@code daddr} takes. LOCAL
     * destinations come back with the owning device; null when there is no route.
     */
    public Route routeOutput(int daddr) {
        Route r = fibLookup(daddr);
        if (r == null || r.type() == RouteType.BLACKHOLE || r.type() == RouteType.UNREACHABLE
                || r.type() == RouteType.PROHIBIT) {
            return null;
        }
        return r;
    }

    /** The source address a packet on {@code route} gets (fib_result_prefsrc / inet_select_addr). */
    public int sourceFor(Route route, int daddr) {
        if (route.prefsrc() != 0) {
            return route.prefsrc();
        }
        int nh = route.gateway() != 0 ? route.gateway() : daddr;
        return route.dev() == null ? 0 : selectAddr(route.dev(), nh, route.scope());
    }
}
