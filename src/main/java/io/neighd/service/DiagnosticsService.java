package io.neighd.service;

import io.neighd.engine.Explanation;
import io.neighd.arp.Reason;
import io.neighd.arp.TxKind;
import io.neighd.engine.EngineSnapshot;
import io.neighd.engine.InterfaceStats;
import io.neighd.engine.Netlink;
import io.neighd.engine.TableStats;
import io.neighd.engine.Views;
import io.neighd.ip.Pinger;
import io.neighd.link.Link;
import io.neighd.neighbour.NeighSnapshot;
import io.neighd.service.ServiceException.Kind;
import io.neighd.wire.ArpOp;
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
        EngineSnapshot snap = engine.call(Netlink::stats);
        TableStats t = snap.arpCache();
        ArpCache cache = new ArpCache(t.entries(), t.allocs(), t.destroys(), t.hashGrows(), t.lookups(), t.hits(),
                t.resFailed(), t.rcvProbesMcast(), t.rcvProbesUcast(), t.periodicGcRuns(), t.forcedGcRuns(),
                t.unresolvedDiscards(), t.tableFulls());
        List<InterfaceCounters> ifs = new ArrayList<>();
        for (Map.Entry<String, Link> l : links.entrySet()) {
            InterfaceStats c = snap.interfaceStats(l.getKey());
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
            ifs.add(new InterfaceCounters(l.getKey(), c == null ? 0 : c.receivedRequests(),
                    c == null ? 0 : c.receivedReplies(), c == null ? 0 : c.receivedUnknown(), sent, reasons,
                    l.getValue().stats()));
        }
        return new Stats(cache, ifs, engine.service().loop().framesDropped(), t.proxyQueueLength());
    }

    /** What arp_process would do with {@code frame} arriving on {@code dev}; changes nothing. */
    public Explanation explain(String dev, byte[] frame) {
        return engine.call(nl -> {
            engine.requireDevice(nl, dev, "dev");
            return nl.explain(dev, frame).value();
        });
    }

    /** As {@link #explain(String, byte[])}, for a frame built from its fields. */
    public Explanation explain(String dev, ArpFields f) {
        return engine.call(nl -> {
            engine.requireDevice(nl, dev, "dev");
            return nl.explain(dev, frame(nl.link(dev), f)).value();
        });
    }

    private static byte[] frame(Views.Device d, ArpFields f) {
        int op = f.op() == null ? ArpOp.OP_REQUEST : f.op();
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
        long tha = f.targetMac() != null ? f.targetMac().bits() : op == ArpOp.OP_REQUEST ? 0 : d.lladdr().bits();
        long ethDst = f.ethDst() != null ? f.ethDst().bits()
                : op == ArpOp.OP_REQUEST ? MacAddress.BROADCAST.bits() : d.lladdr().bits();
        long ethSrc = f.ethSrc() != null ? f.ethSrc().bits() : sha;
        int vlan = f.vlan() != null ? f.vlan() : d.vlan();
        return ArpPacket.frame(op, ethDst, ethSrc, vlan, sha, f.senderIp().bits(), tha, f.targetIp().bits());
    }

    /**
     * ICMP echo through the engine's outbound path (route, neighbour resolution, arp_queue), as
     * iputils ping sends it; the future ends when every probe has an outcome, holding no thread
     * meanwhile.
     */
    public CompletableFuture<PingOutcome> ping(Ipv4Address dst, int count, long intervalMs, long timeoutMs, int size) {
        CompletableFuture<Pinger.Result> done = new CompletableFuture<>();
        Duration wait = Duration.ofMillis((count - 1) * intervalMs + timeoutMs).plus(EngineAccess.ENGINE_TIMEOUT);
        return engine.callAsync(nl -> {
            nl.ping(dst, count, intervalMs, timeoutMs, size, done::complete);
            return null;
        }).thenCompose(started -> engine.within(done, wait)).thenCompose(result -> {
            if (result.isEmpty()) {
                throw new ServiceException(Kind.ENGINE_UNAVAILABLE, "the ping did not end within " + wait.toMillis()
                        + " ms");
            }
            return engine.callAsync(nl -> nl.nexthopNeighbour(dst)).thenApply(n -> new PingOutcome(result.get(), n));
        });
    }
}
