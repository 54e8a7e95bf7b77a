package io.neighd.engine;

import io.neighd.arp.ArpNeighOps;
import io.neighd.arp.ArpProcessor;
import io.neighd.arp.ArpScans;
import io.neighd.arp.ScanResult;
import io.neighd.arp.ArpSender;
import io.neighd.arp.ArpSolicitor;
import io.neighd.arp.ArpStats;
import io.neighd.arp.LiveArpActions;
import io.neighd.arp.Reason;
import io.neighd.arp.TxKind;
import io.neighd.errno.Errno;
import io.neighd.errno.Result;
import io.neighd.ip.DevVar;
import io.neighd.ip.Devinet;
import io.neighd.ip.FibFrontend;
import io.neighd.ip.Icmp;
import io.neighd.ip.InIfAddr;
import io.neighd.ip.IpRoute;
import io.neighd.ip.Ipv4Output;
import io.neighd.ip.NetDevice;
import io.neighd.ip.NetDevices;
import io.neighd.ip.Pinger;
import io.neighd.ip.Route;
import io.neighd.ip.RouteSpec;
import io.neighd.ip.Transmitter;
import io.neighd.ipv6.Addrconf;
import io.neighd.ipv6.Inet6Ifaddr;
import io.neighd.ipv6.Ip6Input;
import io.neighd.ipv6.Ip6Output;
import io.neighd.ipv6.Ip6Route;
import io.neighd.ipv6.Ipv6DevVar;
import io.neighd.ipv6.McastFilter;
import io.neighd.ndisc.Icmpv6Rcv;
import io.neighd.ndisc.LiveNdiscActions;
import io.neighd.ndisc.NdiscNeighOps;
import io.neighd.ndisc.NdiscProcessor;
import io.neighd.ndisc.NdiscSender;
import io.neighd.ndisc.NdiscStats;
import io.neighd.neighbour.NeighSnapshot;
import io.neighd.neighbour.NeighStatistics;
import io.neighd.neighbour.Neighbour;
import io.neighd.neighbour.NeighbourTable;
import io.neighd.neighbour.NudState;
import io.neighd.time.Clock;
import io.neighd.time.Jiffies;
import io.neighd.time.Task;
import io.neighd.time.Timed;
import io.neighd.time.TimerWheel;
import io.neighd.wire.ArpMessage;
import io.neighd.wire.ArpOp;
import io.neighd.wire.ArpPacket;
import io.neighd.wire.EtherType;
import io.neighd.wire.EthernetFrame;
import io.neighd.wire.IpAddress;
import io.neighd.wire.Ipv4Address;
import io.neighd.wire.Ipv4Cidr;
import io.neighd.wire.Ipv6Address;
import io.neighd.wire.Ipv6Cidr;
import io.neighd.wire.MacAddress;
import io.neighd.wire.RxFrame;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;

/**
 * The engine's inside: the composition of one network namespace as neighd models it — devices
 * (net/core/dev.c), devinet, the FIB, arp_tbl, addrconf, nd_tbl, their timers and counters, the
 * receive path, ICMP, ICMPv6 and the output paths — wired as the kernel wires them, with time entering only
 * through the injected {@link Clock}: {@link #sync()} runs every timer that is due, in deadline
 * order, before anything else happens at that moment.
 *
 * <p>Its methods take the engine's own objects ({@link NetDevice}, {@link Neighbour}): they are
 * for the engine packages and their tests. Everything else reaches the engine through
 * {@link Netlink} (commands and snapshot queries, the way user space reaches the kernel) on the
 * thread that owns it, {@link EngineLoop}'s; ArchUnit rules in the tests keep it that way.
 */
public final class Engine {
    public static final int DEFAULT_HZ = 250;
    public static final int LOOPBACK_IFINDEX = 1;

    private final Clock clock;
    private final Jiffies jiffies;
    private final TimerWheel wheel;
    private final NetDevices devices = new NetDevices();
    private final Devinet devinet;
    private final FibFrontend fib;
    private final IpRoute route;
    private final NeighbourTable<NetDevice> tbl;
    private final ArpStats arpStats = new ArpStats();
    private final ArpSender sender;
    private final LiveArpActions arpActions;
    private final ArpScans scans;
    private final NetifReceive netif;
    private final Ipv4Output output;
    private final Icmp icmp;
    private final Pinger pinger;
    private final Sysctl sysctl;
    private final NeighAdmin admin;
    private final ResolveWaiters waiters = new ResolveWaiters();
    private final EngineEvents events;
    private final Addrconf addrconf;
    private final NeighbourTable<NetDevice> ndTbl;
    private final Ip6Route route6;
    private final Ip6Output output6;
    private final NdiscStats ndiscStats = new NdiscStats();
    private final NdiscSender ndiscSender;
    private final LiveNdiscActions ndiscActions;
    private final Icmpv6Rcv icmp6;
    private final NeighAdmin admin6;
    private final RxFrame rx = new RxFrame();
    private final Netlink netlink;
    private final EngineFaults faults;
    /** The thread that may touch engine state: the constructing one until the engine loop starts. */
    private volatile Thread owner = Thread.currentThread();

