package io.neighd.engine;

import io.neighd.ip.InIfAddr;
import io.neighd.ip.Route;
import io.neighd.ip.Scope;
import io.neighd.time.Jiffies;
import io.neighd.ipv6.Inet6Ifaddr;
import io.neighd.wire.IpAddress;
import io.neighd.wire.Ipv4Address;
import io.neighd.wire.Ipv4Cidr;
import io.neighd.wire.Ipv6Address;
import io.neighd.wire.Ipv6Cidr;
import io.neighd.wire.MacAddress;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The values {@link Netlink} answers with, as {@code ip -j link / addr / route / neigh show proxy}
 * print them: copies made on the engine thread, safe to keep anywhere.
 */
public final class Views {
    private Views() {
    }

    /**
     * An owned address (struct in_ifaddr) as {@code ip -j addr} shows it.
     *
     * @param validLftMillis what is left of its lifetime ({@code valid_lft}), or null for forever
     */
    public record Address(Ipv4Cidr cidr, Ipv4Address broadcast, String scope, boolean secondary, Long validLftMillis) {
        static Address of(InIfAddr a, Jiffies jiffies, long now) {
            return new Address(a.cidr(), a.broadcast() == 0 ? null : new Ipv4Address(a.broadcast()),
                    Scope.name(a.scope()), a.isSecondary(),
                    a.isPermanent() ? null : jiffies.toMillis(Math.max(0, a.validUntil() - now)));
        }

        /** IFA_F_PERMANENT: no lifetime. */
        public boolean permanent() {
            return validLftMillis == null;
        }
    }

    /**
     * An IPv6 address (struct inet6_ifaddr) as {@code ip -j -6 addr} shows it, with its flags
     * ({@code tentative}, {@code dadfailed}, {@code nodad}, ...).
     */
    public record Address6(Ipv6Cidr cidr, String scope, List<String> flags, Long validLftMillis) {
        static Address6 of(Inet6Ifaddr a, Jiffies jiffies, long now) {
            return new Address6(a.cidr(), Scope.name(a.scope()), Inet6Ifaddr.flagNames(a.flags()),
                    a.isPermanent() ? null : jiffies.toMillis(Math.max(0, a.validUntil() - now)));
        }

        /** IFA_F_PERMANENT: no lifetime. */
        public boolean permanent() {
            return validLftMillis == null;
        }
    }

    /**
     * A device as {@code ip -j link} and {@code ip -j addr} show it, with its IPv4 and IPv6 knobs.
     *
     * @param conf     effective {@code net.ipv4.conf} values (all and the interface combined per knob)
     * @param confRaw  the interface's own values, before combining with {@code all}
     * @param conf6    the interface's {@code net.ipv6.conf} values
     * @param groups6  the IPv6 multicast groups it has joined ({@code ip -6 maddr})
     */
    public record Device(String name, int ifindex, MacAddress lladdr, int mtu, boolean up, boolean carrier,
                         boolean noarp, int vlan, List<Address> addresses, Map<String, Integer> conf,
                         Map<String, Integer> confRaw, List<Address6> addresses6, Map<String, Integer> conf6,
                         List<Ipv6Address> groups6) {
    }

    /** A route as {@code ip -j route} shows it. */
    public record RouteEntry(String spec, String type, String dst, Ipv4Address gateway, String dev, String protocol,
                             String scope, Ipv4Address prefsrc, int metric) {
        static RouteEntry of(Route r) {
            return new RouteEntry(r.spec(), r.type().name().toLowerCase(Locale.ROOT),
                    r.prefixLength() == 0 && r.dst() == 0 ? "default"
                            : Ipv4Address.toString(r.dst()) + "/" + r.prefixLength(),
                    r.gateway() == 0 ? null : new Ipv4Address(r.gateway()), r.dev() == null ? null : r.dev().name(),
                    r.kernel() ? "kernel" : "static", Scope.name(r.scope()),
                    r.prefsrc() == 0 ? null : new Ipv4Address(r.prefsrc()), r.metric());
        }
    }

    /** An {@code ip neigh add proxy} entry; {@code dev} null means every interface; {@code router}: NTF_ROUTER. */
    public record Proxy(IpAddress dst, String dev, boolean router) {
    }
}
