package io.neighd.ip;

import io.neighd.wire.Ipv4Address;

import java.util.IdentityHashMap;
import java.util.Map;

/**
 * net/ipv4/route.c as far as neighd's packets need it: ip_route_input_noref() — one path for an
 * ARP packet (arp_process passes tip as destination and sip as source; skb->protocol is ETH_P_ARP)
 * and for an IPv4 one (ICMP echo) — and ip_route_output_key() with the source address it picks.
 */
public final class IpRoute {
    /** Why an input lookup failed: the martians ip_handle_martian_source()/in_martian_dst count, or a plain refusal. */
    public enum Failure { NONE, MARTIAN_SOURCE, MARTIAN_DESTINATION, REFUSED }

    /**
     * The result of an input route lookup: {@code ok} false means it failed ({@code failure} says how,
     * {@code why} in words); an ok lookup of type UNREACHABLE is the kernel's no_route, which
     * delivers nothing but is not an error to its caller.
     */
    public record InputRoute(boolean ok, RouteType type, NetDevice dev, String why, Failure failure) {
        static InputRoute martianSource(String why) {
            return new InputRoute(false, null, null, "martian source: " + why, Failure.MARTIAN_SOURCE);
        }

        static InputRoute martianDestination(String why) {
            return new InputRoute(false, null, null, "martian destination: " + why, Failure.MARTIAN_DESTINATION);
        }

        static InputRoute refused(String why) {
            return new InputRoute(false, null, null, why, Failure.REFUSED);
        }
    }

    /**
     * 224.0.0.1, the group every IPv4 device joins when it comes up (ip_mc_up): the one multicast
     * destination ip_check_mc_rcu() finds on neighd's devices, which join nothing else.
     */
    static final int ALL_HOSTS = 0xE0000001;

    private final Devinet devinet;
    private final FibFrontend fib;
    /**
     * Successful input routes by output device and type, made once and shared as the kernel
     * caches input routes on the nexthop (nhc_rth_input): ARP input then allocates nothing.
     */
    private final Map<NetDevice, InputRoute[]> inputRoutes = new IdentityHashMap<>();
    /** Each device's forwarding-off answer, built once: every gratuitous ARP takes this branch. */
    private final Map<NetDevice, InputRoute> noForwarding = new IdentityHashMap<>();

    public IpRoute(NetDevices devices, Devinet devinet, FibFrontend fib) {
        this.devinet = devinet;
        this.fib = fib;
        devices.addListener((dev, event) -> {
            if (event == NetDevices.Event.UNREGISTER) {
                noForwarding.remove(dev);
                inputRoutes.remove(dev);
            }
        });
    }

    /** ip_route_input_noref() for an ARP packet: destination tip, source sip. */
    public InputRoute routeInputArp(int tip, int sip, NetDevice dev) {
        return routeInput(tip, sip, dev, false);
    }

    /** ip_route_input_noref() for an IPv4 packet received on {@code dev}. */
    public InputRoute routeInputIp(int daddr, int saddr, NetDevice dev) {
        return routeInput(daddr, saddr, dev, true);
    }

    /** ip_route_input_rcu(): multicast destinations through ip_route_input_mc(), the rest through ip_route_input_slow(). */
    private InputRoute routeInput(int daddr, int saddr, NetDevice dev, boolean ip) {
        if (Ipv4Address.isMulticast(daddr)) {
            if (daddr != ALL_HOSTS) {
                return InputRoute.refused("multicast " + Ipv4Address.toString(daddr) + " is not a group " + dev.name()
                        + " joined");
            }
            return routeInputMc(daddr, saddr, dev, ip);
        }
        return routeInputSlow(daddr, saddr, dev, ip);
    }

