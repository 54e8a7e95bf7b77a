package io.neighd.ip;

import io.neighd.wire.Ipv4Address;

import java.util.IdentityHashMap;
import java.util.Map;

/**
 * net/ipv4/route.c as far as ARP and locally generated packets need it: ip_route_input_noref()
 * for the addresses of an ARP packet (arp_process passes tip as destination and sip as source)
 * and ip_route_output_key() with the source address it picks.
 */
public final class IpRoute {
    /** The result of an input route lookup: {@code ok} false means the lookup failed (martian or error). */
    public record InputRoute(boolean ok, RouteType type, NetDevice dev, String why) {
        static InputRoute fail(String why) {
            return new InputRoute(false, null, null, why);
        }
    }

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
        boolean localnet = dev.inDevConf(DevVar.ROUTE_LOCALNET) != 0;
        if (Ipv4Address.isLoopback(tip) && !localnet) {
            return InputRoute.fail("martian destination " + Ipv4Address.toString(tip) + " (route_localnet=0)");
        }
        if (Ipv4Address.isLoopback(sip) && !localnet) {
            return InputRoute.fail("martian source " + Ipv4Address.toString(sip) + " (route_localnet=0)");
        }
        Route r = fib.fibLookup(tip);
        if (r == null) {
            return new InputRoute(true, RouteType.UNREACHABLE, null, "no route to " + Ipv4Address.toString(tip));
        }
        if (r.type() == RouteType.BROADCAST) {
            return inputRoute(RouteType.BROADCAST, r.dev());
        }
        if (r.type() == RouteType.LOCAL) {
            String bad = fib.validateSource(sip, dev);
            if (bad != null) {
                return InputRoute.fail(bad);
            }
            return inputRoute(RouteType.LOCAL, r.dev());
        }
        if (dev.inDevConf(DevVar.FORWARDING) == 0) {
            return noForwarding.computeIfAbsent(dev,
                    d -> new InputRoute(true, RouteType.UNREACHABLE, null, "forwarding is off on " + d.name()));
        }
        if (r.type() != RouteType.UNICAST) {
            return InputRoute.fail("martian destination " + Ipv4Address.toString(tip) + " (" + r.type() + " route)");
        }
        String bad = fib.validateSource(sip, dev);
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
