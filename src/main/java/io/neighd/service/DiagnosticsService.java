package io.neighd.service;

import io.neighd.arp.ArpStats;
import io.neighd.arp.Reason;
import io.neighd.arp.TxKind;
import io.neighd.engine.Engine;
import io.neighd.ip.NetDevice;
import io.neighd.ip.Pinger;
import io.neighd.ip.Route;
import io.neighd.link.Link;
import io.neighd.neighbour.NeighSnapshot;
import io.neighd.neighbour.NeighStatistics;
import io.neighd.service.ServiceException.Kind;
import io.neighd.wire.ArpPacket;
import io.neighd.wire.Ipv4Address;
import io.neighd.wire.MacAddress;
import org.springframework.stereotype.Service;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** The read-only tools: {@code /proc/net/stat/arp_cache} and packet counters, explain, and ping. */
@Service
public class DiagnosticsService {
    /** The columns of /proc/net/stat/arp_cache, copied on the engine thread. */
    public record ArpCache(long entries, long allocs, long destroys, long hashGrows, long lookups, long hits,
                           long resFailed, long rcvProbesMcast, long rcvProbesUcast, long periodicGcRuns,
                           long forcedGcRuns, long unresolvedDiscards, long tableFulls) {
    }

    /** One interface's packet counters: ARP received by opcode, sent by kind, every frame by what became of it. */
    public record InterfaceCounters(String dev, long receivedRequests, long receivedReplies, long receivedUnknown,
                                    Map<TxKind, Long> sent, Map<Reason, Long> reasons, Link.Stats capture) {
    }

    public record Stats(ArpCache arpCache, List<InterfaceCounters> interfaces, long framesDroppedByEngine,
                        int proxyQueueLength) {
    }

    /**
     * The fields of an ARP frame to explain; null fields get defaults from the interface: op
     * request, Ethernet source the sender's MAC, destination broadcast for a request and the
     * interface's MAC for a reply, target MAC zero for a request and the interface's for a reply,
     * the interface's VLAN.
     */
    public record ArpFields(Integer op, MacAddress senderMac, Ipv4Address senderIp, MacAddress targetMac,
                            Ipv4Address targetIp, MacAddress ethDst, MacAddress ethSrc, Integer vlan) {
    }

    /** A finished ping and the next hop's neighbour entry afterwards (null if there is none). */
    public record PingOutcome(Pinger.Result result, NeighSnapshot neighbour) {
    }

    private final EngineAccess engine;

    public DiagnosticsService(EngineAccess engine) {
        this.engine = engine;
    }

    public int hz() {
        return engine.hz();
    }

    public Stats stats() {
        Map<String, Link> links = engine.service().links();
        Stats s = engine.call(e -> {
            NeighStatistics st = e.stats();
            ArpCache cache = new ArpCache(e.table().entries(), st.allocs, st.destroys, st.hashGrows, st.lookups,
                    st.hits, st.resFailed, st.rcvProbesMcast, st.rcvProbesUcast, st.periodicGcRuns, st.forcedGcRuns,
                    st.unresDiscards, st.tableFulls);
            List<InterfaceCounters> ifs = new ArrayList<>();
            for (String name : links.keySet()) {
                NetDevice d = e.device(name);
                ArpStats.Device c = d == null ? null : e.arpStats().peek(d.ifindex());
                Map<TxKind, Long> sent = new EnumMap<>(TxKind.class);
                Map<Reason, Long> reasons = new EnumMap<>(Reason.class);
                for (TxKind k : TxKind.values()) {
                    sent.put(k, c == null ? 0 : c.sent(k));
                }
                for (Reason r : Reason.values()) {
                    long n = c == null ? 0 : c.count(r);
                    if (n != 0) {
                        reasons.put(r, n);
                    }
                }
                ifs.add(new InterfaceCounters(name, c == null ? 0 : c.receivedRequests(),
                        c == null ? 0 : c.receivedReplies(), c == null ? 0 : c.receivedUnknown(), sent, reasons, null));
            }
            return new Stats(cache, ifs, 0, e.table().proxyQueueLength());
        });
        List<InterfaceCounters> withCapture = new ArrayList<>();
        for (InterfaceCounters c : s.interfaces()) {
            withCapture.add(new InterfaceCounters(c.dev(), c.receivedRequests(), c.receivedReplies(),
                    c.receivedUnknown(), c.sent(), c.reasons(), links.get(c.dev()).stats()));
        }
        return new Stats(s.arpCache(), withCapture, engine.service().loop().framesDropped(), s.proxyQueueLength());
    }

    /** What arp_process would do with {@code frame} arriving on {@code dev}; changes nothing. */
    public Engine.Explanation explain(String dev, byte[] frame) {
        return engine.call(e -> e.explain(engine.device(e, dev, "dev"), frame));
    }

    /** As {@link #explain(String, byte[])}, for a frame built from its fields. */
    public Engine.Explanation explain(String dev, ArpFields f) {
        return engine.call(e -> {
            NetDevice d = engine.device(e, dev, "dev");
            return e.explain(d, frame(d, f));
        });
    }

    private static byte[] frame(NetDevice d, ArpFields f) {
        int op = f.op() == null ? 1 : f.op();
        if (f.senderIp() == null) {
            throw new ServiceException(Kind.INVALID_ARGUMENT, "sender_ip is required", "sender_ip", null);
        }
        if (f.targetIp() == null) {
            throw new ServiceException(Kind.INVALID_ARGUMENT, "target_ip is required", "target_ip", null);
        }
        if (f.senderMac() == null) {
            throw new ServiceException(Kind.INVALID_ARGUMENT, "sender_mac is required", "sender_mac", null);
        }
        long sha = f.senderMac().bits();
        long tha = f.targetMac() != null ? f.targetMac().bits() : op == 1 ? 0 : d.hwAddr();
        long ethDst = f.ethDst() != null ? f.ethDst().bits() : op == 1 ? MacAddress.BROADCAST.bits() : d.hwAddr();
        long ethSrc = f.ethSrc() != null ? f.ethSrc().bits() : sha;
        int vlan = f.vlan() != null ? f.vlan() : d.vlan();
        return ArpPacket.frame(op, ethDst, ethSrc, vlan, sha, f.senderIp().bits(), tha, f.targetIp().bits());
    }

    /**
     * ICMP echo through the engine's outbound path (route, neighbour resolution, arp_queue), as
     * iputils ping sends it; waits until every probe has an outcome.
     */
    public PingOutcome ping(Ipv4Address dst, int count, long intervalMs, long timeoutMs, int size) {
        CompletableFuture<Pinger.Result> done = new CompletableFuture<>();
        engine.call(e -> {
            e.ping(dst, count, intervalMs, timeoutMs, size, done::complete);
            return null;
        });
        Duration wait = Duration.ofMillis((count - 1) * intervalMs + timeoutMs).plus(EngineAccess.ENGINE_TIMEOUT);
        Pinger.Result result = EngineAccess.await(done, wait);
        NeighSnapshot n = engine.call(e -> {
            Route r = e.route().routeOutput(dst.bits());
            if (r == null || r.dev() == null) {
                return null;
            }
            int nh = r.gateway() != 0 ? r.gateway() : dst.bits();
            return e.neighbour(r.dev(), nh);
        });
        return new PingOutcome(result, n);
    }
}