    public Engine(Clock clock, RandomGenerator rnd, Transmitter transmitter, int hz) {
        this(clock, rnd, new SplittableRandom(0x6e64), transmitter, hz, McastFilter.NONE);
    }

    /**
     * @param rnd6        the IPv6 side's random source (nd_tbl's reachable_time, DAD delays and
     *                    nonces), apart from the ARP side's so that each can be scripted alone
     * @param mcastFilter where joined IPv6 groups go (the live links' real memberships)
     */
    public Engine(Clock clock, RandomGenerator rnd, RandomGenerator rnd6, Transmitter transmitter, int hz,
                  McastFilter mcastFilter) {
        this.clock = clock;
        this.faults = new EngineFaults(clock::nanos);
        this.jiffies = new Jiffies(hz);
        this.wheel = new TimerWheel(jiffies.fromNanos(clock.nanos()), Engine::expired);
        wheel.onFailure((t, e) -> faults.failed(EngineFaults.Where.TIMER, t.toString(), e));
        transmitter = guarded(transmitter, faults);
        this.devinet = new Devinet(devices, wheel);
        this.fib = new FibFrontend(devices, devinet);
        this.route = new IpRoute(devices, devinet, fib);
        this.sender = new ArpSender(transmitter, arpStats);
        this.events = new EngineEvents(clock, waiters, faults);
        ArpNeighOps ops = new ArpNeighOps(fib, transmitter);
        this.tbl = new NeighbourTable<>(ArpNeighOps.SPEC, jiffies, wheel, rnd, ops, events);
        ArpSolicitor solicitor = new ArpSolicitor(devinet, fib, sender, events);
        this.scans = new ArpScans(solicitor, fib, wheel, jiffies, clock::nanos, events);
        ArpProcessor arp = new ArpProcessor(devinet, fib, route, tbl, scans);
        this.arpActions = new LiveArpActions(tbl, sender, arpStats, scans, events::claimed);
        ops.wire(solicitor, arp, arpActions);
        this.pinger = new Pinger(wheel, jiffies, clock::nanos);
        this.output = new Ipv4Output(route, tbl, l3 -> icmpLoopback(l3));
        this.pinger.setOutput(route, output);
        this.icmp = new Icmp(route, output, pinger);

        // IPv6: addrconf, nd_tbl on the same generic table, ndisc and ICMPv6
        this.addrconf = new Addrconf(devices, wheel, jiffies, rnd6);
        NdiscNeighOps ndOps = new NdiscNeighOps(addrconf, transmitter, events);
        this.ndTbl = new NeighbourTable<>(NdiscNeighOps.SPEC, jiffies, wheel, rnd6, ndOps, events);
        this.route6 = new Ip6Route(devices, addrconf, wheel);
        this.output6 = new Ip6Output(route6, ndTbl, l3 -> icmp6Loopback(l3));
        this.ndiscSender = new NdiscSender(addrconf, output6, ndiscStats);
        addrconf.wire(ndiscSender, ndTbl::allocParms, mcastFilter);
        addrconf.addListener(events);
        NdiscProcessor ndisc = new NdiscProcessor(addrconf, route6, ndTbl);
        this.ndiscActions = new LiveNdiscActions(ndTbl, addrconf, route6, ndiscSender, events::claimed6);
        ndOps.wire(ndiscSender, ndisc, ndiscActions);
        this.icmp6 = new Icmpv6Rcv(addrconf, output6, pinger, ndisc, ndiscStats);
        this.admin6 = new NeighAdmin(ndTbl, d -> Addrconf.idev(d) == null
                || Addrconf.idev(d).cnf().get(Ipv6DevVar.DISABLE_IPV6) != 0 ? "IPv6 is disabled on this device" : null);

        this.netif = new NetifReceive(arp, icmp, new Ip6Input(addrconf, ndTbl), icmp6);
        this.sysctl = new Sysctl(devices, devinet, tbl, addrconf, ndTbl, jiffies);
        this.admin = new NeighAdmin(tbl);
        fib.setNeighbourHooks(new FibFrontend.NeighbourHooks() {
            @Override
            public void arpInvalidate(NetDevice dev, int addr) {
                admin.arpInvalidate(dev, addr);
            }

            @Override
            public void lastAddressRemoved(NetDevice dev) {
                tbl.ifdown(dev);
            }
        });
        devices.addListener((dev, event) -> {
            switch (event) {
                // ipv6_add_dev() on NETDEV_REGISTER, after inetdev_init (devinet's listener)
                case REGISTER -> addrconf.register(dev);
                case UNREGISTER -> {
                    // inetdev_destroy() -> neigh_parms_release(); addrconf_ifdown(dev, 1)
                    if (dev.arpParms() != null) {
                        tbl.releaseParms(dev.arpParms());
                    }
                    io.neighd.ipv6.Inet6Dev idev = Addrconf.idev(dev);
                    addrconf.unregister(dev);
                    if (idev != null) {
                        ndTbl.releaseParms(idev.ndParms());
                    }
                    ndTbl.ifdown(dev);
                    route6.deviceDown(dev);
                }
                case UP, DOWN -> {
                }
            }
        });
        NetDevice lo = devices.register("lo", LOOPBACK_IFINDEX, 0, 65536, true, -1);
        lo.setArpParms(tbl.allocParms(lo));
        devices.setUp(lo, true);
        devices.setCarrier(lo, true);
        devinet.addAddress(lo, Ipv4Cidr.parse("127.0.0.1/8"));
        addrconf.linkChanged(lo);
        tbl.start();
        ndTbl.start();
        this.netlink = new Netlink(this);
    }

