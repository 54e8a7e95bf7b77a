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
import io.neighd.ndisc.NdiscStats;
import io.neighd.wire.ArpOp;
import io.neighd.wire.ArpPacket;
import io.neighd.wire.EtherType;
import io.neighd.wire.EthernetFrame;
import io.neighd.wire.IpAddress;
import io.neighd.wire.Ipv4Address;
import io.neighd.wire.Ipv6Address;
import io.neighd.wire.MacAddress;
import io.neighd.wire.NdMessage;
import org.springframework.stereotype.Service;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The read-only tools: {@code /proc/net/stat/arp_cache} and {@code ndisc_cache} and the packet
 * counters, explain, and ping.
 */
@Service
public class DiagnosticsService {
    /** The columns of /proc/net/stat/arp_cache, copied on the engine thread. */
    public record ArpCache(long entries, long allocs, long destroys, long hashGrows, long lookups, long hits,
                           long resFailed, long rcvProbesMcast, long rcvProbesUcast, long periodicGcRuns,
                           long forcedGcRuns, long unresolvedDiscards, long tableFulls) {
    }

    /**
     * One interface's packet counters: ARP received by opcode, sent by kind, every frame by what
     * became of it; the same for IPv6 ({@code ndisc}).
     */
    public record InterfaceCounters(String dev, long receivedRequests, long receivedReplies, long receivedUnknown,
                                    Map<TxKind, Long> sent, Map<Reason, Long> reasons, Link.Stats capture,
                                    NdiscCounters ndisc) {
    }

    /** ICMPv6 messages received and sent by type, IPv6 frames by reason, IPv6 addresses by DAD state. */
    public record NdiscCounters(Map<NdiscStats.Type, Long> received, Map<NdiscStats.Type, Long> sent,
                                Map<Reason, Long> reasons, int tentative, int dadFailed, int valid) {
    }

    public record Stats(ArpCache arpCache, ArpCache ndiscCache, List<InterfaceCounters> interfaces,
                        long framesDroppedByEngine, int proxyQueueLength, int ndiscProxyQueueLength) {
    }

