package io.neighd.api;

import io.neighd.api.DiagnosticDtos.EventsDropped;
import io.neighd.api.NeighbourDtos.Neighbour;
import io.neighd.engine.AddressEvent;
import io.neighd.engine.NeighEvent;
import io.neighd.service.EventHub;
import io.neighd.service.NeighbourService;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/** {@code ip monitor neigh} as server-sent events. */
@RestController
@RequestMapping("/api/v1/events")
@Tag(name = "events", description = "`ip monitor neigh`: table changes as they happen")
class EventController {
    private final EventHub hub;
    private final NeighbourService neighbours;

    EventController(EventHub hub, NeighbourService neighbours) {
        this.hub = hub;
        this.neighbours = neighbours;
    }

    @GetMapping(produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    @Operation(operationId = "watchEvents",
            summary = "Watch the table (ip monitor neigh)", description = "A server-sent event stream. Event "
            + "names: `NEWNEIGH` (an entry was created or changed), `DELNEIGH` (removed; ip prints \"delete\"), "
            + "`GETNEIGH` (an app_solicit probe; ip prints \"miss\"), each with the entry as data, in the JSON of "
            + "GET /api/v1/neighbours; and for IPv6 addresses (`ip monitor address`) `NEWADDR` (added, or its flags "
            + "changed: DAD passed or failed), `DELADDR` and `DADFAILED` (another node has a tentative address of "
            + "ours: the address and the MAC that claimed it); the engine's event sequence number as id. A "
            + "consumer that reads too slowly loses the oldest events beyond neighd.events.buffer and is then sent `events-dropped` with "
            + "how many; the engine never waits for a consumer. Idle streams get a comment every 15 s.")
    @ApiResponse(responseCode = "200", description = "the stream", content = @Content(
            mediaType = MediaType.TEXT_EVENT_STREAM_VALUE, schema = @Schema(oneOf = {Neighbour.class,
            DiagnosticDtos.AddressChange.class, EventsDropped.class})))
    @ApiResponse(responseCode = "404", description = "`unknown-interface`")
    SseEmitter events(@Parameter(description = "only this interface's events") @RequestParam(required = false)
                      String dev) {
        SseEmitter emitter = new SseEmitter(0L);
        int hz = neighbours.hz();
        EventHub.Subscription sub = hub.subscribe(dev, new EventHub.Sink() {
            @Override
            public void event(NeighEvent e) throws Exception {
                emitter.send(SseEmitter.event().id(Long.toString(e.seq())).name(e.type().name())
                        .data(Neighbour.of(e.entry(), hz), MediaType.APPLICATION_JSON));
            }

            @Override
            public void address(AddressEvent e) throws Exception {
                emitter.send(SseEmitter.event().id(Long.toString(e.seq())).name(e.type().name())
                        .data(DiagnosticDtos.AddressChange.of(e), MediaType.APPLICATION_JSON));
            }

            @Override
            public void dropped(long dropped, long total) throws Exception {
                emitter.send(SseEmitter.event().name("events-dropped")
                        .data(new EventsDropped(dropped, total), MediaType.APPLICATION_JSON));
            }

            @Override
            public void heartbeat() throws Exception {
                emitter.send(SseEmitter.event().comment("keep-alive"));
            }

            @Override
            public void closed() {
                emitter.complete();
            }
        });
        emitter.onCompletion(sub::close);
        emitter.onTimeout(sub::close);
        emitter.onError(t -> sub.close());
        try {
            // flushes the headers now: a client knows it is subscribed before the first event
            emitter.send(SseEmitter.event().comment("subscribed"));
        } catch (java.io.IOException e) {
            sub.close();
        }
        return emitter;
    }
}