    /**
     * dev_queue_xmit() never throws into the neighbour code that sends: a link that fails to send
     * loses the frame (counted), and the update or timer that sent it carries on.
     */
    private static Transmitter guarded(Transmitter link, EngineFaults faults) {
        return (dev, frame) -> {
            try {
                link.transmit(dev, frame);
            } catch (RuntimeException e) {
                faults.failed(EngineFaults.Where.TRANSMIT, "sending on " + dev.name(), e);
            }
        };
    }

    private static void expired(Timed t) {
        if (t instanceof Neighbour<?> n) {
            n.timerExpired();
        } else {
            ((Task) t).run();
        }
    }

    private void icmpLoopback(byte[] l3) {
        icmp.receiveLocal(l3);
    }

    private void icmp6Loopback(byte[] l3) {
        icmp6.receiveLocal(l3);
    }

    // ------------------------------------------------------------------ ownership

    /** From now on only {@code thread} may touch the engine (the engine loop's, when it starts). */
    void handOver(Thread thread) {
        owner = thread;
    }

    /** Fails unless called on the owning thread: the one rule that lets the engine go without locks. */
    void checkOwner() {
        if (Thread.currentThread() != owner) {
            throw new IllegalStateException("engine state is owned by thread '" + owner.getName() + "', not '"
                    + Thread.currentThread().getName() + "'");
        }
    }

    /** The failures the engine caught and survived, by where. */
    public EngineFaults faults() {
        return faults;
    }

    /** The boundary the service reaches the engine through. */
    public Netlink netlink() {
        return netlink;
    }

    // ------------------------------------------------------------------ time

    /** Runs every timer due by the clock's current time. Call before anything that happens "now". */
    public void sync() {
        wheel.advanceTo(jiffies.fromNanos(clock.nanos()));
    }

    public long now() {
        return wheel.now();
    }

    public Jiffies jiffies() {
        return jiffies;
    }

    public Clock clock() {
        return clock;
    }

    /** The clock time (nanos) at which the next timer is due, or -1 if none within {@code horizonJiffies}. */
    public long nextTimerNanos(int horizonJiffies) {
        long j = wheel.nextFireWithin(horizonJiffies);
        return j < 0 ? -1 : jiffies.toNanos(j);
    }

    // ------------------------------------------------------------------ the parts (engine packages and tests)

    public TimerWheel wheel() {
        return wheel;
    }

    public NetDevices devices() {
        return devices;
    }

    public Devinet devinet() {
        return devinet;
    }

    public FibFrontend fib() {
        return fib;
    }

    public IpRoute route() {
        return route;
    }

    public NeighbourTable<NetDevice> table() {
        return tbl;
    }

    public NeighStatistics stats() {
        return tbl.stats();
    }

