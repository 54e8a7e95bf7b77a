package io.neighd.engine;

import io.neighd.arp.ArpNeighOps;
import io.neighd.arp.ArpProcessor;
import io.neighd.arp.ArpSender;
import io.neighd.arp.ArpSolicitor;
import io.neighd.arp.ArpStats;
import io.neighd.arp.Reason;
import io.neighd.arp.TxKind;
import io.neighd.ip.DevVar;
import io.neighd.ip.Icmp;
import io.neighd.ip.InIfAddr;
import io.neighd.ip.Ipv4Output;
import io.neighd.ip.Net;
import io.neighd.ip.NetDevice;
import io.neighd.ip.Pinger;
import io.neighd.ip.Route;
import io.neighd.ip.RouteSpec;
import io.neighd.ip.Transmitter;
import io.neighd.neighbour.NeighObserver;
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
import io.neighd.wire.ArpPacket;
import io.neighd.wire.EtherType;
import io.neighd.wire.FrameDecoder;
import io.neighd.wire.FrameError;
import io.neighd.wire.Ipv4Address;
import io.neighd.wire.Ipv4Cidr;
import io.neighd.wire.MacAddress;
import io.neighd.wire.RxFrame;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;

/**
 * The neighbour engine: one instance owns the devices, the FIB, the ARP table, its timers and
 * counters, and must be driven by one thread at a time (the {@link EngineLoop}'s, or a test's).
 * Time enters only through the injected {@link Clock}: {@link #sync()} runs every timer that is
 * due, in deadline order, before anything else happens at that moment.
 */
public final class Engine {
    public static final int DEFAULT_HZ = 250;
    public static final int LOOPBACK_IFINDEX = 1;

    private final Clock clock;
    private final Jiffies jiffies;
    private final TimerWheel wheel;
    private final Net net = new Net();
    private final NeighbourTable tbl;
    private final ArpStats arpStats = new ArpStats();
    private final ArpProcessor arp;
    private final ArpSender sender;
    private final Ipv4Output output;
    private final Icmp icmp;
    private final Pinger pinger;
    private final Sysctl sysctl;
    private final NeighAdmin admin;
    private final RxFrame rx = new RxFrame();
    private final List<EngineListener> listeners = new CopyOnWriteArrayList<>();
    private final Map<Neighbour, Long> resolvingSince = new HashMap<>();
    private final Map<Neighbour, List<Consumer<ResolveOutcome>>> waiters = new HashMap<>();
    private long eventSeq;

    /** How a resolution request ended. */
    public enum ResolveOutcome { VALID, FAILED, GONE, TABLE_FULL }

    public Engine(Clock clock, RandomGenerator rnd, Transmitter transmitter, int hz) {
        this.clock = clock;
        this.jiffies = new Jiffies(hz);
        this.wheel = new TimerWheel(jiffies.fromNanos(clock.nanos()), this::expired);
        this.sender = new ArpSender(transmitter, arpStats);
        ArpNeighOps ops = new ArpNeighOps(net, transmitter);
        Observer observer = new Observer();
        this.tbl = new NeighbourTable(jiffies, wheel, rnd, ops, observer);
        ArpSolicitor solicitor = new ArpSolicitor(net, sender, observer);
        this.arp = new ArpProcessor(net, tbl, sender);
        ops.wire(solicitor, arp);
        this.pinger = new Pinger(net, wheel, jiffies, clock::nanos);
        this.output = new Ipv4Output(net, tbl, this::loopback);
        this.pinger.setOutput(output);
        this.icmp = new Icmp(net, output, pinger);
        this.sysctl = new Sysctl(net, tbl, jiffies);
        this.admin = new NeighAdmin(tbl);
        net.setListener(new Net.Listener() {
            @Override
            public void arpInvalidate(NetDevice dev, int addr) {
                admin.arpInvalidate(dev, addr);
            }

            @Override
            public void lastAddressRemoved(NetDevice dev) {
                tbl.ifdown(dev);
            }
        });
        NetDevice lo = net.register("lo", LOOPBACK_IFINDEX, 0, 65536, true, -1);
        lo.setArpParms(tbl.allocParms(lo));
        net.setUp(lo, true);
        net.setCarrier(lo, true);
        net.addAddress(lo, Ipv4Cidr.parse("127.0.0.1/8"));
        tbl.start();
    }

