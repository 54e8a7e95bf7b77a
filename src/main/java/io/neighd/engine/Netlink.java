package io.neighd.engine;

import io.neighd.errno.Errno;
import io.neighd.errno.Result;
import io.neighd.arp.ScanResult;
import io.neighd.ip.DevVar;
import io.neighd.ip.InIfAddr;
import io.neighd.ip.NetDevice;
import io.neighd.ip.Pinger;
import io.neighd.ip.Route;
import io.neighd.ip.RouteSpec;
import io.neighd.ipv6.Addrconf;
import io.neighd.ipv6.Inet6Dev;
import io.neighd.ipv6.Inet6Ifaddr;
import io.neighd.ipv6.Ipv6DevVar;
import io.neighd.neighbour.NeighSnapshot;
import io.neighd.neighbour.Neighbour;
import io.neighd.neighbour.Pneigh;
import io.neighd.wire.IpAddress;
import io.neighd.wire.Ipv4Address;
import io.neighd.wire.Ipv4Cidr;
import io.neighd.wire.Ipv6Address;
import io.neighd.wire.Ipv6Cidr;
import io.neighd.wire.MacAddress;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The engine's outside, as the kernel's is to user space: rtnetlink's requests and dumps
 * ({@code ip link}, {@code ip addr}, {@code ip route}, {@code ip neigh}, {@code ip monitor}),
 * sysctl, and /proc/net/stat. Commands name devices and addresses by value and answer with a
 * {@link Result}; queries answer with copies ({@link NeighSnapshot}, {@link Views}, {@link
 * EngineSnapshot}). Nothing of the engine's own state leaves through here, and every call must
 * come from the thread that owns the engine (it fails otherwise): the service submits its calls
 * to {@link EngineLoop}.
 */
public final class Netlink {
    /** "No link-layer address given" for {@link #neighAdd}. */
    public static final long NO_LLADDR = Neighbour.NO_LLADDR;

    private final Engine e;

    Netlink(Engine e) {
        this.e = e;
    }

    private NetDevice dev(String name) {
        return e.device(name);
    }

    private static <T> Result<T> noDevice(String name) {
        return Result.error(Errno.ENODEV, "no interface named '" + name + "'", name);
    }

    /** {@code f} of the device named {@code name}, or ENODEV; checks the calling thread first. */
    private <T> Result<T> onDevice(String name, Function<NetDevice, Result<T>> f) {
        e.checkOwner();
        NetDevice d = dev(name);
        return d == null ? noDevice(name) : f.apply(d);
    }

    /** As {@link #onDevice}, where a null name means every device (and is passed on as null). */
    private <T> Result<T> onDeviceOrAll(String name, Function<NetDevice, Result<T>> f) {
        if (name == null) {
            e.checkOwner();
            return f.apply(null);
        }
        return onDevice(name, f);
    }

    public int hz() {
        return e.jiffies().hz();
    }

    // ------------------------------------------------------------------ ip link

    public boolean hasDevice(String name) {
        e.checkOwner();
        return dev(name) != null;
    }

    /** {@code ip -j addr show dev NAME}, or null if there is no such device. */
    public Views.Device link(String name) {
        e.checkOwner();
        NetDevice d = dev(name);
        if (d == null) {
            return null;
        }
        Map<String, Integer> conf = new LinkedHashMap<>();
        Map<String, Integer> raw = new LinkedHashMap<>();
        for (DevVar v : DevVar.values()) {
            conf.put(v.key(), d.inDevConf(v));
            raw.put(v.key(), d.conf().get(v));
        }
        Inet6Dev idev = Addrconf.idev(d);
        Map<String, Integer> conf6 = new LinkedHashMap<>();
        List<Views.Address6> addrs6 = new ArrayList<>();
        if (idev != null) {
            for (Ipv6DevVar v : Ipv6DevVar.values()) {
                conf6.put(v.key(), idev.cnf().get(v));
            }
            for (Inet6Ifaddr a : idev.addresses()) {
                addrs6.add(Views.Address6.of(a, e.jiffies(), e.now()));
            }
        }
        return new Views.Device(d.name(), d.ifindex(), d.mac(), d.mtu(), d.isUp(), d.hasCarrier(), d.isNoarp(),
                d.vlan(), d.addresses().stream().map(this::view).toList(), conf, raw, addrs6, conf6,
                idev == null ? List.of() : idev.groups());
    }