    /** nd_tbl */
    public NeighbourTable<NetDevice> ndTable() {
        return ndTbl;
    }

    public Addrconf addrconf() {
        return addrconf;
    }

    public Ip6Route route6() {
        return route6;
    }

    public Ip6Output output6() {
        return output6;
    }

    public NdiscStats ndiscStats() {
        return ndiscStats;
    }

    public NeighAdmin admin6() {
        return admin6;
    }

    /** The table of {@code family}: arp_tbl or nd_tbl. */
    public NeighbourTable<NetDevice> table(int family) {
        return family == IpAddress.AF_INET6 ? ndTbl : tbl;
    }

    /** The administrative operations on the table of {@code family}. */
    public NeighAdmin admin(int family) {
        return family == IpAddress.AF_INET6 ? admin6 : admin;
    }

    public ArpStats arpStats() {
        return arpStats;
    }

    public Sysctl sysctl() {
        return sysctl;
    }

    public NeighAdmin admin() {
        return admin;
    }

    public Ipv4Output output() {
        return output;
    }

    public void addListener(EngineListener l) {
        events.add(l);
    }

    public void removeListener(EngineListener l) {
        events.remove(l);
    }

    public NetDevice device(String name) {
        return devices.byName(name);
    }

    // ------------------------------------------------------------------ devices

    /** register_netdevice (down, no carrier) + inetdev_init + neigh_parms_alloc for arp_tbl. */
    public NetDevice addDevice(String name, int ifindex, MacAddress mac, int mtu, int vlan) {
        NetDevice d = devices.register(name, ifindex, mac.bits(), mtu, false, vlan);
        d.setArpParms(tbl.allocParms(d));
        arpStats.of(d.ifindex());
        return d;
    }

    /**
     * NETDEV_UP (arp_notify's gratuitous ARP; addrconf: the link-local address and DAD once the
     * link is ready; ndisc_notify's unsolicited NAs) / NETDEV_DOWN (arp_ifdown, addrconf_ifdown,
     * neigh_ifdown of nd_tbl: every entry and proxy goes).
     */
    public void setUp(NetDevice dev, boolean up) {
        if (dev.isUp() == up) {
            return;
        }
        devices.setUp(dev, up);
        if (up) {
            if (dev.inDevConf(DevVar.ARP_NOTIFY) != 0) {
                gratuitous(dev);
            }
            addrconf.up(dev);
            ndiscNotify(dev);
        } else {
            tbl.ifdown(dev);
            addrconf.down(dev);
            ndTbl.ifdown(dev);
            route6.deviceDown(dev);
        }
    }

    /** ndisc_netdev_event() on NETDEV_UP and NETDEV_CHANGEADDR: unsolicited NAs if ndisc_notify. */
    private void ndiscNotify(NetDevice dev) {
        io.neighd.ipv6.Inet6Dev idev = Addrconf.idev(dev);
        if (idev != null && addrconf.ndiscNotify(idev)) {
            ndiscSender.sendUnsolicitedNa(dev);
        }
    }

    /** NETDEV_CHANGE on carrier: losing it evicts per arp_evict_nocarrier (neigh_carrier_down). */
    public int setCarrier(NetDevice dev, boolean carrier) {
        if (dev.hasCarrier() == carrier) {
            return 0;
        }
        devices.setCarrier(dev, carrier);
        int evicted = 0;
        if (!carrier && dev.inDevConf(DevVar.ARP_EVICT_NOCARRIER) != 0) {
            evicted = tbl.carrierDown(dev);
        }
        // addrconf_notify(NETDEV_CHANGE): the link may have become ready
        addrconf.linkChanged(dev);
        // ndisc_netdev_event(NETDEV_CHANGE): ndisc_evict_nocarrier of the device and all
        io.neighd.ipv6.Inet6Dev idev = Addrconf.idev(dev);
        boolean evict6 = idev == null || idev.cnf().get(Ipv6DevVar.NDISC_EVICT_NOCARRIER) != 0
                && addrconf.all().get(Ipv6DevVar.NDISC_EVICT_NOCARRIER) != 0;
        if (!carrier && evict6) {
            evicted += ndTbl.carrierDown(dev);
        }
        return evicted;
    }

    /** NETDEV_CHANGEADDR: neigh_changeaddr (all of the device's entries, PERMANENT too), then arp_notify. */
    public void setHwAddr(NetDevice dev, MacAddress mac) {
        if (dev.hwAddr() == mac.bits()) {
            return;
        }
        devices.setHwAddr(dev, mac.bits());
        tbl.changeAddr(dev);
        if (dev.isUp() && dev.inDevConf(DevVar.ARP_NOTIFY) != 0) {
            gratuitous(dev);
        }
        // ndisc_netdev_event(NETDEV_CHANGEADDR): neigh_changeaddr, then as NETDEV_UP
        ndTbl.changeAddr(dev);
        ndiscNotify(dev);
    }

