package io.neighd.testkit;

import io.neighd.engine.Explanation;
import io.neighd.arp.Reason;
import io.neighd.engine.Engine;
import io.neighd.ip.NetDevice;
import io.neighd.neighbour.Neighbour;
import io.neighd.neighbour.NudState;
import io.neighd.neighbour.Skb;
import io.neighd.time.ManualClock;
import io.neighd.wire.ArpPacket;
import io.neighd.wire.IcmpEcho;
import io.neighd.wire.Ipv4Address;
import io.neighd.wire.Ipv4Cidr;
import io.neighd.wire.Ipv4Packet;
import io.neighd.wire.MacAddress;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * An engine on a manual clock with one interface, {@code nd0} (02:aa:00:00:00:01, 10.0.0.1/24),
 * a scripted random source, and recorders for frames and events: the common ground of the
 * engine tests. Time is HZ 250, so one jiffy is 4 ms.
 */
public final class EngineFixture {
    public static final MacAddress OUR_MAC = MacAddress.parse("02:aa:00:00:00:01");
    public static final MacAddress PEER_MAC = MacAddress.parse("02:bb:00:00:00:02");
    public static final MacAddress OTHER_MAC = MacAddress.parse("02:cc:00:00:00:03");
    public static final int JIFFY_MS = 4;

    public final ManualClock clock = new ManualClock(TimeUnit.SECONDS.toNanos(1000));
    public final ScriptedRandom random = new ScriptedRandom();
    /** The IPv6 side's draws (nd_tbl reachable_time, DAD delays and nonces). */
    public final ScriptedRandom random6 = new ScriptedRandom();
    /** The IPv6 groups joined and left, as "join nd0 ff02::1". */
    public final List<String> mcast6 = new ArrayList<>();
    private final io.neighd.ipv6.McastFilter mcast = new io.neighd.ipv6.McastFilter() {
        @Override
        public void join(io.neighd.ip.DeviceId dev, io.neighd.wire.Ipv6Address group) {
            mcast6.add("join " + dev.name() + " " + group);
        }

        @Override
        public void leave(io.neighd.ip.DeviceId dev, io.neighd.wire.Ipv6Address group) {
            mcast6.add("leave " + dev.name() + " " + group);
        }
    };
    public final RecordingTransmitter tx = new RecordingTransmitter();
    public final RecordingListener events = new RecordingListener();
    public final Engine engine;
    public final NetDevice nd0;
    /** Packets whose resolution failed (dst_link_failure). */
    public final List<Skb> linkFailures = new ArrayList<>();

    public EngineFixture() {
        this(r -> {
        });
    }

    /**
     * A fixture whose random source is scripted before the engine exists, so the draws made at
     * construction (the table default's reachable_time first, then lo's, then nd0's) can be pinned.
     */
    public EngineFixture(java.util.function.Consumer<ScriptedRandom> beforeConstruction) {
        this(beforeConstruction, false);
    }

    /**
     * @param ipv6 false for the ARP tests: nd0 gets no IPv6 link-local address
     *             (net.ipv6.conf.default.addr_gen_mode 1), so no DAD probe or nd_tbl entry mixes
     *             into what they record; true for Linux's defaults, as the IPv6 tests want them
     */
    public EngineFixture(java.util.function.Consumer<ScriptedRandom> beforeConstruction, boolean ipv6) {
        beforeConstruction.accept(random);
        engine = new Engine(clock, random, random6, tx, 250, mcast);
        if (!ipv6) {
            engine.sysctl().set("net.ipv6.conf.default.addr_gen_mode", 1);
        }
        nd0 = addInterface("nd0", 2, OUR_MAC, "10.0.0.1/24");
        engine.addListener(events);
    }

    public NetDevice addInterface(String name, int ifindex, MacAddress mac, String cidr) {
        NetDevice d = engine.addDevice(name, ifindex, mac, 1500, -1);
        engine.setUp(d, true);
        engine.setCarrier(d, true);
        if (cidr != null) {
            engine.addAddress(d, Ipv4Cidr.parse(cidr));
        }
        return d;
    }

    public void sysctl(String name, long value) {
        engine.sysctl().set(name, value);
    }

    // ------------------------------------------------------------------ time

    public void advanceMs(long ms) {
        clock.advanceMillis(ms);
        engine.sync();
    }

    public void advanceJiffies(long j) {
        advanceMs(j * JIFFY_MS);
    }

    public long now() {
        return engine.now();
    }

    // ------------------------------------------------------------------ frames in

    public Reason receive(byte[] frame) {
        return receive(nd0, frame);
    }