    /** register_netdevice(): a new device, down and without carrier; its frames come in through the port. */
    public RxPort addDevice(String name, int ifindex, MacAddress mac, int mtu, int vlan) {
        e.checkOwner();
        return new RxPort(e, e.addDevice(name, ifindex, mac, mtu, vlan));
    }

    /** Where frames captured on device {@code name} come in, or null if there is no such device. */
    public RxPort rxPort(String name) {
        e.checkOwner();
        NetDevice d = dev(name);
        return d == null ? null : new RxPort(e, d);
    }

    /** {@code ip link set DEV up|down} */
    public Result<Void> setUp(String name, boolean up) {
        return onDevice(name, d -> {
            e.setUp(d, up);
            return Result.ok(null);
        });
    }

    /** The carrier as the link reports it; answers how many entries arp_evict_nocarrier evicted. */
    public Result<Integer> setCarrier(String name, boolean carrier) {
        return onDevice(name, d -> Result.ok(e.setCarrier(d, carrier)));
    }

    /** {@code ip link set DEV address MAC} */
    public Result<Void> setHwAddr(String name, MacAddress mac) {
        return onDevice(name, d -> {
            e.setHwAddr(d, mac);
            return Result.ok(null);
        });
    }

    /** {@code ip link set DEV mtu N} */
    public Result<Void> setMtu(String name, int mtu) {
        return onDevice(name, d -> {
            d.setMtu(mtu);
            return Result.ok(null);
        });
    }

    /** NETDEV_NOTIFY_PEERS: a gratuitous request per address; how many were sent. */
    public Result<Integer> announce(String name) {
        return onDevice(name, d -> Result.ok(e.announce(d)));
    }

    /**
     * {@code arping -c 1 -U|-A -I DEV ADDR}: one gratuitous ARP for {@code address}, an address of
     * the device, in the form {@code op} (ArpOp.OP_REQUEST or OP_REPLY). ENETDOWN if the device
     * is down, EADDRNOTAVAIL if the address is not (or no longer) one of its own.
     */
    public Result<Void> garp(String name, Ipv4Address address, int op) {
        return onDevice(name, d -> e.garp(d, address, op));
    }

    // ------------------------------------------------------------------ ip addr

    /** {@code ip addr add CIDR dev DEV [scope SCOPE]}: EEXIST if the device has the address already. */
    public Result<Views.Address> addAddress(String name, Ipv4Cidr cidr, Integer scope) {
        return onDevice(name, d -> address(scope == null ? e.addAddress(d, cidr) : e.addAddress(d, cidr, scope)));
    }

    /**
     * {@code ip addr add|replace CIDR dev DEV valid_lft N}: an address that goes when the engine's
     * clock reaches {@code validUntilNanos}, removed by the engine itself on its timer wheel
     * (check_lifetime) whatever the caller does meanwhile; the moment is absolute so that a
     * request waiting in the queue cannot stretch it (EINVAL if it has passed). {@code replace}
     * (NLM_F_REPLACE) gives an address the device has already the new lifetime; without it,
     * EEXIST.
     */
    public Result<Views.Address> addAddress(String name, Ipv4Cidr cidr, long validUntilNanos, boolean replace) {
        return onDevice(name, d -> address(e.addAddress(d, cidr, validUntilNanos, replace)));
    }

    private Result<Views.Address> address(Result<InIfAddr> r) {
        return r.ok() ? Result.ok(view(r.value())) : r.cast();
    }

    private Views.Address view(InIfAddr a) {
        return Views.Address.of(a, e.jiffies(), e.now());
    }

    /** {@code ip addr del ADDR dev DEV}: EADDRNOTAVAIL if it is not one of the device's. */
    public Result<Views.Address> deleteAddress(String name, Ipv4Address address) {
        return onDevice(name, d -> address(e.deleteAddress(d, address)));
    }