    /** NETDEV_CHANGE with IFF_NOARP toggled: neigh_changeaddr. */
    public void setNoarp(NetDevice dev, boolean noarp) {
        if (dev.isNoarp() == noarp) {
            return;
        }
        devices.setNoarp(dev, noarp);
        tbl.changeAddr(dev);
        ndTbl.changeAddr(dev);
    }

    /** {@code ip addr add CIDR dev DEV} */
    public Result<InIfAddr> addAddress(NetDevice dev, Ipv4Cidr cidr) {
        return devinet.addAddress(dev, cidr);
    }

    /** {@code ip addr add CIDR dev DEV scope SCOPE} */
    public Result<InIfAddr> addAddress(NetDevice dev, Ipv4Cidr cidr, int scope) {
        return devinet.addAddress(dev, InIfAddr.of(cidr, scope));
    }

    /**
     * {@code ip addr add|replace CIDR dev DEV valid_lft ...}: an address that goes when the clock
     * reaches {@code validUntilNanos} (see {@link Devinet#addAddress(NetDevice, InIfAddr, long, boolean)}).
     */
    public Result<InIfAddr> addAddress(NetDevice dev, Ipv4Cidr cidr, long validUntilNanos, boolean replace) {
        return devinet.addAddress(dev, InIfAddr.of(cidr), jiffies.fromNanos(validUntilNanos), replace);
    }

    /** {@code ip addr del ADDR dev DEV} */
    public Result<InIfAddr> deleteAddress(NetDevice dev, Ipv4Address addr) {
        return devinet.deleteAddress(dev, addr.bits());
    }

    /** NETDEV_NOTIFY_PEERS: a gratuitous request for every address, whatever arp_notify says. */
    public int announce(NetDevice dev) {
        return gratuitous(dev);
    }

    /**
     * {@code arping -c 1 -U|-A -I DEV ADDR}: one gratuitous ARP for {@code addr} to broadcast, a
     * request (sender = target, target MAC zero) or a reply (target MAC = sender MAC, which
     * arp_is_garp() asks of a reply). arping refuses a device that is down or not ARPable, and a
     * source address it cannot bind (EADDRNOTAVAIL); neighd sends only for an address of the
     * device itself, so a frame queued behind the address's removal is refused, not sent.
     */
    public Result<Void> garp(NetDevice dev, Ipv4Address addr, int op) {
        if (op != ArpOp.OP_REQUEST && op != ArpOp.OP_REPLY) {
            return Result.error(Errno.EINVAL, "a gratuitous ARP is a request or a reply, not " + ArpOp.of(op));
        }
        if (!dev.isUp()) {
            return Result.error(Errno.ENETDOWN, "interface " + dev.name() + " is down");
        }
        if (dev.isNoarp() || dev.isLoopback()) {
            return Result.error(Errno.EINVAL, "interface " + dev.name() + " is not ARPable");
        }
        if (dev.addresses().stream().noneMatch(a -> a.local() == addr.bits())) {
            return Result.error(Errno.EADDRNOTAVAIL, addr + " is not an address of " + dev.name());
        }
        long mac = dev.hwAddr();
        boolean reply = op == ArpOp.OP_REPLY;
        sender.send(ArpPacket.frame(op, dev.broadcastHw(), mac, dev.vlan(), mac, addr.bits(), reply ? mac : 0,
                addr.bits()), dev, TxKind.GRATUITOUS);
        return Result.ok(null);
    }

    /** NETDEV_NOTIFY_PEERS on the IPv6 side: ndisc_send_unsol_na(); how many were sent. */
    public int announce6(NetDevice dev) {
        return ndiscSender.sendUnsolicitedNa(dev);
    }

    /** {@code ip -6 addr add CIDR dev DEV [nodad]} */
    public Result<Inet6Ifaddr> addAddress6(NetDevice dev, Ipv6Cidr cidr, boolean nodad) {
        return addrconf.addAddress(dev, cidr, nodad ? Inet6Ifaddr.F_NODAD : 0);
    }

