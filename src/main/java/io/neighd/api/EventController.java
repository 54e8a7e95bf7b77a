package io.neighd.api;

import io.neighd.api.DiagnosticDtos.EventsLost;
import io.neighd.api.NeighbourDtos.Neighbour;
import io.neighd.service.EventHub;
import io.neighd.service.NeighbourService;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;

/** {@code ip monitor neigh} as server-sent events. */
@RestController
@RequestMapping("/api/v1/events")
@Tag(name = "events", description = "`ip monitor neigh`: table changes as they happen")
class EventController {
    private final EventHub hub;
    private final NeighbourService neighbours;
    private final JsonMapper json;

    EventController(EventHub hub, NeighbourService neighbours, JsonMapper json) {
        this.hub = hub;
        this.neighbours = neighbours;
        this.json = json;
    }

    @GetMapping(produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    @Operation(operationId = "watchEvents",
            summary = "Watch the table (ip monitor neigh)", description = "A server-sent event stream. Event "
            + "names: `NEWNEIGH` (an entry was created or changed), `DELNEIGH` (removed; ip prints \"delete\"), "
            + "`GETNEIGH` (an app_solicit probe; ip prints \"miss\"), each with the entry as data, in the JSON of "
            + "GET /api/v1/neighbours; `SCAN_REPLY` (an answer to a scan, a ScanReply) and `SCAN_DONE` (a scan ended: its "
            + "Scan without the replies, which came before it); for IPv6 addresses (`ip monitor address`) `NEWADDR` "
            + "(added, or its flags changed: DAD passed or failed), `DELADDR` and `DADFAILED` (another node has a "
            + "tentative address of ours: the address and the MAC that claimed it); and the engine's event sequence "
            + "number as id. Besides: "
            + "`CONFLICT` (a frame from another MAC claimed an address this node answers for, RFC 5227 §2.4), "
            + "`FLIPFLOP` (a neighbour's MAC changed back to the one it had before) and `VIP` (this node took or gave "
            + "up an elected address), in the same order as the table changes, without an id. The engine never waits "
            + "for a "
            + "consumer: events wait in a ring of neighd.events.buffer shared by all streams, and a consumer that "
            + "falls further behind (or takes nothing for neighd.events.stall-timeout) is sent `lost` and the stream "
            + "ends, as `ip monitor` is told ENOBUFS: read the table again and resubscribe. Idle streams get a "
            + "comment every 15 s. At most neighd.events.max-subscribers streams are open at a time. HEAD answers "
            + "what GET would, without subscribing.")
    @ApiResponse(responseCode = "200", description = "the stream", content = @Content(
            mediaType = MediaType.TEXT_EVENT_STREAM_VALUE, schema = @Schema(oneOf = {Neighbour.class,
            ScanDtos.Reply.class, ScanDtos.Scan.class, DiagnosticDtos.AddressChange.class, EventsLost.class})))
    @ApiResponse(responseCode = "404", description = "`unknown-interface`")
    @ApiResponse(responseCode = "503", description = "`too-many-subscribers`, with Retry-After: "
            + "neighd.events.max-subscribers streams are open; or `engine-unavailable`")
    void events(@Parameter(description = "only this interface's events") @RequestParam(required = false) String dev,
                HttpServletRequest request, HttpServletResponse response) throws IOException {
        ServletEventStream stream = new ServletEventStream(json, neighbours.hz());
        EventHub.Subscription sub = hub.subscribe(dev, stream);
        stream.start(sub, request, response);
    }

    /** What GET would answer, without a subscription: HEAD must not hold a slot that no one reads. */
    @RequestMapping(method = RequestMethod.HEAD)
    @Operation(hidden = true)
    ResponseEntity<Void> head(@RequestParam(required = false) String dev) {
        hub.checkSubscribe(dev);
        return ResponseEntity.ok().contentType(MediaType.TEXT_EVENT_STREAM).cacheControl(CacheControl.noStore())
                .build();
    }
}
