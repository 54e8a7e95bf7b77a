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
import io.neighd.wire.Ipv4Address;
import io.neighd.wire.Ipv4Cidr;
import io.neighd.wire.MacAddress;
import io.neighd.wire.RxFrame;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;

/**
 * The engine's inside: the composition of one network namespace as neighd models it — devices
 * (net/core/dev.c), devinet, the FIB, the ARP table with its timers and counters, the receive
 * path, ICMP and the output path — wired as the kernel wires them, with time entering only
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
    private final RxFrame rx = new RxFrame();
    private final Netlink netlink;
    private final EngineFaults faults;
    /** The thread that may touch engine state: the constructing one until the engine loop starts. */
    private volatile Thread owner = Thread.currentThread();

    public Engine(Clock clock, RandomGenerator rnd, Transmitter transmitter, int hz) {
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
        events.attach(tbl);
        ArpSolicitor solicitor = new ArpSolicitor(devinet, fib, sender, events);
        this.scans = new ArpScans(solicitor, fib, wheel, jiffies, clock::nanos, events);
        ArpProcessor arp = new ArpProcessor(devinet, fib, route, tbl, scans);
        this.arpActions = new LiveArpActions(tbl, sender, arpStats, scans, events::claimed);
        ops.wire(solicitor, arp, arpActions);
        this.pinger = new Pinger(route, wheel, jiffies, clock::nanos);
        this.output = new Ipv4Output(route, tbl, l3 -> icmpLoopback(l3));
        this.pinger.setOutput(output);
        this.icmp = new Icmp(route, output, pinger);
        this.netif = new NetifReceive(arp, icmp);
        this.sysctl = new Sysctl(devices, devinet, tbl, jiffies);
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
        // inetdev_destroy() -> neigh_parms_release()
        devices.addListener((dev, event) -> {
            if (event == NetDevices.Event.UNREGISTER && dev.arpParms() != null) {
                tbl.releaseParms(dev.arpParms());
            }
        });
        NetDevice lo = devices.register("lo", LOOPBACK_IFINDEX, 0, 65536, true, -1);
        lo.setArpParms(tbl.allocParms(lo));
        devices.setUp(lo, true);
        devices.setCarrier(lo, true);
        devinet.addAddress(lo, Ipv4Cidr.parse("127.0.0.1/8"));
        tbl.start();
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

    /** NETDEV_UP (arp_notify's gratuitous ARP) / NETDEV_DOWN (arp_ifdown: every entry and proxy goes). */
    public void setUp(NetDevice dev, boolean up) {
        if (dev.isUp() == up) {
            return;
        }
        devices.setUp(dev, up);
        if (up) {
            if (dev.inDevConf(DevVar.ARP_NOTIFY) != 0) {
                gratuitous(dev);
            }
        } else {
            tbl.ifdown(dev);
        }
    }

    /** NETDEV_CHANGE on carrier: losing it evicts per arp_evict_nocarrier (neigh_carrier_down). */
    public int setCarrier(NetDevice dev, boolean carrier) {
        if (dev.hasCarrier() == carrier) {
            return 0;
        }
        devices.setCarrier(dev, carrier);
        if (!carrier && dev.inDevConf(DevVar.ARP_EVICT_NOCARRIER) != 0) {
            return tbl.carrierDown(dev);
        }
        return 0;
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
    }

    /** NETDEV_CHANGE with IFF_NOARP toggled: neigh_changeaddr. */
    public void setNoarp(NetDevice dev, boolean noarp) {
        if (dev.isNoarp() == noarp) {
            return;
        }
        devices.setNoarp(dev, noarp);
        tbl.changeAddr(dev);
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
            r = netif.receive(dev, data, length, rx, arpActions, icmp.live(), null);
        } catch (RuntimeException e) {
            faults.failed(EngineFaults.Where.FRAME, "a frame of " + length + " bytes on " + dev.name(), e);
            r = Reason.ENGINE_FAILURE;
        }
        arpStats.of(dev.ifindex()).countReason(r);
        for (EngineListener l : events.listeners()) {
            try {
                l.frame(dev.id(), r);
            } catch (RuntimeException e) {
                faults.failed(EngineFaults.Where.LISTENER, l.getClass().getName(), e);
            }
        }
        return r;
    }

    /** The receive path's decision for {@code frame}, taken on the same path, acting on nothing. */
    public Explanation explain(NetDevice dev, byte[] frame) {
        Explainer ex = new Explainer(tbl);
        RxFrame f = new RxFrame();
        Reason r = netif.receive(dev, frame, frame.length, f, ex, ex, ex);
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
     * Resolution as outbound traffic would start it (ip_neigh_for_gw + neigh_event_send), telling
     * {@code done} once the entry is VALID or FAILED, or is removed.
     */
    public void resolve(NetDevice dev, int ip, Consumer<ResolveOutcome> done) {
        Neighbour<NetDevice> n = tbl.lookupNoref(dev, ip);
        if (n == null) {
            n = tbl.create(dev, ip);
            if (n == null) {
                done.accept(ResolveOutcome.TABLE_FULL);
                return;
            }
        }
        tbl.eventSend(n, null);
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

    public NeighSnapshot neighbour(NetDevice dev, int ip) {
        Neighbour<NetDevice> n = tbl.lookupNoref(dev, ip);
        return n == null ? null : tbl.snapshot(n);
    }

    /** ip neigh show: entries whose state is in {@code stateMask} (bit 0x100 selects NONE), and extern_learn ones. */
    public List<NeighSnapshot> neighbours(NetDevice dev, int stateMask) {
        List<NeighSnapshot> out = new ArrayList<>();
        tbl.forEach(n -> {
            if ((dev == null || n.dev() == dev) && NeighAdmin.matches(n, stateMask)) {
                out.add(tbl.snapshot(n));
            }
        });
        return out;
    }

    /**
     * A slice of the whole table (every state), for a dump cut into parts: see
     * {@link NeighbourTable#forEachFrom}. The table's resize count tells the caller whether the
     * slices still line up.
     */
    public DumpSlice neighboursFrom(int bucket, int atLeast) {
        List<NeighSnapshot> out = new ArrayList<>(atLeast + 16);
        int next = tbl.forEachFrom(bucket, atLeast, n -> out.add(tbl.snapshot(n)));
        return new DumpSlice(out, next, tbl.stats().hashGrows);
    }

    /** Entries of a slice of the table; {@code next} is -1 after the last; {@code resizes} the table's count. */
    public record DumpSlice(List<NeighSnapshot> entries, int next, long resizes) {
    }

    /** Starts a ping; {@code done} runs on the engine thread. */
    public void ping(Ipv4Address dst, int count, long intervalMs, long timeoutMs, int payloadBytes,
                     Consumer<Pinger.Result> done) {
        pinger.ping(dst.bits(), count, intervalMs, timeoutMs, payloadBytes, done);
    }

    /** dst_confirm_neigh() from an upper layer: the neighbour used to reach {@code dst} answered. */
    public boolean confirm(Ipv4Address dst) {
        return output.confirm(dst.bits());
    }

    // ------------------------------------------------------------------ snapshots

    /** /proc/net/stat/arp_cache and the table's size now. */
    public TableStats tableStats() {
        NeighStatistics st = tbl.stats();
        return new TableStats(tbl.id(), tbl.entries(), st.allocs, st.destroys, st.hashGrows, st.lookups, st.hits,
                st.resFailed, st.rcvProbesMcast, st.rcvProbesUcast, st.periodicGcRuns, st.forcedGcRuns,
                st.unresDiscards, st.tableFulls, tbl.gcThresh1(), tbl.gcThresh2(), tbl.gcThresh3(),
                tbl.proxyQueueLength());
    }

    /** The counters of {@code dev} now. */
    public InterfaceStats interfaceStats(NetDevice dev) {
        return new InterfaceStats(dev.id(), arpStats.peek(dev.ifindex()), dev.arpParms());
    }

    /** Everything a metrics scrape reads, copied now (engine thread); loopback left out. */
    public EngineSnapshot snapshot() {
        List<InterfaceStats> ifs = new ArrayList<>();
        for (NetDevice d : devices.all()) {
            if (!d.isLoopback()) {
                ifs.add(interfaceStats(d));
            }
        }
        return new EngineSnapshot(clock.nanos(), tableStats(), ifs);
    }
}