    /**
     * ip_route_input_slow(): the martians fib_lookup() cannot see, then the FIB: broadcast input,
     * local input after fib_validate_source(), no route, or forwarding (ip_mkroute_input(), which
     * for ARP refuses a route back out of the receiving device unless proxy_arp_pvlan).
     */
    private InputRoute routeInputSlow(int daddr, int saddr, NetDevice dev, boolean ip) {
        if (Ipv4Address.isMulticast(saddr) || Ipv4Address.isLbcast(saddr)) {
            return InputRoute.martianSource(Ipv4Address.toString(saddr) + " is "
                    + (Ipv4Address.isLbcast(saddr) ? "the limited broadcast" : "multicast"));
        }
        if (Ipv4Address.isLbcast(daddr) || (saddr == 0 && daddr == 0)) {
            return brdInput(saddr, dev, ip, null);
        }
        // "Accept zero addresses only to limited broadcast"
        if (Ipv4Address.isZeronet(saddr)) {
            return InputRoute.martianSource("0.0.0.0 is accepted only towards the limited broadcast");
        }
        if (Ipv4Address.isZeronet(daddr)) {
            return InputRoute.martianDestination("0.0.0.0");
        }
        boolean localnet = dev.inDevConf(DevVar.ROUTE_LOCALNET) != 0;
        if (Ipv4Address.isLoopback(daddr)) {
            if (!localnet) {
                return InputRoute.martianDestination(Ipv4Address.toString(daddr) + " is in 127/8 and route_localnet=0");
            }
        } else if (Ipv4Address.isLoopback(saddr) && !localnet) {
            return InputRoute.martianSource(Ipv4Address.toString(saddr) + " is in 127/8 and route_localnet=0");
        }
        Route r = fib.fibLookup(daddr);
        if (r == null || FibFrontend.isErrorRoute(r)) {
            // no_route: an input route to ip_error, which is not an error to the caller
            if (dev.inDevConf(DevVar.FORWARDING) == 0) {
                return noForwarding(dev);
            }
            return new InputRoute(true, RouteType.UNREACHABLE, null, "no route to " + Ipv4Address.toString(daddr),
                    Failure.NONE);
        }
        if (r.type() == RouteType.BROADCAST) {
            return brdInput(saddr, dev, ip, r.dev());
        }
        if (r.type() == RouteType.LOCAL) {
            String bad = fib.validateSource(saddr, daddr, 0, dev);
            if (bad != null) {
                return InputRoute.martianSource(bad);
            }
            return inputRoute(RouteType.LOCAL, r.dev());
        }
        if (dev.inDevConf(DevVar.FORWARDING) == 0) {
            return noForwarding(dev);
        }
        if (r.type() != RouteType.UNICAST) {
            return InputRoute.martianDestination(Ipv4Address.toString(daddr) + " has a " + r.type() + " route");
        }
        // __mkroute_input(): validated against the route's output device
        String bad = fib.validateSource(saddr, daddr, r.dev().ifindex(), dev);
        if (bad != null) {
            return InputRoute.martianSource(bad);
        }
        if (!ip && r.dev() == dev && dev.conf().get(DevVar.PROXY_ARP_PVLAN) == 0) {
            return InputRoute.refused("route to " + Ipv4Address.toString(daddr) + " leaves through " + dev.name()
                    + " itself (proxy_arp_pvlan=0)");
        }
        return inputRoute(RouteType.UNICAST, r.dev());
    }

    private InputRoute noForwarding(NetDevice dev) {
        return noForwarding.computeIfAbsent(dev, d -> new InputRoute(true, RouteType.UNREACHABLE, null,
                "forwarding is off on " + d.name(), Failure.NONE));
    }

    /** ip_route_input_slow()'s brd_input: IP only; the source validated unless it is 0.0.0.0. */
    private InputRoute brdInput(int saddr, NetDevice dev, boolean ip, NetDevice out) {
        if (!ip) {
            return InputRoute.refused("a broadcast destination takes only IP (this is ARP)");
        }
        if (!Ipv4Address.isZeronet(saddr)) {
            String bad = fib.validateSource(saddr, 0, 0, dev);
            if (bad != null) {
                return InputRoute.martianSource(bad);
            }
        }
        return inputRoute(RouteType.BROADCAST, out);
    }

    /** ip_route_input_mc() with ip_mc_validate_source(). */
    private InputRoute routeInputMc(int daddr, int saddr, NetDevice dev, boolean ip) {
        if (Ipv4Address.isMulticast(saddr) || Ipv4Address.isLbcast(saddr) || !ip) {
            return InputRoute.martianSource(Ipv4Address.toString(saddr) + " towards multicast "
                    + Ipv4Address.toString(daddr));
        }
        if (Ipv4Address.isLoopback(saddr) && dev.inDevConf(DevVar.ROUTE_LOCALNET) == 0) {
            return InputRoute.martianSource(Ipv4Address.toString(saddr) + " is in 127/8 and route_localnet=0");
        }
        // 0.0.0.0 is accepted towards 224.0.0.0/24 (the only group neighd joins is in it)
        if (!Ipv4Address.isZeronet(saddr)) {
            String bad = fib.validateSource(saddr, 0, 0, dev);
            if (bad != null) {
                return InputRoute.martianSource(bad);
            }
        }
        return inputRoute(RouteType.MULTICAST, null);
    }

    private InputRoute inputRoute(RouteType type, NetDevice out) {
        InputRoute[] byType = inputRoutes.computeIfAbsent(out, d -> new InputRoute[RouteType.values().length]);
        InputRoute rt = byType[type.ordinal()];
        if (rt == null) {
            rt = new InputRoute(true, type, out, null, Failure.NONE);
            byType[type.ordinal()] = rt;
        }
        return rt;
    }

    /**
     * ip_route_output(): the route a locally generated packet to {@code daddr} takes. LOCAL
     * destinations come back with the owning device; null when there is no route.
     */
    public Route routeOutput(int daddr) {
        Route r = fib.fibLookup(daddr);
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
        return route.dev() == null ? 0 : devinet.selectAddr(route.dev(), nh, route.scope());
    }
}
