package io.neighd.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.neighd.arp.Reason;
import io.neighd.arp.TxKind;
import io.neighd.service.DiagnosticsService;
import io.swagger.v3.oas.annotations.media.Schema;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The JSON of {@code /api/v1/stats}. */
final class StatsDtos {
    private StatsDtos() {
    }

    @Schema(name = "Stats")
    record Stats(@JsonProperty("arp_cache") ArpCache arpCache,
                 @JsonProperty("ndisc_cache") @Schema(description = "The columns of /proc/net/stat/ndisc_cache "
                         + "(nd_tbl); rcv_probes_mcast/ucast count the solicitations for our addresses")
                 ArpCache ndiscCache,
                 @Schema(description = "per interface, in configuration order") List<InterfaceStats> interfaces,
                 EngineCounters engine) {
        static Stats of(DiagnosticsService.Stats s) {
            return new Stats(ArpCache.of(s.arpCache()), ArpCache.of(s.ndiscCache()),
                    s.interfaces().stream().map(InterfaceStats::of).toList(),
                    new EngineCounters(s.framesDroppedByEngine(), s.proxyQueueLength(), s.ndiscProxyQueueLength()));
        }
    }

    @Schema(name = "ArpCache", description = "The columns of /proc/net/stat/arp_cache (or ndisc_cache), as counts")
    record ArpCache(long entries, long allocs, long destroys,
                    @JsonProperty("hash_grows") long hashGrows,
                    long lookups, long hits,
                    @JsonProperty("res_failed") long resFailed,
                    @JsonProperty("rcv_probes_mcast") @Schema(description = "IPv6 only in Linux: 0 in arp_cache")
                    long rcvProbesMcast,
                    @JsonProperty("rcv_probes_ucast") @Schema(description = "IPv6 only in Linux: 0 in arp_cache")
                    long rcvProbesUcast,
                    @JsonProperty("periodic_gc_runs") long periodicGcRuns,
                    @JsonProperty("forced_gc_runs") long forcedGcRuns,
                    @JsonProperty("unresolved_discards") long unresolvedDiscards,
                    @JsonProperty("table_fulls") long tableFulls) {
        static ArpCache of(DiagnosticsService.ArpCache c) {
            return new ArpCache(c.entries(), c.allocs(), c.destroys(), c.hashGrows(), c.lookups(), c.hits(),
                    c.resFailed(), c.rcvProbesMcast(), c.rcvProbesUcast(), c.periodicGcRuns(), c.forcedGcRuns(),
                    c.unresolvedDiscards(), c.tableFulls());
        }
    }

    @Schema(name = "InterfaceStats", description = "One interface's packet counters")
    record InterfaceStats(
            @Schema(example = "nd0") String dev,
            @Schema(description = "ARP frames received by opcode: request, reply, unknown") Map<String, Long> received,
            @Schema(description = "ARP frames sent by kind: request, reply, gratuitous, proxy_reply")
            Map<String, Long> sent,
            @Schema(description = "every received ARP, IPv4 or other non-IPv6 frame by what became of it (the "
                    + "engine's reason codes; only non-zero ones)") Map<String, ReasonCount> reasons,
            CaptureCounters capture,
            @Schema(description = "the IPv6 side") NdiscCounters ndisc) {
        static InterfaceStats of(DiagnosticsService.InterfaceCounters c) {
            Map<String, Long> received = new LinkedHashMap<>();
            received.put("request", c.receivedRequests());
            received.put("reply", c.receivedReplies());
            received.put("unknown", c.receivedUnknown());
            Map<String, Long> sent = new LinkedHashMap<>();
            for (TxKind k : TxKind.values()) {
                sent.put(k.label(), c.sent().getOrDefault(k, 0L));
            }
            Map<String, ReasonCount> reasons = new LinkedHashMap<>();
            c.reasons().forEach((r, n) -> reasons.put(r.name(), ReasonCount.of(r, n)));
            return new InterfaceStats(c.dev(), received, sent, reasons,
                    new CaptureCounters(c.capture().received(), c.capture().dropped(), c.capture().ifDropped()),
                    NdiscCounters.of(c.ndisc()));
        }
    }

    @Schema(name = "NdiscCounters", description = "One interface's IPv6 counters")
    record NdiscCounters(
            @Schema(description = "ICMPv6 received by type: ns, na, rs, ra, redirect, echo_request, echo_reply, other")
            Map<String, Long> received,
            @Schema(description = "ICMPv6 sent by type") Map<String, Long> sent,
            @Schema(description = "every received IPv6 frame by what became of it (only non-zero ones)")
            Map<String, ReasonCount> reasons,
            @Schema(description = "IPv6 addresses by DAD state: tentative, dadfailed, valid")
            Map<String, Integer> addresses) {
        static NdiscCounters of(DiagnosticsService.NdiscCounters c) {
            Map<String, Long> received = new LinkedHashMap<>();
            Map<String, Long> sent = new LinkedHashMap<>();
            c.received().forEach((t, n) -> received.put(t.label(), n));
            c.sent().forEach((t, n) -> sent.put(t.label(), n));
            Map<String, ReasonCount> reasons = new LinkedHashMap<>();
            c.reasons().forEach((r, n) -> reasons.put(r.name(), ReasonCount.of(r, n)));
            Map<String, Integer> addresses = new LinkedHashMap<>();
            addresses.put("tentative", c.tentative());
            addresses.put("dadfailed", c.dadFailed());
            addresses.put("valid", c.valid());
            return new NdiscCounters(received, sent, reasons, addresses);
        }
    }

    @Schema(name = "CaptureCounters", description = "pcap_stats: frames received, dropped by the capture buffer, "
            + "dropped by the interface")
    record CaptureCounters(long received, long dropped, @JsonProperty("if_dropped") long ifDropped) {
    }

    @Schema(name = "ReasonCount", description = "How many frames ended with one reason code")
    record ReasonCount(@Schema(allowableValues = {"used", "ignored", "dropped"}) String kind, long count,
                       String description) {
        static ReasonCount of(Reason r, long n) {
            return new ReasonCount(r.kind().name().toLowerCase(Locale.ROOT), n, r.description());
        }
    }

    @Schema(name = "EngineCounters")
    record EngineCounters(@JsonProperty("frames_dropped") @Schema(description = "captured frames dropped because "
            + "the engine thread was too far behind") long framesDropped,
                          @JsonProperty("proxy_queue_len") @Schema(description = "requests held for proxy_delay")
                          int proxyQueueLen,
                          @JsonProperty("ndisc_proxy_queue_len") @Schema(description = "IPv6 solicitations held for "
                                  + "proxy_delay") int ndiscProxyQueueLen) {
    }
}
