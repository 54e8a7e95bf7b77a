package io.neighd.service;

import io.neighd.engine.Netlink;
import io.neighd.engine.Sysctl;
import io.neighd.engine.Views;
import io.neighd.errno.Errno;
import io.neighd.errno.Result;
import io.neighd.ip.RouteSpec;
import io.neighd.link.Link;
import io.neighd.service.ServiceException.Kind;
import io.neighd.wire.IpAddress;
import io.neighd.wire.Ipv4Address;
import io.neighd.wire.Ipv4Cidr;
import io.neighd.wire.Ipv6Address;
import io.neighd.wire.Ipv6Cidr;
import io.neighd.wire.MacAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

import java.util.ArrayList;
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
        static Address of(Views.Address a) {
            return new Address(a.cidr(), a.broadcast(), a.scope(), a.secondary());
        }
    }

    /** An IPv6 address as {@code ip -j -6 addr} shows it, flags included (tentative, dadfailed, ...). */
    public record Address6(Ipv6Cidr cidr, String scope, List<String> flags) {
        static Address6 of(Views.Address6 a) {
            return new Address6(a.cidr(), a.scope(), a.flags());
        }
    }

    /**
     * An interface: what the engine knows of it and what its capture counts.
     *
     * @param conf    effective {@code net.ipv4.conf} values (all and the interface combined per knob)
     * @param confRaw the interface's own values, before combining with {@code all}
     * @param conf6   its {@code net.ipv6.conf} values
     * @param groups6 the IPv6 multicast groups it has joined
     */
    public record Interface(String name, int ifindex, MacAddress lladdr, int mtu, boolean carrier, boolean up,
                            int vlan, List<Address> addresses, Map<String, Integer> conf, Map<String, Integer> confRaw,
                            Link.Stats capture, boolean capturing, String problem, List<Address6> addresses6,
                            Map<String, Integer> conf6, List<Ipv6Address> groups6) {
    }

    /** What NETDEV_NOTIFY_PEERS sent: gratuitous ARP requests and unsolicited neighbour advertisements. */
    public record Announced(int arp, int na) {
    }

    /** A route of the main table, as {@code ip -j route} shows it. */
    public record RouteView(String spec, String type, String dst, Ipv4Address gateway, String dev, String protocol,
                            String scope, Ipv4Address prefsrc, int metric) {
        static RouteView of(Views.RouteEntry r) {
            return new RouteView(r.spec(), r.type(), r.dst(), r.gateway(), r.dev(), r.protocol(), r.scope(),
                    r.prefsrc(), r.metric());
        }
    }

    private static final Logger log = LoggerFactory.getLogger(NetworkService.class);

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
        Views.Device d = engine.call(nl -> {
            engine.requireDevice(nl, name, "dev");
            return nl.link(name);
        });
        Link link = engine.service().links().get(name);
        return new Interface(d.name(), d.ifindex(), d.lladdr(), d.mtu(), d.carrier(), d.up(), d.vlan(),
                d.addresses().stream().map(Address::of).toList(), d.conf(), d.confRaw(), link.stats(),
                link.capturing(), link.problem(), d.addresses6().stream().map(Address6::of).toList(), d.conf6(),
                d.groups6());
    }

    /** {@code ip addr add CIDR dev DEV [scope SCOPE]}; arp_notify applies as in Linux. */
    public Address addAddress(String dev, Ipv4Cidr cidr, Integer scope) {
        if (cidr.address().isAny() || cidr.address().isMulticast() || cidr.address().equals(Ipv4Address.BROADCAST)) {
            throw new ServiceException(Kind.INVALID_ADDRESS, cidr.address() + " cannot be owned", "address",
                    cidr.toString());
        }
        return engine.write(nl -> {
            engine.requireDevice(nl, dev, "dev");
            Result<Views.Address> r = nl.addAddress(dev, cidr, scope);
            if (!r.ok()) {
                throw new ServiceException(Kind.ADDRESS_EXISTS, cidr.address() + " is already an address of " + dev,
                        "address", cidr.toString());
            }
            return Address.of(r.value());
        }, (a, s) -> s.withAddress(new StateStore.AddressRecord(dev, a.cidr().toString(), "add")));
    }

    /**
     * {@code ip -6 addr add CIDR dev DEV [nodad]}: the address is tentative until duplicate address
     * detection passes (or dadfailed if another node has it), as in Linux.
     */
    public Address6 addAddress6(String dev, Ipv6Cidr cidr, boolean nodad) {
        Ipv6Address a = cidr.address();
        if (a.isAny() || a.isMulticast() || a.isLoopback()) {
            throw new ServiceException(Kind.INVALID_ADDRESS, a + " cannot be owned", "address", cidr.toString());
        }
        return engine.write(nl -> {
            engine.requireDevice(nl, dev, "dev");
            Result<Views.Address6> r = nl.addAddress6(dev, cidr, nodad);
            if (!r.ok()) {
                if (r.errno() == Errno.EEXIST) {
                    throw new ServiceException(Kind.ADDRESS_EXISTS, a + " is already an address of " + dev, "address",
                            cidr.toString());
                }
                throw new ServiceException(Kind.INVALID_ADDRESS, r.message(), "address", cidr.toString());
            }
            return Address6.of(r.value());
        }, (x, s) -> s.withAddress(new StateStore.AddressRecord(dev, cidr.toString(), "add")));
    }

    /** {@code ip addr del ADDR dev DEV}; removing the last IPv4 address flushes the interface's ARP entries, as in Linux. */
    public void deleteAddress(String dev, IpAddress address) {
        engine.write(nl -> {
            engine.requireDevice(nl, dev, "dev");
            String cidr;
            if (address instanceof Ipv6Address a6) {
                Result<Views.Address6> r = nl.deleteAddress6(dev, a6);
                cidr = r.ok() ? r.value().cidr().toString() : null;
            } else {
                Result<Views.Address> r = nl.deleteAddress(dev, (Ipv4Address) address);
                cidr = r.ok() ? r.value().cidr().toString() : null;
            }
            if (cidr == null) {
                throw new ServiceException(Kind.NO_SUCH_ADDRESS, address + " is not an address of " + dev, "ip",
                        address.toString());
            }
            return cidr;
        }, (cidr, s) -> s.withAddress(new StateStore.AddressRecord(dev, cidr, "del")));
    }

    /**
     * NETDEV_NOTIFY_PEERS: a gratuitous ARP request for every IPv4 address of the interface and an
     * unsolicited neighbour advertisement for every IPv6 address that passed DAD.
     */
    public Announced announce(String dev) {
        return engine.call(nl -> {
            engine.requireDevice(nl, dev, "dev");
            return new Announced(nl.announce(dev).value(), nl.announce6(dev).value());
        });
    }

    // ------------------------------------------------------------------ routes

    /** {@code ip route show}: the main table, connected (proto kernel) and static routes. */
    public List<RouteView> routes() {
        return engine.call(nl -> nl.routes().stream().map(RouteView::of).toList());
    }

    /** {@code ip route add SPEC}. */
    public RouteView addRoute(String text) {
        RouteSpec spec;
        try {
            spec = RouteSpec.parse(text);
        } catch (IllegalArgumentException ex) {
            throw new ServiceException(Kind.INVALID_ROUTE, ex.getMessage(), "route", text);
        }
        return engine.write(nl -> {
            Result<Views.RouteEntry> r = nl.addRoute(spec);
            if (!r.ok()) {
                throw new ServiceException(r.errno() == Errno.EEXIST ? Kind.ROUTE_EXISTS : Kind.INVALID_ROUTE,
                        r.message(), "route", text);
            }
            return RouteView.of(r.value());
        }, (r, s) -> s.withRoute(new StateStore.RouteRecord(spec.text(), "add")));
    }

    /** {@code ip route del PREFIX}: every static route for exactly this destination. */
    public List<RouteView> deleteRoutes(Ipv4Cidr dst) {
        return engine.write(nl -> {
            List<RouteView> removed = nl.deleteRoutes(dst).stream().map(RouteView::of).toList();
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
        return engine.call(nl -> nl.sysctl().list(prefix));
    }

    /**
     * Writes every knob or none; {@link Kind#INVALID_SYSCTL} names the first bad key and its range.
     * A value Linux accepts but stores otherwise than written (overflowed, wrapped, outside the
     * documented range) is written, logged, and answered with its knob's warning.
     */
    public List<Sysctl.Knob> setKnobs(Map<String, Long> writes) {
        List<Sysctl.Knob> written = engine.write(nl -> {
            try {
                return nl.sysctl().set(writes);
            } catch (Sysctl.SysctlException ex) {
                throw new ServiceException(Kind.INVALID_SYSCTL, ex.getMessage(), ex.key(), writes.get(ex.key()));
            }
        }, (k, s) -> s.withSysctl(writes));
        for (Sysctl.Knob k : written) {
            if (k.warning() != null) {
                log.warn("sysctl write: {}", k.warning());
            }
        }
        return written;
    }
}
