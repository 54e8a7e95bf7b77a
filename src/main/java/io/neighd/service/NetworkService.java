package io.neighd.service;

import io.neighd.engine.Sysctl;
import io.neighd.ip.DevVar;
import io.neighd.ip.InIfAddr;
import io.neighd.ip.NetDevice;
import io.neighd.ip.Route;
import io.neighd.ip.RouteSpec;
import io.neighd.ip.Scope;
import io.neighd.link.Link;
import io.neighd.service.ServiceException.Kind;
import io.neighd.wire.Ipv4Address;
import io.neighd.wire.Ipv4Cidr;
import io.neighd.wire.MacAddress;
import org.springframework.stereotype.Service;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code ip link}, {@code ip addr}, {@code ip route} and {@code sysctl} for the interfaces
 * neighd is attached to. Address, route and knob changes are kept in the state file.
 */
@Service
public class NetworkService {
    /** An owned address as {@code ip -j addr} shows it. */
    public record Address(Ipv4Cidr cidr, Ipv4Address broadcast, String scope, boolean secondary) {
        static Address of(InIfAddr a) {
            return new Address(a.cidr(), a.broadcast() == 0 ? null : new Ipv4Address(a.broadcast()),
                    Scope.name(a.scope()), a.isSecondary());
        }
    }

    /**
     * An interface: what the engine knows of it and what its capture counts.
     *
     * @param conf    effective {@code net.ipv4.conf} values (all and the interface combined per knob)
     * @param confRaw the interface's own values, before combining with {@code all}
     */
    public record Interface(String name, int ifindex, MacAddress lladdr, int mtu, boolean carrier, boolean up,
                            int vlan, List<Address> addresses, Map<String, Integer> conf, Map<String, Integer> confRaw,
                            Link.Stats capture, boolean capturing, String problem) {
    }

    /** A route of the main table, as {@code ip -j route} shows it. */
    public record RouteView(String spec, String type, String dst, Ipv4Address gateway, String dev, String protocol,
                            String scope, Ipv4Address prefsrc, int metric) {
        static RouteView of(Route r) {
            return new RouteView(r.spec(), r.type().name().toLowerCase(java.util.Locale.ROOT),
                    r.prefixLength() == 0 && r.dst() == 0 ? "default"
                            : Ipv4Address.toString(r.dst()) + "/" + r.prefixLength(),
                    r.gateway() == 0 ? null : new Ipv4Address(r.gateway()), r.dev() == null ? null : r.dev().name(),
                    r.kernel() ? "kernel" : "static", Scope.name(r.scope()),
                    r.prefsrc() == 0 ? null : new Ipv4Address(r.prefsrc()), r.metric());
        }
    }

    private final EngineAccess engine;

    public NetworkService(EngineAccess engine) {
        this.engine = engine;
    }

    // ------------------------------------------------------------------ interfaces

    public List<Interface> interfaces() {
        List<Interface> out = new ArrayList<>();
        for (String name : engine.service().links().keySet()) {
            out.add(interfaceNamed(name));
        }
        return out;
    }

    public Interface interfaceNamed(String name) {
        Interface i = engine.call(e -> {
            NetDevice d = engine.device(e, name, "dev");
            Map<String, Integer> conf = new LinkedHashMap<>();
            Map<String, Integer> raw = new LinkedHashMap<>();
            for (DevVar v : DevVar.values()) {
                conf.put(v.key(), d.inDevConf(v));
                raw.put(v.key(), d.conf().get(v));
            }
            return new Interface(d.name(), d.ifindex(), d.mac(), d.mtu(), d.hasCarrier(), d.isUp(), d.vlan(),
                    d.addresses().stream().map(Address::of).toList(), conf, raw, null, false, null);
        });
        Link link = engine.service().links().get(name);
        return new Interface(i.name(), i.ifindex(), i.lladdr(), i.mtu(), i.carrier(), i.up(), i.vlan(), i.addresses(),
                i.conf(), i.confRaw(), link.stats(), link.capturing(), link.problem());
    }

    /** {@code ip addr add CIDR dev DEV [scope SCOPE]}; arp_notify applies as in Linux. */
    public Address addAddress(String dev, Ipv4Cidr cidr, Integer scope) {
        if (cidr.address().isAny() || cidr.address().isMulticast() || cidr.address().equals(Ipv4Address.BROADCAST)) {
            throw new ServiceException(Kind.INVALID_ADDRESS, cidr.address() + " cannot be owned", "address",
                    cidr.toString());
        }
        return engine.write(e -> {
            NetDevice d = engine.device(e, dev, "dev");
            try {
                return Address.of(scope == null ? e.addAddress(d, cidr) : e.addAddress(d, cidr, scope));
            } catch (IllegalStateException ex) {
                throw new ServiceException(Kind.ADDRESS_EXISTS, cidr.address() + " is already an address of " + dev,
                        "address", cidr.toString());
            }
        }, (a, s) -> s.withAddress(new StateStore.AddressRecord(dev, a.cidr().toString(), "add")));
    }