    /**
     * {@code ip -6 addr add|replace CIDR dev DEV valid_lft ... [nodad]}: an address that goes when
     * the clock reaches {@code validUntilNanos} (see {@link Addrconf#addAddress(NetDevice,
     * Ipv6Cidr, int, long, boolean)}).
     */
    public Result<Inet6Ifaddr> addAddress6(NetDevice dev, Ipv6Cidr cidr, boolean nodad, long validUntilNanos,
                                           boolean replace) {
        return addrconf.addAddress(dev, cidr, nodad ? Inet6Ifaddr.F_NODAD : 0, jiffies.fromNanos(validUntilNanos),
                replace);
    }

    /**
     * One unsolicited neighbour advertisement for {@code addr}, as ndisc_send_unsol_na() sends
     * each: to all nodes, solicited clear, override set, router as the interface forwards, with
     * the target link-layer address option. ENETDOWN if the device is down; EADDRNOTAVAIL unless
     * the address is the device's own and past DAD (a tentative one is skipped there too), so an
     * advertisement queued behind the address's removal is refused, not sent.
     */
    public Result<Void> unsolicitedNa(NetDevice dev, Ipv6Address addr) {
        if (!dev.isUp()) {
            return Result.error(Errno.ENETDOWN, "interface " + dev.name() + " is down");
        }
        Inet6Ifaddr ifa = addrconf.getIfaddr(addr.hi(), addr.lo(), dev, true);
        if (ifa == null || ifa.idev().dev() != dev || ifa.isTentative() && (ifa.flags() & Inet6Ifaddr.F_OPTIMISTIC) == 0) {
            return Result.error(Errno.EADDRNOTAVAIL, addr + " is not a valid address of " + dev.name());
        }
        ndiscSender.sendNa(dev, Ipv6Address.ALL_NODES, addr, ifa.idev().cnf().get(Ipv6DevVar.FORWARDING) != 0, false,
                true, true);
        return Result.ok(null);
    }

    /** {@code ip -6 addr del ADDR dev DEV} */
    public Result<Inet6Ifaddr> deleteAddress6(NetDevice dev, Ipv6Address addr) {
        return addrconf.deleteAddress(dev, addr);
    }

    /** inetdev_send_gratuitous_arp(): a request with sender = target = each address, to broadcast. */
    private int gratuitous(NetDevice dev) {
        int n = 0;
        for (InIfAddr ifa : List.copyOf(dev.addresses())) {
            sender.send(ArpPacket.frame(ArpOp.OP_REQUEST, dev.broadcastHw(), dev.hwAddr(), dev.vlan(), dev.hwAddr(),
                    ifa.local(), 0, ifa.local()), dev, TxKind.GRATUITOUS);
            n++;
        }
        return n;
    }

    /** {@code ip route add SPEC} */
    public Result<Route> addRoute(RouteSpec spec) {
        return fib.addRoute(spec);
    }

    /** {@code ip route del PREFIX} */
    public List<Route> deleteRoutes(Ipv4Cidr dst) {
        return fib.deleteRoutes(dst);
    }

    // ------------------------------------------------------------------ frames

    /**
     * A frame received on {@code dev} now. Never throws: the reason says what became of it, and a
     * frame whose handling failed (a defect) is dropped as {@link Reason#ENGINE_FAILURE}, counted
     * and logged, without costing the frames, timers and commands around it.
     */
    public Reason receive(NetDevice dev, byte[] data, int length) {
        Reason r;
        try {
            r = netif.receive(dev, data, length, rx, arpActions, icmp.live(), ndiscActions, icmp6.live(), null);
        } catch (RuntimeException e) {
            faults.failed(EngineFaults.Where.FRAME, "a frame of " + length + " bytes on " + dev.name(), e);
            r = Reason.ENGINE_FAILURE;
        }
        int family = rx.etherType == EtherType.IPV6 ? IpAddress.AF_INET6 : IpAddress.AF_INET;
        if (family == IpAddress.AF_INET6) {
            ndiscStats.of(dev.ifindex()).countReason(r);
        } else {
            arpStats.of(dev.ifindex()).countReason(r);
        }
        for (EngineListener l : events.listeners()) {
            try {
                l.frame(dev.id(), family, r);
            } catch (RuntimeException e) {
                faults.failed(EngineFaults.Where.LISTENER, l.getClass().getName(), e);
            }
        }
        return r;
    }