    /**
     * {@code ip -6 addr add CIDR dev DEV [nodad]}: tentative until DAD passes. EEXIST if the
     * device has it already, EACCES with disable_ipv6, EADDRNOTAVAIL for ::, multicast or ::1.
     */
    public Result<Views.Address6> addAddress6(String name, Ipv6Cidr cidr, boolean nodad) {
        e.checkOwner();
        NetDevice d = dev(name);
        if (d == null) {
            return noDevice(name);
        }
        Result<Inet6Ifaddr> r = e.addAddress6(d, cidr, nodad);
        return r.ok() ? Result.ok(Views.Address6.of(r.value(), e.jiffies(), e.now())) : r.cast();
    }

    /**
     * {@code ip -6 addr add|replace CIDR dev DEV valid_lft N [nodad]}: an address that goes when
     * the engine's clock reaches {@code validUntilNanos}, removed by the engine itself
     * (addrconf_verify); as {@link #addAddress(String, Ipv4Cidr, long, boolean)} for IPv4.
     */
    public Result<Views.Address6> addAddress6(String name, Ipv6Cidr cidr, boolean nodad, long validUntilNanos,
                                              boolean replace) {
        e.checkOwner();
        NetDevice d = dev(name);
        if (d == null) {
            return noDevice(name);
        }
        Result<Inet6Ifaddr> r = e.addAddress6(d, cidr, nodad, validUntilNanos, replace);
        return r.ok() ? Result.ok(Views.Address6.of(r.value(), e.jiffies(), e.now())) : r.cast();
    }

    /** One unsolicited NA for an address of the device (see {@link Engine#unsolicitedNa}). */
    public Result<Void> unsolicitedNa(String name, Ipv6Address address) {
        return onDevice(name, d -> e.unsolicitedNa(d, address));
    }

    /** {@code ip -6 addr del ADDR dev DEV}: EADDRNOTAVAIL if it is not one of the device's. */
    public Result<Views.Address6> deleteAddress6(String name, Ipv6Address address) {
        e.checkOwner();
        NetDevice d = dev(name);
        if (d == null) {
            return noDevice(name);
        }
        Result<Inet6Ifaddr> r = e.deleteAddress6(d, address);
        return r.ok() ? Result.ok(Views.Address6.of(r.value(), e.jiffies(), e.now())) : r.cast();
    }

    /** NETDEV_NOTIFY_PEERS on the IPv6 side: unsolicited NAs for the addresses that passed DAD; how many. */
    public Result<Integer> announce6(String name) {
        e.checkOwner();
        NetDevice d = dev(name);
        return d == null ? noDevice(name) : Result.ok(e.announce6(d));
    }

    // ------------------------------------------------------------------ ip route

    /** {@code ip route show}: the main table. */
    public List<Views.RouteEntry> routes() {
        e.checkOwner();
        return e.fib().mainTable().stream().map(Views.RouteEntry::of).toList();
    }

    public Result<Views.RouteEntry> addRoute(RouteSpec spec) {
        e.checkOwner();
        Result<Route> r = e.addRoute(spec);
        return r.ok() ? Result.ok(Views.RouteEntry.of(r.value())) : r.cast();
    }

    /** {@code ip route del PREFIX}: the static routes removed (none if there was none). */
    public List<Views.RouteEntry> deleteRoutes(Ipv4Cidr dst) {
        e.checkOwner();
        return e.deleteRoutes(dst).stream().map(Views.RouteEntry::of).toList();
    }

    // ------------------------------------------------------------------ ip neigh

    /** {@code ip -s neigh show [dev DEV]} for the states in {@code stateMask} (0x100 is NONE); null dev: all. */
    public Result<List<NeighSnapshot>> neighbours(String name, int stateMask) {
        return neighbours(name, stateMask, 0);
    }

    /** The same for one family ({@code ip -4 / -6 neigh}); 0 for both. */
    public Result<List<NeighSnapshot>> neighbours(String name, int stateMask, int family) {
        return onDeviceOrAll(name, d -> Result.ok(e.neighbours(d, stateMask, family)));
    }

    /**
     * A slice of a dump of every entry of every state, from bucket {@code bucket} on, of at least
     * {@code atLeast} entries (whole buckets) unless the table ends first.
     */
    public Engine.DumpSlice neighboursFrom(int bucket, int atLeast) {
        e.checkOwner();
        return e.neighboursFrom(bucket, atLeast);
    }