    /**
     * The fields of an ARP frame to explain, or (with IPv6 addresses) of a neighbour solicitation
     * (op request) or advertisement (op reply); null fields get defaults from the interface: op
     * request, Ethernet source the sender's MAC, destination broadcast for an ARP request, the
     * target's solicited-node group for an NS, the interface's MAC for a reply; target MAC zero for
     * a request and the interface's for a reply, the interface's VLAN. An NS carries the sender's
     * MAC as its source link-layer option; an NA is solicited, overriding, with the sender's MAC
     * as its target link-layer option, sent to the interface's first IPv6 address.
     */
    public record ArpFields(Integer op, MacAddress senderMac, IpAddress senderIp, MacAddress targetMac,
                            IpAddress targetIp, MacAddress ethDst, MacAddress ethSrc, Integer vlan) {
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
        ArpCache cache = cache(t);
        ArpCache ndisc = cache(snap.ndiscCache());
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
                    l.getValue().stats(), ndiscCounters(c)));
        }
        return new Stats(cache, ndisc, ifs, engine.service().loop().framesDropped(), t.proxyQueueLength(),
                snap.ndiscCache().proxyQueueLength());
    }

    private static ArpCache cache(TableStats t) {
        return new ArpCache(t.entries(), t.allocs(), t.destroys(), t.hashGrows(), t.lookups(), t.hits(),
                t.resFailed(), t.rcvProbesMcast(), t.rcvProbesUcast(), t.periodicGcRuns(), t.forcedGcRuns(),
                t.unresolvedDiscards(), t.tableFulls());
    }

    private static NdiscCounters ndiscCounters(InterfaceStats c) {
        Map<NdiscStats.Type, Long> received = new EnumMap<>(NdiscStats.Type.class);
        Map<NdiscStats.Type, Long> sent = new EnumMap<>(NdiscStats.Type.class);
        for (NdiscStats.Type t : NdiscStats.Type.values()) {
            received.put(t, c == null ? 0 : c.ndiscReceived(t));
            sent.put(t, c == null ? 0 : c.ndiscSent(t));
        }
        Map<Reason, Long> reasons = new EnumMap<>(Reason.class);
        for (Reason r : Reason.values()) {
            long n = c == null ? 0 : c.count(IpAddress.AF_INET6, r);
            if (n != 0) {
                reasons.put(r, n);
            }
        }
        return new NdiscCounters(received, sent, reasons, c == null ? 0 : c.ipv6Tentative(),
                c == null ? 0 : c.ipv6DadFailed(), c == null ? 0 : c.ipv6Valid());
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
        if (f.senderIp().family() != f.targetIp().family()) {
            throw new ServiceException(Kind.INVALID_ARGUMENT, "sender_ip and target_ip must be of one family",
                    "target_ip", f.targetIp().toString());
        }
        if (f.senderIp() instanceof Ipv6Address s6) {
            return ndFrame(d, f, op, s6, (Ipv6Address) f.targetIp());
        }
        long sha = f.senderMac().bits();
        long tha = f.targetMac() != null ? f.targetMac().bits() : op == ArpOp.OP_REQUEST ? 0 : d.lladdr().bits();
        long ethDst = f.ethDst() != null ? f.ethDst().bits()
                : op == ArpOp.OP_REQUEST ? MacAddress.BROADCAST.bits() : d.lladdr().bits();
        long ethSrc = f.ethSrc() != null ? f.ethSrc().bits() : sha;
        int vlan = f.vlan() != null ? f.vlan() : d.vlan();
        return ArpPacket.frame(op, ethDst, ethSrc, vlan, sha, ((Ipv4Address) f.senderIp()).bits(), tha,
                ((Ipv4Address) f.targetIp()).bits());
    }

    /** An NS (op request) from sender for target, or a solicited NA (op reply) of target, as Linux peers send them. */
    private static byte[] ndFrame(Views.Device d, ArpFields f, int op, Ipv6Address s, Ipv6Address t) {
        long sha = f.senderMac().bits();
        byte[] l3;
        Ipv6Address dst;
        if (op == ArpOp.OP_REQUEST) {
            dst = t.solicitedNode();
            l3 = NdMessage.ns(s.hi(), s.lo(), dst.hi(), dst.lo(), t.hi(), t.lo(), s.isAny() ? NdMessage.NO_LLADDR : sha, 0);
        } else {
            dst = d.addresses6().isEmpty() ? Ipv6Address.ALL_NODES : d.addresses6().get(0).cidr().address();
            l3 = NdMessage.na(s.hi(), s.lo(), dst.hi(), dst.lo(), t.hi(), t.lo(),
                    NdMessage.FLAG_SOLICITED | NdMessage.FLAG_OVERRIDE, sha);
        }
        long ethDst = f.ethDst() != null ? f.ethDst().bits()
                : dst.isMulticast() ? Ipv6Address.multicastMac(dst.lo()) : d.lladdr().bits();
        long ethSrc = f.ethSrc() != null ? f.ethSrc().bits() : sha;
        return EthernetFrame.wrap(ethDst, ethSrc, f.vlan() != null ? f.vlan() : d.vlan(), EtherType.IPV6, l3);
    }

    /**
     * ICMP echo through the engine's outbound path (route, neighbour resolution, arp_queue), as
     * iputils ping sends it; the future ends when every probe has an outcome, holding no thread
     * meanwhile.
     */
    public CompletableFuture<PingOutcome> ping(IpAddress dst, int count, long intervalMs, long timeoutMs, int size) {
        return ping(dst, null, count, intervalMs, timeoutMs, size);
    }

    /**
     * As {@link #ping(IpAddress, int, long, long, int)} out of {@code dev} ({@code ping -I}), which
     * a link-local or multicast IPv6 destination needs.
     */
    public CompletableFuture<PingOutcome> ping(IpAddress dst, String dev, int count, long intervalMs, long timeoutMs,
                                               int size) {
        if (dev == null && dst instanceof Ipv6Address a && (a.isLinkLocal() || a.isMulticast())) {
            throw new ServiceException(Kind.INVALID_ARGUMENT, dst + " is link-scoped: name the interface (dev)", "dev",
                    null);
        }
        CompletableFuture<Pinger.Result> done = new CompletableFuture<>();
        Duration wait = Duration.ofMillis((count - 1) * intervalMs + timeoutMs).plus(EngineAccess.ENGINE_TIMEOUT);
        return engine.callAsync(nl -> {
            if (dev != null) {
                engine.requireDevice(nl, dev, "dev");
            }
            return nl.ping(dst, dev, count, intervalMs, timeoutMs, size, done::complete);
        }).thenCompose(started -> engine.within(done, wait)).thenCompose(result -> {
            if (result.isEmpty()) {
                throw new ServiceException(Kind.ENGINE_UNAVAILABLE, "the ping did not end within " + wait.toMillis()
                        + " ms");
            }
            return engine.callAsync(nl -> nl.nexthopNeighbour(dst, dev)).thenApply(n -> new PingOutcome(result.get(), n));
        });
    }
}
