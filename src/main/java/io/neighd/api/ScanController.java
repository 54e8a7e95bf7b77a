package io.neighd.api;

import io.neighd.api.ScanDtos.Scan;
import io.neighd.api.ScanDtos.ScanRequest;
import io.neighd.service.ScanService;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import java.net.URI;

/**
 * arp-scan done by the engine: POST starts a scan and answers 202 at once with where to read it;
 * the answers arrive as SCAN_REPLY events on the stream and in the scan resource, which a client
 * polls until its state is done (or waits for the stream's SCAN_DONE). No request waits for a scan.
 */
@RestController
@RequestMapping(path = "/api/v1/interfaces", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "interfaces")
class ScanController {
    private static final String DEV = "interface name";

    private final ScanService scans;

    ScanController(ScanService scans) {
        this.scans = scans;
    }

    @PostMapping(path = "/{dev}/scan", consumes = MediaType.APPLICATION_JSON_VALUE)
    @Operation(operationId = "startScan",
            summary = "Scan a prefix for neighbours (arp-scan)", description = "Sends every address of the prefix "
            + "the broadcast request arp_solicit() sends for a new entry, paced at `rate`, each silent address again "
            + "after `timeout_ms` (then 1.5 times longer each time) up to `retries` times, and reports every answer, "
            + "duplicates (two MACs for one address) included, as arp-scan does. Probes are held outside the "
            + "neighbour table: an address gets an entry (REACHABLE) only when it answers, so a /16 of silent "
            + "addresses takes no slot and evicts nothing. Answers 202 at once: read the scan at its Location "
            + "until `state` is `done`, or follow SCAN_REPLY and SCAN_DONE on the event stream. One scan per "
            + "interface at a time.")
    @ApiResponse(responseCode = "202", description = "started; Location is the scan resource")
    @ApiResponse(responseCode = "400", description = "`invalid-address` (cidr), `invalid-request`: rate, retries or "
            + "timeout_ms out of range, or the interface cannot scan (NOARP, down)")
    @ApiResponse(responseCode = "404", description = "`unknown-interface`")
    @ApiResponse(responseCode = "409", description = "`scan-running`: a scan runs on the interface already")
    @ApiResponse(responseCode = "413", description = "`scan-too-large`: the prefix is wider than a /16")
    ResponseEntity<Scan> start(@Parameter(description = DEV) @PathVariable String dev, @RequestBody ScanRequest r) {
        Scan s = Scan.of(scans.start(dev, Params.cidr("cidr", r.cidr(), true), r.rate(), r.retries(), r.timeoutMs()));
        return ResponseEntity.accepted().location(URI.create("/api/v1/interfaces/" + dev + "/scans/" + s.id())).body(s);
    }

    @GetMapping("/{dev}/scans/{id}")
    @Operation(operationId = "getScan",
            summary = "A scan: as far as it has come, or its result", description = "While `state` is `running` "
            + "the counts and answers so far; once `done`, arp-scan's summary. The last 16 finished scans are kept.")
    @ApiResponse(responseCode = "200", description = "the scan")
    @ApiResponse(responseCode = "400", description = "`invalid-request`: id is not a number")
    @ApiResponse(responseCode = "404", description = "`unknown-interface`, or `no-such-scan`")
    Scan get(@Parameter(description = DEV) @PathVariable String dev,
             @Parameter(description = "the scan's id, from its Location") @PathVariable int id) {
        return Scan.of(scans.get(dev, id));
    }
}