    /** {@code ip -s neigh get DST dev DEV}: the entry, or null. */
    public Result<NeighSnapshot> neighbour(String name, IpAddress dst) {
        return onDevice(name, d -> Result.ok(e.neighbour(d, dst)));
    }

    /** {@code ip neigh add|change|replace}: neigh_add on the destination's table with the netlink flags of {@code mode}. */
    public Result<Void> neighAdd(String name, IpAddress dst, long lladdr, int state, int ntfFlags, boolean use,
                                 NeighAdmin.Mode mode) {
        return onDevice(name,
                d -> e.admin(dst.family()).add(new NeighAdmin.Request(d, dst, lladdr, state, ntfFlags, use), mode));
    }

    /** {@code ip neigh del DST dev DEV} */
    public Result<Void> neighDelete(String name, IpAddress dst) {
        return onDevice(name, d -> e.admin(dst.family()).delete(d, dst));
    }

    /** {@code ip neigh flush [dev DEV] [nud STATE...]}: how many entries went; 0 selects iproute2's default set. */
    public Result<Integer> neighFlush(String name, int stateMask) {
        return neighFlush(name, stateMask, 0);
    }

    /** {@code ip -4|-6 neigh flush ...}: {@code family} 0 flushes both tables. */
    public Result<Integer> neighFlush(String name, int stateMask, int family) {
        return onDeviceOrAll(name, d -> {
            int flushed = 0;
            if (family != IpAddress.AF_INET6) {
                flushed += e.admin().flush(d, stateMask);
            }
            if (family != IpAddress.AF_INET) {
                flushed += e.admin6().flush(d, stateMask);
            }
            return Result.ok(flushed);
        });
    }

    /** {@code ip neigh show proxy}: arp_tbl's, then nd_tbl's. */
    public List<Views.Proxy> proxies() {
        e.checkOwner();
        List<Views.Proxy> out = new ArrayList<>();
        for (Pneigh<NetDevice> p : e.table().pneighs()) {
            out.add(new Views.Proxy(p.key(), p.devName(), p.router()));
        }
        for (Pneigh<NetDevice> p : e.ndTable().pneighs()) {
            out.add(new Views.Proxy(p.key(), p.devName(), p.router()));
        }
        return out;
    }

    /** {@code ip neigh add proxy DST [dev DEV]}: true if it was created (adding it again is no error, as in Linux). */
    public Result<Boolean> proxyAdd(IpAddress dst, String name) {
        return proxyAdd(dst, name, false);
    }

    /** {@code ip neigh add proxy DST [dev DEV] [router]} */
    public Result<Boolean> proxyAdd(IpAddress dst, String name, boolean router) {
        return onDeviceOrAll(name, d -> {
            if (dst.family() == IpAddress.AF_INET6 && d != null && Addrconf.idev(d) == null) {
                return Result.error(io.neighd.errno.Errno.EPERM, "IPv6 is disabled on this device");
            }
            boolean exists = e.table(dst.family()).pneighs().stream()
                    .anyMatch(p -> p.key().equals(dst) && p.dev() == d);
            if (e.admin(dst.family()).addProxy(dst, d, true, router) == null) {
                // pneigh_create() fails when pndisc_constructor() refuses: neigh_add answers ENOBUFS
                return Result.error(io.neighd.errno.Errno.ENOBUFS, "an IPv6 proxy entry needs an interface", "dev");
            }
            return Result.ok(!exists);
        });
    }

    /** {@code ip neigh del proxy DST [dev DEV]}: the device must match exactly, as in Linux. */
    public Result<Void> proxyDelete(IpAddress dst, String name) {
        return onDeviceOrAll(name, d -> e.admin(dst.family()).deleteProxy(dst, d));
    }

    /**
     * Resolution as an outbound packet starts it; {@code done} is told on the engine thread once
     * the entry is VALID, FAILED or gone (at once if it already is).
     */
    public Result<Void> resolve(String name, IpAddress dst, Consumer<ResolveOutcome> done) {
        return onDevice(name, d -> {
            e.resolve(d, dst, done);
            return Result.ok(null);
        });
    }