    /**
     * Receives {@code frame} on {@code dev}, after asking the explain path what it would do: the
     * two must agree on the reason, and explaining must change nothing (no frame sent, no
     * statistic, event or address claim reported). Every frame the engine tests receive is so checked, the
     * arp_process and malformed-frame tables included.
     */
    public Reason receive(NetDevice dev, byte[] frame) {
        int sent = tx.all().size();
        int seen = events.raw().size();
        int claimed = events.claims().size();
        String stats = statsLine();
        Explanation predicted = engine.explain(dev, frame);
        if (tx.all().size() != sent || events.raw().size() != seen || events.claims().size() != claimed
                || !stats.equals(statsLine())) {
            throw new AssertionError("explaining " + predicted.reason() + " changed the engine: " + predicted.steps());
        }
        Reason r = engine.receive(dev, frame, frame.length);
        checkParity(predicted, r);
        return r;
    }

    /** Fails unless the explanation predicted what the receive path did. */
    public static void checkParity(Explanation predicted, Reason received) {
        if (received != predicted.reason()) {
            throw new AssertionError("explain predicted " + predicted.reason() + " but receive did " + received
                    + "; steps: " + predicted.steps());
        }
    }

    private String statsLine() {
        return statsLine(engine.table()) + " | " + statsLine(engine.ndTable());
    }

    private static String statsLine(io.neighd.neighbour.NeighbourTable<NetDevice> t) {
        io.neighd.neighbour.NeighStatistics s = t.stats();
        return s.allocs + " " + s.destroys + " " + s.lookups + " " + s.hits + " " + s.tableFulls + " " + s.forcedGcRuns
                + " " + s.rcvProbesMcast + " " + s.rcvProbesUcast + " " + t.entries() + " " + t.proxyQueueLength();
    }

    /** A broadcast who-has {@code tpa} tell {@code spa} from {@code sha}. */
    public static byte[] request(MacAddress sha, String spa, String tpa) {
        return ArpPacket.frame(1, MacAddress.BROADCAST.bits(), sha.bits(), -1, sha.bits(), ip(spa), 0, ip(tpa));
    }

    /** A request unicast to {@code ethDst} (as Linux sends its unicast probes). */
    public static byte[] unicastRequest(MacAddress sha, String spa, String tpa, MacAddress ethDst) {
        return ArpPacket.frame(1, ethDst.bits(), sha.bits(), -1, sha.bits(), ip(spa), 0, ip(tpa));
    }

    /** A reply {@code spa} is-at {@code sha}, unicast to us. */
    public static byte[] reply(MacAddress sha, String spa, String tpa) {
        return ArpPacket.frame(2, OUR_MAC.bits(), sha.bits(), -1, sha.bits(), ip(spa), OUR_MAC.bits(), ip(tpa));
    }

    /** A reply sent to the broadcast address. */
    public static byte[] broadcastReply(MacAddress sha, String spa, String tpa) {
        return ArpPacket.frame(2, MacAddress.BROADCAST.bits(), sha.bits(), -1, sha.bits(), ip(spa),
                MacAddress.BROADCAST.bits(), ip(tpa));
    }

    /** A gratuitous request (sender = target), as {@code arping -U} sends it. */
    public static byte[] garpRequest(MacAddress sha, String ip) {
        return ArpPacket.frame(1, MacAddress.BROADCAST.bits(), sha.bits(), -1, sha.bits(), ip(ip),
                MacAddress.BROADCAST.bits(), ip(ip));
    }

    /** A gratuitous reply (sender = target, tha = sha), as {@code arping -A} sends it. */
    public static byte[] garpReply(MacAddress sha, String ip) {
        return ArpPacket.frame(2, MacAddress.BROADCAST.bits(), sha.bits(), -1, sha.bits(), ip(ip), sha.bits(), ip(ip));
    }

    /** A duplicate address detection probe (sender 0.0.0.0), as {@code arping -D} sends it. */
    public static byte[] dadProbe(MacAddress sha, String tpa) {
        return ArpPacket.frame(1, MacAddress.BROADCAST.bits(), sha.bits(), -1, sha.bits(), 0, 0, ip(tpa));
    }

    public static int ip(String s) {
        return Ipv4Address.parseBits(s);
    }

    // ------------------------------------------------------------------ outbound

    /** An ICMP echo request from {@code src} to {@code dst} through the output path. */
    public io.neighd.ip.Ipv4Output.Result send(String src, String dst) {
        return send(src, dst, 56);
    }

    public io.neighd.ip.Ipv4Output.Result send(String src, String dst, int payload) {
        byte[] msg = IcmpEcho.build(IcmpEcho.TYPE_ECHO_REQUEST, 7, 1, new byte[payload], 0, payload);
        byte[] pkt = Ipv4Packet.build(ip(src), ip(dst), Ipv4Packet.PROTO_ICMP, 1, 64, msg);
        return engine.output().send(pkt, linkFailures::add, false);
    }

    // ------------------------------------------------------------------ table

    public Neighbour entry(String ip) {
        return engine.table().lookupNoref(nd0, ip(ip));
    }

    public NudState state(String ip) {
        Neighbour n = entry(ip);
        return n == null ? null : n.nudState();
    }
}