    private void expired(Timed t) {
        if (t instanceof Neighbour n) {
            tbl.timerHandler(n);
        } else {
            ((Task) t).run();
        }
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

    public TimerWheel wheel() {
        return wheel;
    }

    // ------------------------------------------------------------------ accessors

    public Net net() {
        return net;
    }

    public NeighbourTable table() {
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

    /** Who is told of received frames claiming one of this host's addresses from another MAC. */
    public void setClaimObserver(io.neighd.arp.ClaimObserver o) {
        arp.setClaimObserver(o);
    }

    public void addListener(EngineListener l) {
        listeners.add(l);
    }

    public void removeListener(EngineListener l) {
        listeners.remove(l);
    }

    public NetDevice device(String name) {
        return net.device(name);
    }

    // ------------------------------------------------------------------ devices

    /** Registers an interface (down, no carrier): register_netdevice + inetdev_init + neigh_parms_alloc. */
    public NetDevice addDevice(String name, int ifindex, MacAddress mac, int mtu, int vlan) {
        NetDevice d = net.register(name, ifindex, mac.bits(), mtu, false, vlan);
        d.setArpParms(tbl.allocParms(d));
        return d;
    }

    /** NETDEV_UP (arp_notify's gratuitous ARP) / NETDEV_DOWN (arp_ifdown: every entry and proxy goes). */
    public void setUp(NetDevice dev, boolean up) {
        if (dev.isUp() == up) {
            return;
        }
        net.setUp(dev, up);
        if (up) {
            if (net.conf(dev, DevVar.ARP_NOTIFY) != 0) {
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
        net.setCarrier(dev, carrier);
        if (!carrier && net.conf(dev, DevVar.ARP_EVICT_NOCARRIER) != 0) {
            return tbl.carrierDown(dev);
        }
        return 0;
    }

    /** NETDEV_CHANGEADDR: neigh_changeaddr (all of the device's entries, PERMANENT too), then arp_notify. */
    public void setHwAddr(NetDevice dev, MacAddress mac) {
        if (dev.hwAddr() == mac.bits()) {
            return;
        }
        net.setHwAddr(dev, mac.bits());
        tbl.changeAddr(dev);
        if (dev.isUp() && net.conf(dev, DevVar.ARP_NOTIFY) != 0) {
            gratuitous(dev);
        }
    }

    /** NETDEV_CHANGE with IFF_NOARP toggled: neigh_changeaddr. */
    public void setNoarp(NetDevice dev, boolean noarp) {
        if (dev.isNoarp() == noarp) {
            return;
        }
        net.setNoarp(dev, noarp);
        tbl.changeAddr(dev);
    }

    public InIfAddr addAddress(NetDevice dev, Ipv4Cidr cidr) {
        return net.addAddress(dev, cidr);
    }

    /** {@code ip addr add CIDR dev DEV scope SCOPE} */
    public InIfAddr addAddress(NetDevice dev, Ipv4Cidr cidr, int scope) {
        return net.addAddress(dev, InIfAddr.of(cidr, scope));
    }

    public boolean deleteAddress(NetDevice dev, Ipv4Address addr) {
        return net.deleteAddress(dev, addr.bits());
    }

    /** NETDEV_NOTIFY_PEERS: a gratuitous request for every address, whatever arp_notify says. */
    public int announce(NetDevice dev) {
        return gratuitous(dev);
    }

    /**
     * One gratuitous ARP for {@code addr} to broadcast, as arping sends them: a request
     * ({@code arping -U}: sender = target, target MAC zero) or a reply ({@code arping -A}: target
     * MAC = sender MAC, which arp_is_garp() requires of a reply). For elected addresses and
     * conflict defence (RFC 5227 §2.4); Linux sends these only from arping.
     */
    public void sendGratuitous(NetDevice dev, Ipv4Address addr, boolean reply) {
        long mac = dev.hwAddr();
        sender.send(ArpPacket.frame(reply ? 2 : 1, dev.broadcastHw(), mac, dev.vlan(), mac, addr.bits(),
                reply ? mac : 0, addr.bits()), dev, TxKind.GRATUITOUS);
    }

    /** inetdev_send_gratuitous_arp(): a request with sender = target = each address, to broadcast. */
    private int gratuitous(NetDevice dev) {
        int n = 0;
        for (InIfAddr ifa : List.copyOf(dev.addresses())) {
            sender.send(ArpPacket.frame(1, dev.broadcastHw(), dev.hwAddr(), dev.vlan(), dev.hwAddr(), ifa.local(), 0,
                    ifa.local()), dev, TxKind.GRATUITOUS);
            n++;
        }
        return n;
    }

    public Route addRoute(RouteSpec spec) {
        return net.addRoute(spec);
    }

    public List<Route> deleteRoutes(Ipv4Cidr dst) {
        return net.deleteRoutes(dst);
    }

    // ------------------------------------------------------------------ frames

    /** A frame received on {@code dev} now. Never throws on bad input: the reason says what happened. */
    public Reason receive(NetDevice dev, byte[] data, int length) {
        FrameError err = FrameDecoder.decode(data, length, rx);
        ArpStats.Device counters = arpStats.of(dev.ifindex());
        Reason r = classify(dev, err, counters);
        counters.countReason(r);
        for (EngineListener l : listeners) {
            l.frame(dev, r);
        }
        return r;
    }

    private Reason classify(NetDevice dev, FrameError err, ArpStats.Device counters) {
        if (err == FrameError.TRUNCATED_ETHERNET) {
            return Reason.MALFORMED_TRUNCATED;
        }
        if (!vlanMatches(rx.vlan, dev)) {
            return Reason.VLAN_MISMATCH;
        }
        if (!dev.isUp()) {
            return Reason.DEVICE_DOWN;
        }
        if (rx.etherType == EtherType.ARP) {
            if (err != null) {
                // arp_rcv checks NOARP and pkt_type before it looks at the ARP header
                if (dev.isNoarp()) {
                    return Reason.DEVICE_NOARP;
                }
                if (ArpProcessor.packetType(dev, rx.ethDst) == ArpProcessor.PACKET_OTHERHOST) {
                    return Reason.NOT_FOR_HOST;
                }
                return Reason.of(err);
            }
            counters.countReceived(rx.arpOp);
            return arp.receive(dev, rx, false, null);
        }
        if (rx.etherType == EtherType.IPV4) {
            if (ArpProcessor.packetType(dev, rx.ethDst) == ArpProcessor.PACKET_OTHERHOST) {
                return Reason.NOT_FOR_HOST;
            }
            if (err != null) {
                return Reason.of(err);
            }
            return switch (icmp.receive(rx)) {
                case ECHO_REPLIED -> Reason.ICMP_ECHO_REPLIED;
                case ECHO_REPLY -> Reason.ICMP_ECHO_REPLY;
                case NOT_HANDLED -> Reason.IP_NOT_HANDLED;
            };
        }
        return Reason.OTHER_ETHERTYPE;
    }

    /**
     * __netif_receive_skb_core(): a tag with VLAN id 0 only carries a priority; the frame belongs
     * to the untagged device (only a non-zero id without a VLAN device makes it PACKET_OTHERHOST).
     */
    private static boolean vlanMatches(int frameVlan, NetDevice dev) {
        return (frameVlan == 0 ? -1 : frameVlan) == dev.vlan();
    }

    private void loopback(byte[] l3) {
        icmp.receiveLocal(l3);
    }

    /** One check of an explanation. */
    public record ExplainStep(String check, String detail) {
    }

    /** What arp_process would do with a frame, and why; computed without side effects. */
    public record Explanation(String device, ArpMessage arp, Reason reason, Reason.Kind kind, List<ExplainStep> steps) {
    }

    public Explanation explain(NetDevice dev, byte[] frame) {
        RxFrame f = new RxFrame();
        FrameError err = FrameDecoder.decode(frame, frame.length, f);
        List<ExplainStep> steps = new ArrayList<>();
        ArpMessage msg = null;
        Reason r;
        if (err != null) {
            steps.add(new ExplainStep("decode", "frame is malformed: " + err));
            r = Reason.of(err);
        } else if (f.etherType != EtherType.ARP) {
            steps.add(new ExplainStep("decode", "EtherType 0x" + Integer.toHexString(f.etherType) + " is not ARP"));
            r = Reason.OTHER_ETHERTYPE;
        } else if (!vlanMatches(f.vlan, dev)) {
            steps.add(new ExplainStep("decode", "VLAN " + f.vlan + " does not match " + dev.name() + "'s " + dev.vlan()));
            r = Reason.VLAN_MISMATCH;
        } else {
            msg = ArpMessage.parse(frame, f.l3, frame.length - f.l3);
            if (!dev.isUp()) {
                steps.add(new ExplainStep("netif_running", dev.name() + " is down"));
                r = Reason.DEVICE_DOWN;
            } else {
                r = arp.receive(dev, f, true, (c, d) -> steps.add(new ExplainStep(c, d)));
            }
        }
        return new Explanation(dev.name(), msg, r, r.kind(), steps);
    }

    // ------------------------------------------------------------------ neighbours

    /**
     * Resolution as outbound traffic would start it (ip_neigh_for_gw + neigh_event_send), telling
     * {@code done} once the entry is VALID or FAILED, or is removed.
     */
    public void resolve(NetDevice dev, int ip, Consumer<ResolveOutcome> done) {
        Neighbour n = tbl.lookupNoref(dev, ip);
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
            waiters.computeIfAbsent(n, k -> new ArrayList<>(2)).add(done);
        }
    }

    public NeighSnapshot neighbour(NetDevice dev, int ip) {
        Neighbour n = tbl.lookupNoref(dev, ip);
        return n == null ? null : n.snapshot(now());
    }

    /** ip neigh show: entries whose state is in {@code stateMask} (bit 0x100 selects NONE), and extern_learn ones. */
    public List<NeighSnapshot> neighbours(NetDevice dev, int stateMask) {
        long now = now();
        List<NeighSnapshot> out = new ArrayList<>();
        tbl.forEach(n -> {
            if (dev != null && n.dev() != dev) {
                return;
            }
            if (NeighAdmin.matches(n, stateMask)) {
                out.add(n.snapshot(now));
            }
        });
        return out;
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

    // ------------------------------------------------------------------ observer

    private final class Observer implements NeighObserver {
        @Override
        public void notify(int type, Neighbour n) {
            if (type == RTM_DELNEIGH) {
                resolvingSince.remove(n);
                complete(n, ResolveOutcome.GONE);
            }
            if (listeners.isEmpty()) {
                return;
            }
            NeighEvent.Type t = switch (type) {
                case RTM_NEWNEIGH -> NeighEvent.Type.NEWNEIGH;
                case RTM_DELNEIGH -> NeighEvent.Type.DELNEIGH;
                default -> NeighEvent.Type.GETNEIGH;
            };
            NeighEvent e = new NeighEvent(++eventSeq, t, n.snapshot(now()));
            for (EngineListener l : listeners) {
                l.event(e);
            }
        }

        @Override
        public void stateChanged(Neighbour n, int from, int to) {
            NetDevice dev = (NetDevice) n.dev();
            if (!listeners.isEmpty()) {
                NudState f = NudState.ofBit(from);
                NudState t = NudState.ofBit(to);
                for (EngineListener l : listeners) {
                    l.transition(dev, f, t);
                }
            }
            if (to == NudState.NUD_INCOMPLETE) {
                resolvingSince.put(n, clock.nanos());
            } else if ((to & NudState.NUD_VALID) != 0) {
                Long since = resolvingSince.remove(n);
                if (since != null) {
                    long took = clock.nanos() - since;
                    for (EngineListener l : listeners) {
                        l.resolved(dev, took);
                    }
                }
                complete(n, ResolveOutcome.VALID);
            } else if (to == NudState.NUD_FAILED) {
                resolvingSince.remove(n);
                if ((from & (NudState.NUD_INCOMPLETE | NudState.NUD_PROBE)) != 0) {
                    for (EngineListener l : listeners) {
                        l.resolutionFailed(dev);
                    }
                }
                complete(n, ResolveOutcome.FAILED);
            }
        }

        private void complete(Neighbour n, ResolveOutcome outcome) {
            if (waiters.isEmpty()) {
                return;
            }
            List<Consumer<ResolveOutcome>> w = waiters.remove(n);
            if (w != null) {
                w.forEach(c -> c.accept(outcome));
            }
        }
    }
}
