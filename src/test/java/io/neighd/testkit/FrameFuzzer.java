package io.neighd.testkit;

import io.neighd.arp.Reason;
import io.neighd.engine.Engine;
import io.neighd.engine.Explanation;
import io.neighd.engine.NeighAdmin;
import io.neighd.engine.Netlink;
import io.neighd.engine.Sysctl;
import io.neighd.ip.DevVar;
import io.neighd.ipv6.Ipv6DevVar;
import io.neighd.ip.NetDevice;
import io.neighd.ip.RouteSpec;
import io.neighd.neighbour.NeighFlags;
import io.neighd.neighbour.NeighInvariants;
import io.neighd.neighbour.NudState;
import io.neighd.time.ManualClock;
import io.neighd.wire.ArpPacket;
import io.neighd.wire.EtherType;
import io.neighd.wire.EthernetFrame;
import io.neighd.wire.IcmpEcho;
import io.neighd.wire.Ipv4Address;
import io.neighd.wire.Ipv4Cidr;
import io.neighd.wire.Ipv4Packet;
import io.neighd.wire.Ipv6Address;
import io.neighd.wire.Ipv6Cidr;
import io.neighd.wire.MacAddress;
import io.neighd.wire.NdMessage;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Drives an engine the way a hostile segment and a busy operator would, from a stream of choices
 * (a seeded generator, or a coverage-guided fuzzer's bytes): structure-aware frames — ARP of every
 * shape (requests, replies, gratuitous, probes, odd hardware and protocol types, bad lengths,
 * truncated, VLAN-tagged), IPv4 (ICMP echo from every source class, other protocols, fragments,
 * bad checksums, options), IPv6 neighbour discovery (solicitations, DAD probes, advertisements
 * with every flag, router advertisements, echo; bad hop limits and checksums, truncated), garbage — from a small pool of addresses and MACs chosen to hit every
 * branch (own, peers, other subnets, broadcasts, network, 0.0.0.0, 0/8, multicast, loopback),
 * interleaved with the clock moving, knobs written at their edges and reset, resolutions, output
 * packets, neighbour and proxy administration, links going down, up and changing address,
 * addresses and routes coming and going, and pings. One frame in eight is explained first, and
 * the explanation must name what receiving it then did.
 *
 * <p>{@link #violations()} is what the fuzz tests assert empty after every batch: the table's
 * invariants ({@link NeighInvariants}, arp_tbl's and nd_tbl's), no failure the engine had to survive (each would have
 * been a frame, timer or command lost to an exception), no explain/receive disagreement.
 */
public final class FrameFuzzer {
    /** Where the choices come from. */
    public interface Choices {
        /** Uniform in [0, n). */
        int below(int n);

        long bits();

        default boolean percent(int p) {
            return below(100) < p;
        }

        /** False once a finite source (a fuzzer's input) is used up. */
        default boolean more() {
            return true;
        }
    }

    /** Choices from a seeded generator: the same seed, the same run. */
    public static Choices seeded(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        return new Choices() {
            public int below(int n) {
                return r.nextInt(n);
            }

            public long bits() {
                return r.nextLong();
            }
        };
    }

    private static final int HZ = 250;
    private static final String[] DEVS = {"nd0", "nd1", "nd2"};
    private static final MacAddress[] OUR = {MacAddress.parse("02:aa:00:00:00:01"), MacAddress.parse("02:aa:00:00:01:01"),
            MacAddress.parse("02:aa:00:00:02:01")};
    private static final int[] ADDRS;
    private static final long[] MACS;

    static {
        List<Integer> a = new ArrayList<>();
        for (String s : new String[] {"10.0.0.1", "10.1.0.1", "127.0.0.1", "10.0.0.255", "10.1.0.255", "255.255.255.255",
                "10.0.0.0", "0.0.0.0", "0.1.2.3", "224.0.0.1", "224.0.0.9", "239.1.2.3", "127.0.0.5", "192.0.2.7",
                "10.88.0.9", "10.1.0.254", "10.0.0.254", "10.9.9.9"}) {
            a.add(Ipv4Address.parseBits(s));
        }
        for (int i = 2; i < 40; i++) {
            a.add(Ipv4Address.parseBits("10.0.0." + i));
        }
        for (int i = 2; i < 16; i++) {
            a.add(Ipv4Address.parseBits("10.1.0." + i));
        }
        ADDRS = a.stream().mapToInt(Integer::intValue).toArray();
        List<Long> m = new ArrayList<>();
        for (MacAddress o : OUR) {
            m.add(o.bits());
        }
        m.add(MacAddress.BROADCAST.bits());
        m.add(0L);
        m.add(MacAddress.parse("01:00:5e:00:00:01").bits());
        for (int i = 0; i < 8; i++) {
            m.add(MacAddress.parse("02:bb:00:00:00:0" + i).bits());
        }
        MACS = m.stream().mapToLong(Long::longValue).toArray();
    }

    /** IPv6 addresses chosen to hit ndisc's branches: own, link-locals, peers, proxied, multicast, ::, loopback. */
    private static final Ipv6Address[] ADDRS6;

    static {
        List<Ipv6Address> a = new ArrayList<>();
        for (String s : new String[] {"fd00::1", "fd01::1", "fd00::", "fd00::99", "ff02::1", "ff02::2", "ff02::1:ff00:1",
                "::", "::1", "2001:db8::1", "fe80::1"}) {
            a.add(Ipv6Address.parse(s));
        }
        for (MacAddress o : OUR) {
            a.add(Ipv6Address.linkLocal(o.bits()));
        }
        for (int i = 2; i < 10; i++) {
            a.add(Ipv6Address.parse("fd00::" + i));
            a.add(Ipv6Address.linkLocal(MACS[6 + i % 8]));
        }
        ADDRS6 = a.toArray(new Ipv6Address[0]);
    }

    private static final String[] NEIGH_KEYS = {"locktime", "proxy_delay", "retrans_time", "retrans_time_ms",
            "base_reachable_time", "base_reachable_time_ms", "delay_first_probe_time", "gc_stale_time", "mcast_solicit",
            "ucast_solicit", "app_solicit", "mcast_resolicit", "unres_qlen_bytes", "unres_qlen", "proxy_qlen",
            "anycast_delay", "interval_probe_time_ms"};
    private static final long[] EDGES = {0, 1, 2, 3, 8, 9, -1, -5, 30, 800, 858993459, 900000000, 1073741824,
            Integer.MAX_VALUE, Integer.MIN_VALUE, 4294967301L, 8589934, -8589934, 4294968};
    private static final long[] SANE = {0, 1, 2, 3, 5, 10, 30, 100, 250, 1000};

    private final Choices c;
    private final ManualClock clock = new ManualClock(1_000_000_000_000L);
    private final Engine engine;
    private final Netlink nl;
    private final NetDevice[] devs = new NetDevice[3];
    /** The knobs as they started, taken at the first reset (a fuzzer's short inputs rarely need them). */
    private Map<String, Long> defaults;
    private final Map<Reason, Long> reasons = new EnumMap<>(Reason.class);
    private final List<String> disagreements = new ArrayList<>();
    private long frames;
    private long ops;
    private long sent;
    private int ipId;

    public FrameFuzzer(Choices choices, long engineSeed) {
        this.c = choices;
        this.engine = new Engine(clock, new SplittableRandom(engineSeed), (dev, frame) -> sent++, HZ);
        this.nl = engine.netlink();
        String[] cidrs = {"10.0.0.1/24", "10.1.0.1/24", null};
        int[] vlans = {-1, -1, 5};
        for (int i = 0; i < 3; i++) {
            devs[i] = engine.addDevice(DEVS[i], 2 + i, OUR[i], 1500, vlans[i]);
            engine.setUp(devs[i], true);
            engine.setCarrier(devs[i], true);
            if (cidrs[i] != null) {
                engine.addAddress(devs[i], Ipv4Cidr.parse(cidrs[i]));
            }
        }
        engine.addRoute(RouteSpec.parse("10.88.0.0/24 via 10.1.0.254 dev nd1"));
        engine.addAddress6(devs[0], Ipv6Cidr.parse("fd00::1/64"), true);
        engine.addAddress6(devs[1], Ipv6Cidr.parse("fd01::1/64"), false);
    }

    public Engine engine() {
        return engine;
    }

    public long frames() {
        return frames;
    }

    public long operations() {
        return ops;
    }

    public long sent() {
        return sent;
    }

    public Map<Reason, Long> reasons() {
        return reasons;
    }

    /** Runs until {@code n} more frames were received (or the choices ran out). */
    public void run(long n) {
        long target = frames + n;
        while (frames < target && c.more()) {
            step();
        }
    }

    /** One frame (nine in ten) or one operation. */
    public void step() {
        if (c.percent(90)) {
            frame();
        } else {
            operation();
        }
    }

    /** The table's invariants, failures the engine survived, and explain/receive disagreements. */
    public List<String> violations() {
        List<String> wrong = new ArrayList<>(NeighInvariants.check(engine.table(), engine.wheel()));
        NeighInvariants.check(engine.ndTable(), engine.wheel()).forEach(w -> wrong.add("nd_tbl: " + w));
        long failures = engine.faults().total();
        if (failures != 0) {
            wrong.add(failures + " failure(s) the engine survived (frames or timers lost to exceptions)");
        }
        wrong.addAll(disagreements);
        return wrong;
    }

    // ------------------------------------------------------------------ frames

    private void frame() {
        int d = c.below(3);
        NetDevice dev = devs[d];
        int kind = c.below(100);
        byte[] f = kind < 55 ? arp(d) : kind < 80 ? ipv4(d) : kind < 95 ? ipv6(d) : garbage();
        if (c.below(8) == 0) {
            Explanation predicted = engine.explain(dev, f);
            Reason r = engine.receive(dev, f, f.length);
            if (r != predicted.reason() && disagreements.size() < 20) {
                disagreements.add("explain predicted " + predicted.reason() + " but receive did " + r + " for "
                        + hex(f) + "; steps " + predicted.steps());
            }
            count(r);
        } else {
            count(engine.receive(dev, f, f.length));
        }
        frames++;
    }

    private void count(Reason r) {
        reasons.merge(r, 1L, Long::sum);
    }

    private int addr() {
        return c.percent(3) ? (int) c.bits() : ADDRS[c.below(ADDRS.length)];
    }

    private long mac() {
        return c.percent(3) ? c.bits() & 0xffff_ffff_ffffL : MACS[c.below(MACS.length)];
    }

    private int vlanFor(int d) {
        int v = c.below(20);
        if (v == 0) {
            return 0;
        }
        if (v == 1) {
            return c.below(4096);
        }
        return d == 2 ? 5 : -1;
    }

    private long ethDst(int d) {
        return switch (c.below(6)) {
            case 0, 1 -> MacAddress.BROADCAST.bits();
            case 2, 3 -> OUR[d].bits();
            default -> mac();
        };
    }

    private byte[] arp(int d) {
        int op = c.percent(95) ? 1 + c.below(2) : c.below(5) == 0 ? 65535 : c.below(8);
        int spa = c.percent(10) ? 0 : addr();
        int tpa = c.percent(15) ? spa : addr();
        long sha = c.percent(70) ? MACS[6 + c.below(8)] : mac();
        long tha = c.percent(60) ? 0 : mac();
        byte[] f = ArpPacket.frame(op, ethDst(d), c.percent(80) ? sha : mac(), vlanFor(d), sha, spa, tha, tpa);
        return mangle(f, f.length - 28);
    }

    /** Rarely: an odd hardware or protocol type, bad lengths, truncation, a trailer. */
    private byte[] mangle(byte[] f, int l3) {
        if (!c.percent(6)) {
            return f;
        }
        switch (c.below(5)) {
            case 0 -> f[l3 + 1] = (byte) (c.percent(50) ? 6 : c.below(256));
            case 1 -> f[l3 + 2] = (byte) c.below(256);
            case 2 -> f[l3 + 4 + c.below(2)] = (byte) c.below(256);
            case 3 -> f = java.util.Arrays.copyOf(f, c.below(f.length + 1));
            default -> f = java.util.Arrays.copyOf(f, f.length + 1 + c.below(40));
        }
        return f;
    }

    private byte[] ipv4(int d) {
        int src = addr();
        int dst = c.percent(60) ? (d == 1 ? Ipv4Address.parseBits("10.1.0.1") : Ipv4Address.parseBits("10.0.0.1")) : addr();
        int proto = c.percent(90) ? Ipv4Packet.PROTO_ICMP : c.below(256);
        int type = c.percent(70) ? IcmpEcho.TYPE_ECHO_REQUEST : c.percent(50) ? IcmpEcho.TYPE_ECHO_REPLY : c.below(256);
        int len = c.below(64);
        byte[] msg = IcmpEcho.build(type, c.below(65536), c.below(65536), new byte[len], 0, len);
        byte[] l3 = Ipv4Packet.build(src, dst, proto, ++ipId & 0xffff, 1 + c.below(255), msg);
        if (c.percent(5)) {
            // a fragment, or a bad header checksum, or an odd version/length
            switch (c.below(3)) {
                case 0 -> l3[6] = (byte) 0x20;
                case 1 -> l3[10] ^= (byte) (1 + c.below(255));
                default -> l3[0] = (byte) c.below(256);
            }
        }
        if (c.percent(3)) {
            l3[HEADER_ICMP_CHECKSUM] ^= 1;
        }
        byte[] f = EthernetFrame.wrap(ethDst(d), mac(), vlanFor(d), EtherType.IPV4, l3);
        if (c.percent(3)) {
            f = java.util.Arrays.copyOf(f, c.below(f.length + 1));
        }
        return f;
    }

    private static final int HEADER_ICMP_CHECKSUM = Ipv4Packet.HEADER + 2;

    /** The IPv6 packet of an untagged frame. */
    private static byte[] l3(byte[] frame) {
        return java.util.Arrays.copyOfRange(frame, EthernetFrame.HEADER, frame.length);
    }

    private Ipv6Address addr6() {
        return c.percent(3) ? new Ipv6Address(c.bits(), c.bits()) : ADDRS6[c.below(ADDRS6.length)];
    }

    private byte[] ipv6(int d) {
        Ipv6Address src = c.percent(10) ? new Ipv6Address(0, 0) : addr6();
        Ipv6Address target = addr6();
        Ipv6Address dst = c.percent(50) ? target.solicitedNode() : addr6();
        long lladdr = c.percent(70) ? MACS[6 + c.below(8)] : c.percent(50) ? NdMessage.NO_LLADDR : mac();
        int flags = (c.percent(30) ? NdMessage.FLAG_ROUTER : 0) | (c.percent(50) ? NdMessage.FLAG_SOLICITED : 0)
                | (c.percent(50) ? NdMessage.FLAG_OVERRIDE : 0);
        MacAddress from = new MacAddress(c.percent(80) ? MACS[6 + c.below(8)] : mac());
        byte[] l3 = switch (c.below(8)) {
            case 0, 1, 2 -> NdMessage.ns(src.hi(), src.lo(), dst.hi(), dst.lo(), target.hi(), target.lo(), lladdr,
                    c.percent(20) ? c.bits() & 0xffff_ffff_ffffL : 0);
            case 3, 4, 5 -> NdMessage.na(src.hi(), src.lo(), dst.hi(), dst.lo(), target.hi(), target.lo(), flags, lladdr);
            case 6 -> l3(Nd6.ra(from, src.toString(), c.below(256), c.below(3) * 1800, c.below(3) * 1000L,
                    c.below(3) * 500L, lladdr));
            default -> l3(Nd6.echo(from, src.toString(), dst.toString(), OUR[d], c.below(65536), c.below(65536)));
        };
        if (c.percent(5)) {
            // a hop limit from off-link, a checksum that does not verify, a code, a version
            switch (c.below(4)) {
                case 0 -> l3[7] = (byte) c.below(256);
                case 1 -> l3[42] ^= (byte) (1 + c.below(255));
                case 2 -> l3[41] = (byte) c.below(256);
                default -> l3[0] = (byte) c.below(256);
            }
        }
        long ethDst = (dst.hi() >>> 56) == 0xff && c.percent(80) ? 0x3333_0000_0000L | (dst.lo() & 0xffff_ffffL)
                : c.percent(70) ? OUR[d].bits() : ethDst(d);
        byte[] f = EthernetFrame.wrap(ethDst, from.bits(), vlanFor(d), EtherType.IPV6, l3);
        if (c.percent(3)) {
            f = java.util.Arrays.copyOf(f, c.below(f.length + 1));
        }
        return f;
    }

    private byte[] garbage() {
        byte[] f = new byte[c.below(80)];
        for (int i = 0; i < f.length; i++) {
            f[i] = (byte) c.below(256);
        }
        if (f.length >= 14 && c.percent(50)) {
            int type = c.percent(50) ? EtherType.ARP : c.percent(50) ? EtherType.IPV4 : 0x8100;
            f[12] = (byte) (type >>> 8);
            f[13] = (byte) type;
        }
        return f;
    }

    private static String hex(byte[] f) {
        StringBuilder b = new StringBuilder();
        for (byte x : f) {
            b.append(String.format("%02x", x));
        }
        return b.toString();
    }

    // ------------------------------------------------------------------ operations

    private void operation() {
        ops++;
        int k = c.below(100);
        String dev = DEVS[c.below(3)];
        if (k < 35) {
            advance();
        } else if (k < 45) {
            writeKnob();
        } else if (k < 48) {
            resetKnobs();
        } else if (k < 56) {
            nl.resolve(dev, c.percent(25) ? addr6() : new Ipv4Address(addr()), o -> {
            });
        } else if (k < 64) {
            send();
        } else if (k < 72) {
            neighAdd(dev);
        } else if (k < 76) {
            nl.neighDelete(dev, new Ipv4Address(addr()));
        } else if (k < 78) {
            nl.neighFlush(c.percent(50) ? null : dev, c.percent(50) ? 0 : NudState.MASK_ALL);
        } else if (k < 81) {
            if (c.percent(20)) {
                nl.proxyAdd(addr6(), c.percent(10) ? null : dev);
            } else if (c.percent(60)) {
                nl.proxyAdd(new Ipv4Address(addr()), c.percent(30) ? null : dev);
            } else {
                nl.proxyDelete(new Ipv4Address(addr()), c.percent(30) ? null : dev);
            }
        } else if (k < 86) {
            link(dev);
        } else if (k < 89) {
            address(dev);
        } else if (k < 92) {
            route(dev);
        } else if (k < 95) {
            nl.ping(new Ipv4Address(addr()), 1 + c.below(3), 10 + c.below(500), 100 + c.below(2000), c.below(100),
                    r -> {
                    });
        } else {
            nl.confirm(new Ipv4Address(addr()));
        }
    }

    private void advance() {
        int r = c.below(1000);
        long ms;
        if (r < 600) {
            ms = c.below(10) * 4L;
        } else if (r < 900) {
            ms = c.below(2000);
        } else if (r < 995) {
            ms = 1000L * (1 + c.below(60));
        } else {
            ms = 1000L * (60 + c.below(600));
        }
        clock.advanceMillis(ms);
        engine.sync();
    }

    private void writeKnob() {
        String name;
        int pick = c.below(10);
        if (pick < 5) {
            String scope = c.percent(20) ? "default" : DEVS[c.below(3)];
            name = (c.percent(25) ? "net.ipv6.neigh." : "net.ipv4.neigh.") + scope + "."
                    + NEIGH_KEYS[c.below(NEIGH_KEYS.length)];
        } else if (pick < 6) {
            name = "net.ipv4.neigh.default.gc_thresh" + (1 + c.below(3));
        } else {
            String scope = switch (c.below(5)) {
                case 0 -> "all";
                case 1 -> "default";
                default -> DEVS[c.below(3)];
            };
            if (c.percent(25)) {
                Ipv6DevVar v6 = Ipv6DevVar.values()[c.below(Ipv6DevVar.values().length)];
                name = "net.ipv6.conf." + scope + "." + v6.key();
            } else {
                DevVar v = DevVar.values()[c.below(DevVar.values().length)];
                name = "net.ipv4.conf." + scope + "." + v.key();
            }
        }
        long value = c.percent(60) ? EDGES[c.below(EDGES.length)] : SANE[c.below(SANE.length)];
        try {
            engine.sysctl().set(name, value);
        } catch (Sysctl.SysctlException refusedAsByLinux) {
            // Linux refuses it too: nothing changed
        }
    }

    /** Back to the defaults, so the run also spends time in the regimes people use. */
    private void resetKnobs() {
        if (defaults == null) {
            // the defaults of a fresh engine: what this one started with, whatever it has been told since
            defaults = new java.util.LinkedHashMap<>();
            for (Sysctl.Knob k : new Engine(new ManualClock(), new SplittableRandom(0), (d, f) -> {
            }, HZ).sysctl().list("net.ipv4.")) {
                String n = k.name();
                // the aliases would round their twins; devices other than lo come from the default knobs
                if (!n.endsWith(".retrans_time") && !n.endsWith(".base_reachable_time") && !n.endsWith(".unres_qlen")) {
                    defaults.put(n.replace(".lo.", ".nd0."), k.value());
                    defaults.put(n.replace(".lo.", ".nd1."), k.value());
                    defaults.put(n.replace(".lo.", ".nd2."), k.value());
                }
            }
        }
        engine.sysctl().set(defaults);
    }

    private void send() {
        int src = c.percent(70) ? ADDRS[c.below(2)] : addr();
        int dst = addr();
        int len = c.below(1400);
        byte[] msg = IcmpEcho.build(IcmpEcho.TYPE_ECHO_REQUEST, 1, 1, new byte[len], 0, len);
        engine.output().send(Ipv4Packet.build(src, dst, Ipv4Packet.PROTO_ICMP, ++ipId & 0xffff, 64, msg), skb -> {
        }, c.percent(10));
    }

    private void neighAdd(String dev) {
        int[] states = {NudState.NUD_PERMANENT, NudState.NUD_NOARP, NudState.NUD_REACHABLE, NudState.NUD_STALE,
                NudState.NUD_DELAY, NudState.NUD_PROBE, NudState.NUD_FAILED, NudState.NUD_INCOMPLETE,
                NudState.NUD_NONE};
        int flags = 0;
        if (c.percent(15)) {
            flags |= NeighFlags.MANAGED;
        }
        if (c.percent(10)) {
            flags |= NeighFlags.EXT_LEARNED;
        }
        if (c.percent(5)) {
            flags |= NeighFlags.EXT_VALIDATED;
        }
        if (c.percent(5)) {
            flags |= NeighFlags.ROUTER;
        }
        NeighAdmin.Mode mode = NeighAdmin.Mode.values()[c.below(3)];
        long lladdr = c.percent(20) ? Netlink.NO_LLADDR : mac();
        nl.neighAdd(dev, new Ipv4Address(addr()), lladdr, states[c.below(states.length)], flags, c.percent(15), mode);
    }

    private void link(String dev) {
        switch (c.below(5)) {
            case 0, 1 -> nl.setUp(dev, c.percent(75));
            case 2 -> nl.setCarrier(dev, c.percent(75));
            case 3 -> nl.setHwAddr(dev, new MacAddress(c.percent(50) ? OUR[c.below(3)].bits() : MACS[6 + c.below(8)]));
            default -> nl.announce(dev);
        }
    }

    private void address(String dev) {
        String[] cidrs = {"10.0.0.1/24", "10.1.0.1/24", "10.0.0.7/24", "10.9.9.9/32", "127.25.3.4/24",
                "10.2.0.1/31", "0.1.2.3/8"};
        Ipv4Cidr cidr = Ipv4Cidr.parse(cidrs[c.below(cidrs.length)]);
        if (c.percent(55)) {
            nl.addAddress(dev, cidr, null);
        } else {
            nl.deleteAddress(dev, cidr.address());
        }
    }

    private void route(String dev) {
        String[] specs = {"default via 10.0.0.254 dev nd0", "10.88.0.0/24 via 10.1.0.254 dev nd1",
                "blackhole 10.77.0.0/16", "unreachable 192.0.2.0/24", "prohibit 10.0.0.128/25", "10.5.0.0/16 dev " + dev};
        String s = specs[c.below(specs.length)];
        if (c.percent(60)) {
            nl.addRoute(RouteSpec.parse(s));
        } else {
            nl.deleteRoutes(RouteSpec.parse(s).dst());
        }
    }
}
