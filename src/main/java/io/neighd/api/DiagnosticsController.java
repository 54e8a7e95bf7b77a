package io.neighd.api;

import io.neighd.api.DiagnosticDtos.Explanation;
import io.neighd.api.DiagnosticDtos.ExplainRequest;
import io.neighd.api.DiagnosticDtos.PingRequest;
import io.neighd.api.DiagnosticDtos.PingResult;
import io.neighd.api.NeighbourDtos.Neighbour;

import io.neighd.service.DiagnosticsService;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.context.request.async.DeferredResult;

import java.time.Duration;

/** The tools: explain (what arp_process would do) and ping (through the engine's outbound path). */
@RestController
@RequestMapping(path = "/api/v1", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "diagnostics", description = "Explain ARP decisions and test reachability")
class DiagnosticsController {
    private final DiagnosticsService diagnostics;
    private final PendingWaits waits;

    DiagnosticsController(DiagnosticsService diagnostics, PendingWaits waits) {
        this.waits = waits;
        this.diagnostics = diagnostics;
    }

    @PostMapping(path = "/explain", consumes = MediaType.APPLICATION_JSON_VALUE)
    @Operation(operationId = "explain",
            summary = "Explain what arp_process or ndisc_rcv would do with a frame",
            description = "Runs the frame through the same checks a received one meets (arp_ignore, arp_filter, "
                    + "arp_accept, proxy ARP, ...; for IPv6 ipv6_rcv's checks, membership, hop limit, "
                    + "ndisc_recv_ns/na with proxy_ndp, accept_untracked_na, DAD...) with no side effects: nothing "
                    + "is learned, sent or counted. It needs "
                    + "the token all the same: it is a POST, and 'every POST, PUT, PATCH and DELETE needs the token' is "
                    + "one rule, simple to configure, audit and explain, where a list of exceptions is not; it also "
                    + "spends engine-thread time on the caller's behalf.")
    @ApiResponse(responseCode = "200", description = "the decision, its reason code and every check made")
    @ApiResponse(responseCode = "400", description = "`invalid-frame` (hex), `invalid-mac`, `invalid-ip`, or "
            + "`invalid-request` (missing dev, sender or target, bad op)")
    @ApiResponse(responseCode = "404", description = "`unknown-interface`")
    Explanation explain(@RequestBody ExplainRequest r) {
        if (r.dev() == null || r.dev().isBlank()) {
            throw new ApiProblem(ProblemType.INVALID_REQUEST, "dev is required: the interface the frame arrives on",
                    "dev", null);
        }
        io.neighd.engine.Explanation e = r.hex() != null
                ? diagnostics.explain(r.dev(), Params.hex("hex", r.hex()))
                : diagnostics.explain(r.dev(), new DiagnosticsService.ArpFields(Params.op("op", r.op()),
                Params.mac("sender_mac", r.senderMac()), Params.optionalIp("sender_ip", r.senderIp()),
                Params.mac("target_mac", r.targetMac()), Params.optionalIp("target_ip", r.targetIp()),
                Params.mac("eth_dst", r.ethDst()), Params.mac("eth_src", r.ethSrc()), vlan(r.vlan())));
        return Explanation.of(e);
    }

    private static Integer vlan(Integer v) {
        if (v != null && (v < -1 || v > 4094)) {
            throw new ApiProblem(ProblemType.INVALID_REQUEST, "vlan: " + v + " is out of range (allowed: -1..4094)",
                    "vlan", v);
        }
        return v;
    }

    @PostMapping(path = "/ping", consumes = MediaType.APPLICATION_JSON_VALUE)
    @Operation(operationId = "ping",
            summary = "Ping through neighd (ICMP or ICMPv6 echo)", description = "Sends echo requests as iputils ping "
            + "does, through neighd's route lookup, neighbour resolution (ARP or neighbour discovery) and the entry's "
            + "queue, and waits for every probe's outcome. A link-local or multicast IPv6 destination needs `dev`. "
            + "As in Linux, an echo reply does not confirm the neighbour: ping's MSG_CONFIRM reaches "
            + "dst_confirm_neigh() only with MSG_PROBE, so an entry the pings use goes STALE, DELAY, PROBE. The wait "
            + "holds no server thread (answered asynchronously once every probe has its outcome). Caps, each "
            + "answered 400 `invalid-request` naming the field: `count` 1-100, `interval_ms` 10-10000, "
            + "`timeout_ms` 1-60000, `size` 0-1472, and (count - 1) x interval_ms + timeout_ms at most 120 s.")
    @ApiResponse(responseCode = "200", description = "every probe's outcome, and the next hop's entry afterwards")
    @ApiResponse(responseCode = "400", description = "`invalid-ip`, or `invalid-request` (a parameter out of range, "
            + "or no dev for a link-scoped IPv6 destination)")
    @ApiResponse(responseCode = "404", description = "`unknown-interface`")
    @ApiResponse(responseCode = "503", description = "`too-many-waits`, with Retry-After: "
            + "`neighd.api.max-pending-waits` resolves and pings are waiting already; `engine-unavailable`: the "
            + "engine thread did not answer in time")
    DeferredResult<PingResult> ping(@RequestBody PingRequest r) {
        var dst = Params.ip("dst", r.dst());
        int count = (int) Params.range("count", r.count() == null ? null : r.count().longValue(), 1, 1, 100);
        long interval = Params.range("interval_ms", r.intervalMs(), 1000, 10, 10_000);
        long timeout = Params.range("timeout_ms", r.timeoutMs(), 1000, 1, 60_000);
        int size = (int) Params.range("size", r.size() == null ? null : r.size().longValue(), 56, 0, 1472);
        if ((count - 1) * interval + timeout > 120_000) {
            throw new ApiProblem(ProblemType.INVALID_REQUEST, "count, interval_ms and timeout_ms add up to more than "
                    + "120 s", "count", count);
        }
        return waits.deferred(() -> diagnostics.ping(dst, r.dev(), count, interval, timeout, size),
                Duration.ofMillis((count - 1) * interval + timeout),
                o -> PingResult.of(o.result(), o.neighbour() == null ? null : Neighbour.of(o.neighbour(), diagnostics.hz())));
    }
}