    /** The receive path's decision for {@code frame}, taken on the same path, acting on nothing. */
    public Explanation explain(NetDevice dev, byte[] frame) {
        Explainer ex = new Explainer(tbl, ndTbl);
        RxFrame f = new RxFrame();
        Reason r = netif.receive(dev, frame, frame.length, f, ex, ex, ex, ex, ex);
        ArpMessage msg = null;
        if (f.length >= EthernetFrame.HEADER && f.etherType == EtherType.ARP) {
            try {
                msg = ArpMessage.parse(frame, f.l3, frame.length - f.l3);
            } catch (IllegalArgumentException malformed) {
                // the steps say what is wrong with it
            }
        }
        return new Explanation(dev.name(), msg, r, r.kind(), ex.steps());
    }

    // ------------------------------------------------------------------ neighbours

    /**
     * Resolution as outbound traffic would start it (ip_neigh_for_gw / ip6_finish_output2 +
     * neigh_event_send), telling {@code done} once the entry is VALID or FAILED, or is removed.
     */
    public void resolve(NetDevice dev, IpAddress ip, Consumer<ResolveOutcome> done) {
        NeighbourTable<NetDevice> t = table(ip.family());
        if (ip.family() == IpAddress.AF_INET6 && Addrconf.idev(dev) == null) {
            done.accept(ResolveOutcome.TABLE_FULL);
            return;
        }
        Neighbour<NetDevice> n = t.lookupNoref(dev, ip.hi(), ip.lo());
        if (n == null) {
            n = t.create(dev, ip.hi(), ip.lo());
            if (n == null) {
                done.accept(ResolveOutcome.TABLE_FULL);
                return;
            }
        }
        t.eventSend(n, null);
        if ((n.state() & NudState.NUD_VALID) != 0) {
            done.accept(ResolveOutcome.VALID);
        } else if (n.state() == NudState.NUD_FAILED) {
            done.accept(ResolveOutcome.FAILED);
        } else if (n.isDead()) {
            done.accept(ResolveOutcome.GONE);
        } else {
            waiters.add(n, done);
        }
    }

    /**
     * Starts a scan of {@code cidr} on {@code dev} ({@link ArpScans#start}); {@code done} is told
     * its result on the engine thread when it ends.
     */
    public Result<Integer> scan(NetDevice dev, Ipv4Cidr cidr, int rate, int retries, long timeoutMs,
                                Consumer<ScanResult> done) {
        return scans.start(dev, cidr, rate, retries, timeoutMs, done);
    }

    public ArpScans scans() {
        return scans;
    }

    public void resolve(NetDevice dev, int ip, Consumer<ResolveOutcome> done) {
        resolve(dev, new Ipv4Address(ip), done);
    }

    public NeighSnapshot neighbour(NetDevice dev, IpAddress ip) {
        NeighbourTable<NetDevice> t = table(ip.family());
        Neighbour<NetDevice> n = t.lookupNoref(dev, ip.hi(), ip.lo());
        return n == null ? null : t.snapshot(n);
    }

    public NeighSnapshot neighbour(NetDevice dev, int ip) {
        return neighbour(dev, new Ipv4Address(ip));
    }

    /**
     * ip neigh show: entries whose state is in {@code stateMask} (bit 0x100 selects NONE), and
     * extern_learn ones, of {@code family} (0 for both, as {@code ip neigh} without -4/-6).
     */
    public List<NeighSnapshot> neighbours(NetDevice dev, int stateMask, int family) {
        List<NeighSnapshot> out = new ArrayList<>();
        for (NeighbourTable<NetDevice> t : tables(family)) {
            t.forEach(n -> {
                if ((dev == null || n.dev() == dev) && NeighAdmin.matches(n, stateMask)) {
                    out.add(t.snapshot(n));
                }
            });
        }
        return out;
    }

    /**
     * A slice of a dump of every table (every state): arp_tbl's buckets, then nd_tbl's, as
     * neigh_dump_info() walks neigh_tables in order. {@code position} is a table's bucket, with
     * the table's index above {@link #DUMP_BUCKET_BITS} bits; see {@link NeighbourTable#forEachFrom}.
     * The tables' resize count tells the caller whether the slices still line up.
     */
    public DumpSlice neighboursFrom(int position, int atLeast) {
        List<NeighSnapshot> out = new ArrayList<>(atLeast + 16);
        List<NeighbourTable<NetDevice>> all = tables(0);
        int which = position >>> DUMP_BUCKET_BITS;
        int bucket = position & ((1 << DUMP_BUCKET_BITS) - 1);
        long resizes = tbl.stats().hashGrows + ndTbl.stats().hashGrows;
        while (which < all.size()) {
            NeighbourTable<NetDevice> t = all.get(which);
            int next = t.forEachFrom(bucket, Math.max(1, atLeast - out.size()), n -> out.add(t.snapshot(n)));
            if (next >= 0) {
                return new DumpSlice(out, which << DUMP_BUCKET_BITS | next, resizes);
            }
            which++;
            bucket = 0;
            if (out.size() >= atLeast) {
                return new DumpSlice(out, which < all.size() ? which << DUMP_BUCKET_BITS : -1, resizes);
            }
        }
        return new DumpSlice(out, -1, resizes);
    }