    /** {@code ip addr del ADDR dev DEV}; removing the last address flushes the interface's entries, as in Linux. */
    public void deleteAddress(String dev, Ipv4Address address) {
        engine.write(e -> {
            NetDevice d = engine.device(e, dev, "dev");
            InIfAddr victim = d.addresses().stream().filter(a -> a.local() == address.bits()).findFirst().orElse(null);
            if (victim == null || !e.deleteAddress(d, address)) {
                throw new ServiceException(Kind.NO_SUCH_ADDRESS, address + " is not an address of " + dev, "ip",
                        address.toString());
            }
            return victim.cidr();
        }, (cidr, s) -> s.withAddress(new StateStore.AddressRecord(dev, cidr.toString(), "del")));
    }

    /** NETDEV_NOTIFY_PEERS: a gratuitous ARP request for every address of the interface; how many were sent. */
    public int announce(String dev) {
        return engine.call(e -> e.announce(engine.device(e, dev, "dev")));
    }

    // ------------------------------------------------------------------ routes

    /** {@code ip route show}: the main table, connected (proto kernel) and static routes. */
    public List<RouteView> routes() {
        return engine.call(e -> e.fib().mainTable().stream().map(RouteView::of).toList());
    }

    /** {@code ip route add SPEC}. */
    public RouteView addRoute(String text) {
        RouteSpec spec;
        try {
            spec = RouteSpec.parse(text);
        } catch (IllegalArgumentException ex) {
            throw new ServiceException(Kind.INVALID_ROUTE, ex.getMessage(), "route", text);
        }
        return engine.write(e -> {
            try {
                return RouteView.of(e.addRoute(spec));
            } catch (IllegalStateException ex) {
                throw new ServiceException(Kind.ROUTE_EXISTS, ex.getMessage(), "route", text);
            } catch (IllegalArgumentException ex) {
                throw new ServiceException(Kind.INVALID_ROUTE, ex.getMessage(), "route", text);
            }
        }, (r, s) -> s.withRoute(new StateStore.RouteRecord(spec.text(), "add")));
    }

    /** {@code ip route del PREFIX}: every static route for exactly this destination. */
    public List<RouteView> deleteRoutes(Ipv4Cidr dst) {
        return engine.write(e -> {
            List<RouteView> removed = e.deleteRoutes(dst).stream().map(RouteView::of).toList();
            if (removed.isEmpty()) {
                throw new ServiceException(Kind.NO_SUCH_ROUTE, "no static route to " + dst, "dst", dst.toString());
            }
            return removed;
        }, (removed, s) -> {
            // an earlier add or del of the same destination is superseded: the file stays bounded
            List<StateStore.RouteRecord> kept = new ArrayList<>();
            for (StateStore.RouteRecord r : s.routes()) {
                if (!sameDestination(r, dst)) {
                    kept.add(r);
                }
            }
            kept.add(new StateStore.RouteRecord(dst.network() + "/" + dst.prefixLength(), "del"));
            return s.withRoutes(kept);
        });
    }

    private static boolean sameDestination(StateStore.RouteRecord r, Ipv4Cidr dst) {
        Ipv4Cidr d = "add".equals(r.op()) ? RouteSpec.parse(r.route()).dst() : Ipv4Cidr.parse(r.route());
        return d.prefixLength() == dst.prefixLength() && d.network().equals(dst.network());
    }

    // ------------------------------------------------------------------ sysctl

    /** {@code sysctl -a}, restricted to names starting with {@code prefix}. */
    public List<Sysctl.Knob> knobs(String prefix) {
        return engine.call(e -> e.sysctl().list(prefix));
    }

    /** Writes every knob or none; {@link Kind#INVALID_SYSCTL} names the first bad key and its range. */
    public List<Sysctl.Knob> setKnobs(Map<String, Long> writes) {
        return engine.write(e -> {
            try {
                e.sysctl().set(writes);
            } catch (Sysctl.SysctlException ex) {
                throw new ServiceException(Kind.INVALID_SYSCTL, ex.getMessage(), ex.key(), writes.get(ex.key()));
            }
            return writes.keySet().stream().map(k -> e.sysctl().knob(k)).toList();
        }, (k, s) -> s.withSysctl(writes));
    }
}
