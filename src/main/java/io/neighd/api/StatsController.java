package io.neighd.api;

import io.neighd.api.StatsDtos.Stats;
import io.neighd.service.DiagnosticsService;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code /proc/net/stat/arp_cache} and per-interface packet counters. */
@RestController
@RequestMapping(path = "/api/v1/stats", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "stats", description = "`/proc/net/stat/arp_cache` and packet counters")
class StatsController {
    private final DiagnosticsService diagnostics;

    StatsController(DiagnosticsService diagnostics) {
        this.diagnostics = diagnostics;
    }

    @GetMapping
    @Operation(operationId = "getStats",
            summary = "Counters", description = "Every arp_cache and ndisc_cache column; per interface, ARP "
            + "received by opcode and sent by kind, ICMPv6 received and sent by type, every received frame counted by "
            + "reason code (used, ignored or dropped) per family, IPv6 addresses by DAD state, and the capture's own "
            + "counters.")
    @ApiResponse(responseCode = "200", description = "the counters")
    Stats stats() {
        return Stats.of(diagnostics.stats());
    }
}