    /** Bits of a dump position that are a bucket index (a table never has more buckets). */
    static final int DUMP_BUCKET_BITS = 28;

    /** Entries of a slice of the tables; {@code next} is -1 after the last; {@code resizes} the tables' count. */
    public record DumpSlice(List<NeighSnapshot> entries, int next, long resizes) {
    }

    public List<NeighSnapshot> neighbours(NetDevice dev, int stateMask) {
        return neighbours(dev, stateMask, 0);
    }

    /** The tables of {@code family}: both for 0. */
    List<NeighbourTable<NetDevice>> tables(int family) {
        return family == IpAddress.AF_INET ? List.of(tbl) : family == IpAddress.AF_INET6 ? List.of(ndTbl)
                : List.of(tbl, ndTbl);
    }

    /**
     * Starts a ping; {@code done} runs on the engine thread.
     *
     * @param dev the interface a link-local or multicast IPv6 destination needs, or null
     */
    public void ping(IpAddress dst, NetDevice dev, int count, long intervalMs, long timeoutMs, int payloadBytes,
                     Consumer<Pinger.Result> done) {
        pinger.ping(dst, dev, count, intervalMs, timeoutMs, payloadBytes, done);
    }

    public void ping(Ipv4Address dst, int count, long intervalMs, long timeoutMs, int payloadBytes,
                     Consumer<Pinger.Result> done) {
        ping(dst, null, count, intervalMs, timeoutMs, payloadBytes, done);
    }

    /** dst_confirm_neigh() from an upper layer: the neighbour used to reach {@code dst} answered. */
    public boolean confirm(Ipv4Address dst) {
        return output.confirm(dst.bits());
    }

    /**
     * The next hop's entry for {@code dst}, as {@code ip route get} then {@code ip neigh get}
     * find it (out of {@code dev} for a scoped IPv6 destination), or null.
     */
    public NeighSnapshot nexthopNeighbour(IpAddress dst, NetDevice dev) {
        if (dst instanceof Ipv6Address a) {
            Ip6Route.Route r = route6.output(a.hi(), a.lo(), dev);
            return r == null || r.local() ? null : neighbour(r.dev(), r.nexthop());
        }
        int d = ((Ipv4Address) dst).bits();
        Route r = route.routeOutput(d);
        if (r == null || r.dev() == null) {
            return null;
        }
        return neighbour(r.dev(), r.gateway() != 0 ? r.gateway() : d);
    }

    // ------------------------------------------------------------------ snapshots

    /** /proc/net/stat/arp_cache (or ndisc_cache) and the table's size now. */
    public TableStats tableStats(NeighbourTable<NetDevice> t) {
        NeighStatistics st = t.stats();
        return new TableStats(t.id(), t.entries(), st.allocs, st.destroys, st.hashGrows, st.lookups, st.hits,
                st.resFailed, st.rcvProbesMcast, st.rcvProbesUcast, st.periodicGcRuns, st.forcedGcRuns,
                st.unresDiscards, st.tableFulls, t.gcThresh1(), t.gcThresh2(), t.gcThresh3(),
                t.proxyQueueLength());
    }

    public TableStats tableStats() {
        return tableStats(tbl);
    }

    /** The counters of {@code dev} now. */
    public InterfaceStats interfaceStats(NetDevice dev) {
        io.neighd.ipv6.Inet6Dev idev = Addrconf.idev(dev);
        return new InterfaceStats(dev.id(), arpStats.peek(dev.ifindex()), dev.arpParms(),
                ndiscStats.peek(dev.ifindex()), idev == null ? null : idev.ndParms(), addrconf.addresses(dev));
    }

    /** Everything a metrics scrape reads, copied now (engine thread); loopback left out. */
    public EngineSnapshot snapshot() {
        List<InterfaceStats> ifs = new ArrayList<>();
        for (NetDevice d : devices.all()) {
            if (!d.isLoopback()) {
                ifs.add(interfaceStats(d));
            }
        }
        return new EngineSnapshot(clock.nanos(), tableStats(tbl), tableStats(ndTbl), ifs);
    }
}
