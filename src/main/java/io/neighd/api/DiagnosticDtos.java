package io.neighd.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.neighd.ip.Pinger;
import io.neighd.service.EventHub;
import io.neighd.wire.ArpMessage;
import io.swagger.v3.oas.annotations.media.Schema;

import java.util.List;
import java.util.Locale;

/** The JSON of {@code /api/v1/explain} and {@code /api/v1/ping}. */
final class DiagnosticDtos {
    private DiagnosticDtos() {
    }

    @Schema(name = "ExplainRequest", description = "A frame arriving on `dev`: either `hex` (the whole Ethernet "
            + "frame: ARP, IPv4 or IPv6) or the fields of an ARP packet, or, with IPv6 addresses, of a neighbour "
            + "solicitation (op request: to the target's solicited-node group, the sender's MAC as source link-layer "
            + "option; sender_ip :: for a DAD probe) or a solicited, overriding advertisement (op reply). Absent "
            + "fields get defaults: op request; eth_src the sender's MAC; eth_dst broadcast (ARP) or the "
            + "solicited-node group's MAC (NS) for a request, the interface's MAC for a reply; target_mac zero for "
            + "a request, the interface's MAC for a reply; vlan the interface's")
    record ExplainRequest(
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "nd0") String dev,
            @Schema(description = "the frame as hex digits (spaces and colons allowed); overrides the fields",
                    example = "ffffffffffff02bb00000002080600010800060400010...") String hex,
            @Schema(description = "request, reply, or an opcode number", example = "request") String op,
            @JsonProperty("sender_mac") @Schema(example = "02:bb:00:00:00:02") String senderMac,
            @JsonProperty("sender_ip") @Schema(example = "10.77.0.2") String senderIp,
            @JsonProperty("target_mac") @Schema(example = "00:00:00:00:00:00") String targetMac,
            @JsonProperty("target_ip") @Schema(example = "10.77.0.1") String targetIp,
            @JsonProperty("eth_dst") @Schema(example = "ff:ff:ff:ff:ff:ff") String ethDst,
            @JsonProperty("eth_src") @Schema(example = "02:bb:00:00:00:02") String ethSrc,
            @Schema(description = "802.1Q VLAN id; -1 for untagged") Integer vlan) {
    }

    @Schema(name = "Explanation", description = "What arp_process would do with the frame, and why")
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Explanation(@Schema(example = "nd0") String dev,
                       @Schema(description = "the engine's reason code", example = "REPLIED") String reason,
                       @Schema(allowableValues = {"used", "ignored", "dropped"}) String kind,
                       String description,
                       @Schema(description = "the ARP packet as parsed; absent if the frame is not a well-formed ARP")
                       Arp arp,
                       @Schema(description = "the checks arp_process made, in order, with the knob values they used")
                       List<Step> steps) {
        static Explanation of(io.neighd.engine.Explanation e) {
            return new Explanation(e.device(), e.reason().name(), e.kind().name().toLowerCase(Locale.ROOT),
                    e.reason().description(), e.arp() == null ? null : Arp.of(e.arp()),
                    e.steps().stream().map(s -> new Step(s.check(), s.detail())).toList());
        }
    }

    @Schema(name = "Arp", description = "An ARP packet (RFC 826)")
    record Arp(@Schema(example = "REQUEST") String op,
               @JsonProperty("hardware_type") int hardwareType,
               @JsonProperty("protocol_type") @Schema(example = "0x0800") String protocolType,
               @JsonProperty("sender_mac") String senderMac,
               @JsonProperty("sender_ip") String senderIp,
               @JsonProperty("target_mac") String targetMac,
               @JsonProperty("target_ip") String targetIp) {
        static Arp of(ArpMessage m) {
            return new Arp(m.op().toString(), m.hardwareType(), String.format("0x%04x", m.protocolType()),
                    m.senderMac().toString(), m.senderIp().toString(), m.targetMac().toString(),
                    m.targetIp().toString());
        }
    }

    @Schema(name = "Step", description = "One check of arp_process")
    record Step(@Schema(example = "arp_ignore") String check, String detail) {
    }

    @Schema(name = "PingRequest", description = "`ping -c COUNT -i INTERVAL -W TIMEOUT -s SIZE [-I DEV] DST`, sent "
            + "through neighd's outbound path (ICMP for IPv4, ICMPv6 for IPv6)")
    record PingRequest(@Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "10.77.0.2") String dst,
                       @Schema(description = "the interface (`ping -I`); required for a link-local or multicast IPv6 "
                               + "destination", example = "nd0") String dev,
                       @Schema(description = "probes to send (1-100)", defaultValue = "1") Integer count,
                       @JsonProperty("interval_ms") @Schema(description = "between probes (10-10000)",
                               defaultValue = "1000") Long intervalMs,
                       @JsonProperty("timeout_ms") @Schema(description = "how long each probe waits for its reply "
                               + "(1-60000)", defaultValue = "1000") Long timeoutMs,
                       @Schema(description = "ICMP payload bytes (0-1472)", defaultValue = "56") Integer size) {
    }

    @Schema(name = "PingResult")
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record PingResult(@Schema(example = "10.77.0.2") String dst,
                      @Schema(description = "the source address the route chose; absent without a route") String src,
                      int transmitted,
                      int received,
                      List<Probe> probes,
                      @Schema(description = "the next hop's neighbour entry afterwards; absent if there is none")
                      NeighbourDtos.Neighbour neighbour) {
        static PingResult of(Pinger.Result r, NeighbourDtos.Neighbour n) {
            return new PingResult(r.dst().toString(), r.src().isAny() ? null : r.src().toString(), r.probes().size(),
                    (int) r.received(), r.probes().stream().map(Probe::of).toList(), n);
        }
    }

    @Schema(name = "Probe", description = "One echo request and its outcome")
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Probe(@Schema(example = "1") int seq,
                 @Schema(allowableValues = {"reply", "timeout", "unreachable", "no_route", "table_full", "failed"})
                 String status,
                 @JsonProperty("rtt_ms") @Schema(description = "round-trip time; absent without a reply",
                         example = "0.412") Double rttMs) {
        static Probe of(Pinger.Probe p) {
            return new Probe(p.seq(), p.status().name().toLowerCase(Locale.ROOT),
                    p.rttNanos() == null ? null : p.rttNanos() / 1_000_000.0);
        }
    }

    @Schema(name = "AddressChange", description = "SSE events `NEWADDR`, `DELADDR`, `DADFAILED`: an IPv6 address "
            + "of an interface, as ip monitor address shows it")
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record AddressChange(@Schema(example = "nd0") String dev,
                         @Schema(example = "2001:db8::1") String local,
                         @Schema(example = "64") int prefixlen,
                         @Schema(example = "global") String scope,
                         @Schema(description = "tentative, dadfailed, nodad, ...") List<String> flags,
                         @JsonProperty("duplicate_of") @Schema(description = "DADFAILED: the MAC that claimed the "
                                 + "address", example = "02:bb:00:00:00:02") String duplicateOf) {
        static AddressChange of(io.neighd.engine.AddressEvent e) {
            return new AddressChange(e.dev().name(), e.cidr().address().toString(), e.cidr().prefixLength(), e.scope(),
                    e.flags(), e.duplicateOf() == null ? null : e.duplicateOf().toString());
        }
    }

    @Schema(name = "EventsLost", description = "SSE event `lost`, the last of a stream: the subscriber was cut off "
            + "and has lost events; read the table again (GET /api/v1/neighbours) and subscribe again")
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record EventsLost(@Schema(description = "overrun: more than neighd.events.buffer events behind; stalled: it took "
                              + "nothing for neighd.events.stall-timeout", allowableValues = {"overrun", "stalled"})
                      String reason,
                      @Schema(description = "events published that it was not sent") long behind,
                      @JsonProperty("last_id") @Schema(description = "the id of the last event it was sent; absent if "
                              + "none") String lastId) {
        static EventsLost of(EventHub.Lost l) {
            return new EventsLost(l.reason().label(), l.behind(), l.lastSeq() < 0 ? null : Long.toString(l.lastSeq()));
        }
    }
}