    /**
     * Starts arp-scan's sweep of {@code cidr} on the device (see ArpScans): its id, or EINVAL
     * naming the parameter out of range, ENETDOWN, or EBUSY when a scan runs on the device or
     * the limit of scans is reached. {@code done} is told the result on the engine thread.
     */
    public Result<Integer> scan(String name, Ipv4Cidr cidr, int rate, int retries, long timeoutMs,
                                Consumer<ScanResult> done) {
        return onDevice(name, d -> e.scan(d, cidr, rate, retries, timeoutMs, done));
    }

    /** Running scan {@code id} as far as it has come, or null if none of that id runs. */
    public ScanResult scanProgress(int id) {
        e.checkOwner();
        return e.scans().progress(id);
    }

    /** {@code ip route get DST} then {@code ip neigh get}: the entry of the next hop to {@code dst}, or null. */
    public NeighSnapshot nexthopNeighbour(IpAddress dst) {
        return nexthopNeighbour(dst, null);
    }

    /** The same out of interface {@code name} (a scoped IPv6 destination needs it); null name: any. */
    public NeighSnapshot nexthopNeighbour(IpAddress dst, String name) {
        e.checkOwner();
        return e.nexthopNeighbour(dst, name == null ? null : dev(name));
    }

    // ------------------------------------------------------------------ tools

    /** What the receive path would do with {@code frame} on {@code dev}, and why; changes nothing. */
    public Result<Explanation> explain(String name, byte[] frame) {
        return onDevice(name, d -> Result.ok(e.explain(d, frame)));
    }

    /** Starts an iputils-style ping through the output path; {@code done} runs on the engine thread. */
    public void ping(IpAddress dst, int count, long intervalMs, long timeoutMs, int payloadBytes,
                     Consumer<Pinger.Result> done) {
        ping(dst, null, count, intervalMs, timeoutMs, payloadBytes, done);
    }

    /** {@code ping -I DEV DST}: {@code dev} for a link-local or multicast IPv6 destination (null otherwise). */
    public Result<Void> ping(IpAddress dst, String name, int count, long intervalMs, long timeoutMs, int payloadBytes,
                             Consumer<Pinger.Result> done) {
        e.checkOwner();
        NetDevice d = null;
        if (name != null) {
            d = dev(name);
            if (d == null) {
                return noDevice(name);
            }
        }
        e.ping(dst, d, count, intervalMs, timeoutMs, payloadBytes, done);
        return Result.ok(null);
    }

    /** dst_confirm_neigh(): an upper layer saw the next hop to {@code dst} answer. */
    public boolean confirm(Ipv4Address dst) {
        e.checkOwner();
        return e.confirm(dst);
    }

    // ------------------------------------------------------------------ sysctl and /proc/net/stat

    /** Every knob by its Linux name (net.ipv4.conf.*, net.ipv6.conf.*, net.ipv4.neigh.*, net.ipv6.neigh.*). */
    public Sysctl sysctl() {
        e.checkOwner();
        return e.sysctl();
    }

    /** /proc/net/stat/arp_cache, ndisc_cache and every interface's counters, now. */
    public EngineSnapshot stats() {
        e.checkOwner();
        return e.snapshot();
    }

    /** Packets waiting on unresolved entries (arp_queue), by interface name; a walk of arp_tbl. */
    public Map<String, Long> queuedPackets() {
        return queuedPackets(IpAddress.AF_INET);
    }

    /** The same for {@code family}'s table. */
    public Map<String, Long> queuedPackets(int family) {
        e.checkOwner();
        Map<String, Long> out = new LinkedHashMap<>();
        e.table(family).forEach(n -> {
            int q = n.queueLenPackets();
            if (q > 0) {
                out.merge(n.dev().name(), (long) q, Long::sum);
            }
        });
        return out;
    }

    // ------------------------------------------------------------------ ip monitor

    public void addListener(EngineListener l) {
        e.checkOwner();
        e.addListener(l);
    }

    public void removeListener(EngineListener l) {
        e.checkOwner();
        e.removeListener(l);
    }
}
