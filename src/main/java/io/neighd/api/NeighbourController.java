package io.neighd.api;

import io.neighd.neighbour.NudState;
import io.neighd.api.NeighbourDtos.Flushed;
import io.neighd.api.NeighbourDtos.Neighbour;
import io.neighd.api.NeighbourDtos.NeighbourRequest;
import io.neighd.api.NeighbourDtos.NeighbourUpdate;
import io.neighd.service.NeighbourDumps;
import io.neighd.service.NeighbourService;
import io.neighd.wire.IpAddress;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.context.request.async.DeferredResult;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** {@code ip neigh}: arp_tbl and nd_tbl. */
@RestController
@RequestMapping(path = "/api/v1/neighbours", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "neighbours", description = "`ip neigh`: the ARP (IPv4) and neighbour discovery (IPv6) tables")
class NeighbourController {
    private static final String DEV = "interface name, as in `dev nd0`";
    private static final String IP = "the neighbour's address, IPv4 or IPv6";
    private static final String FAMILY = "`inet` or `inet6` (as `ip -4` / `ip -6`); absent: both";
    private static final String STATES = "NUD states to select, repeated or comma-separated, any case "
            + "(none, incomplete, reachable, stale, delay, probe, failed, noarp, permanent), or `all`";

    /** The largest page. */
    static final int MAX_PAGE = 10_000;

    private final NeighbourService neighbours;
    private final NeighbourDumps dumps;
    private final RequestLimits limits;
    private final PendingWaits waits;

    NeighbourController(NeighbourService neighbours, NeighbourDumps dumps, RequestLimits limits, PendingWaits waits) {
        this.waits = waits;
        this.neighbours = neighbours;
        this.dumps = dumps;
        this.limits = limits;
    }

    @GetMapping
    @Operation(operationId = "listNeighbours",
            summary = "List entries (ip -s neigh show)", description = "Entries of every interface, or of `dev`, "
            + "of both tables or of `family`. "
            + "Without `state`, NOARP and NONE entries are hidden, as `ip neigh show` hides them (so are the "
            + "NOARP entries nd_tbl keeps for the multicast groups it sends to). Served from a dump "
            + "of the table that every reader shares: the engine copies the table a slice per turn of its loop "
            + "(frames are served between slices); readers at the same time share one dump, which always begins "
            + "after the request came (so a client sees its own writes). "
            + "With `limit`, one page of at most `limit` entries; a `Link: <...>; rel=\"next\"` header (and "
            + "`Neighd-Next-Cursor`) gives the `cursor` to go on from, absent after the last page. Without `limit` "
            + "the whole table is one answer: at most `neighd.api.max-full-dumps` (4 by default) of those are "
            + "served at once, "
            + "beyond that the answer is 503 `too-many-dumps` with Retry-After.")
    @ApiResponse(responseCode = "200", description = "the entries, by interface, family and address", headers = {
            @Header(name = "Link", description = "with `limit`, while more entries follow: "
                    + "`<this request with cursor=...>; rel=\"next\"`", schema = @Schema(type = "string")),
            @Header(name = "Neighd-Next-Cursor", description = "with `limit`, while more entries follow: the "
                    + "`cursor` to go on from", schema = @Schema(type = "string"))})
    @ApiResponse(responseCode = "400", description = "`invalid-state`: a state is not a NUD state name; "
            + "`invalid-request`: an unknown family, `limit` out of range or `cursor` not one this API gave")
    @ApiResponse(responseCode = "404", description = "`unknown-interface`: no interface named `dev`")
    @ApiResponse(responseCode = "503", description = "`too-many-dumps`, with Retry-After: "
            + "`neighd.api.max-full-dumps` whole-table answers are being served; page with `limit`, or retry; "
            + "`engine-unavailable`: the engine thread did not answer in time")
    ResponseEntity<List<Neighbour>> list(@Parameter(description = DEV) @RequestParam(required = false) String dev,
                         @Parameter(description = STATES) @RequestParam(name = "state", required = false)
                         List<String> states,
                         @Parameter(description = "at most this many entries, 1-" + MAX_PAGE + " (a page)")
                         @RequestParam(required = false) Long limit,
                         @Parameter(description = "go on after this entry: the `cursor` of the previous page's "
                                 + "Link header (`dev/address`)") @RequestParam(required = false) String cursor,
                         @Parameter(description = FAMILY) @RequestParam(required = false) String family) {
        int mask = Params.states("state", states, NudState.MASK_SHOWN_BY_DEFAULT);
        int max = limit == null ? 0 : (int) Params.range("limit", limit, MAX_PAGE, 1, MAX_PAGE);
        NeighbourDumps.Cursor from = null;
        if (cursor != null) {
            from = NeighbourDumps.Cursor.parse(cursor);
            if (from == null) {
                throw new ApiProblem(ProblemType.INVALID_REQUEST, "cursor: not a cursor this API gave (dev/address)",
                        "cursor", cursor);
            }
        }
        NeighbourDumps.Page page = dumps.list(dev, mask, Params.family("family", family), from, max);
        ResponseEntity.BodyBuilder r = ResponseEntity.ok();
        if (page.next() != null) {
            URI next = ServletUriComponentsBuilder.fromCurrentRequest().replaceQueryParam("cursor", page.next())
                    .build().encode().toUri();
            r.header(HttpHeaders.LINK, "<" + next.toASCIIString() + ">; rel=\"next\"");
            r.header("Neighd-Next-Cursor", page.next());
        }
        return r.body(page.entries().stream().map(s -> Neighbour.of(s, neighbours.hz())).toList());
    }

    @GetMapping("/{dev}/{ip}")
    @Operation(operationId = "getNeighbour",
            summary = "One entry (ip -s neigh get)")
    @ApiResponse(responseCode = "200", description = "the entry")
    @ApiResponse(responseCode = "400", description = "`invalid-ip`: `ip` is not an IP address")
    @ApiResponse(responseCode = "404", description = "`unknown-interface`, or `no-such-entry`: there is no entry")
    Neighbour get(@Parameter(description = DEV) @PathVariable String dev,
                  @Parameter(description = IP) @PathVariable String ip) {
        return Neighbour.of(neighbours.get(dev, Params.ip("ip", ip)), neighbours.hz());
    }

    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
    @Operation(operationId = "addNeighbour",
            summary = "Add an entry (ip neigh add)", description = "Creates an entry; `state` defaults to "
            + "PERMANENT, as with `ip neigh add`. PERMANENT and NOARP entries are kept in the state file and "
            + "survive a restart.")
    @ApiResponse(responseCode = "201", description = "created; Location names the entry")
    @ApiResponse(responseCode = "400", description = "`invalid-ip`, `invalid-mac`, `invalid-state`, or "
            + "`invalid-request` (lladdr missing for PERMANENT/NOARP, or flags the state does not allow)")
    @ApiResponse(responseCode = "404", description = "`unknown-interface`")
    @ApiResponse(responseCode = "409", description = "`entry-exists`: use PUT to replace or PATCH to change it")
    @ApiResponse(responseCode = "507", description = "`table-full`: gc_thresh3 reached and GC freed nothing")
    ResponseEntity<Neighbour> add(@RequestBody NeighbourRequest r) {
        IpAddress dst = Params.ip("dst", r.dst());
        if (r.dev() == null || r.dev().isBlank()) {
            throw new ApiProblem(ProblemType.INVALID_REQUEST, "dev is required", "dev", null);
        }
        NeighbourService.Written w = neighbours.add(r.dev(), dst, spec(r.lladdr(), r.state(), r.router(),
                r.externLearn(), r.managed()));
        return ResponseEntity.created(URI.create("/api/v1/neighbours/" + r.dev() + "/" + dst))
                .body(Neighbour.of(w.entry(), neighbours.hz()));
    }

    @PostMapping(path = "/batch", consumes = MediaType.APPLICATION_JSON_VALUE)
    @Operation(operationId = "addNeighbours",
            summary = "Add many entries (ip -force -batch of ip neigh add)", description = "An array of the bodies "
            + "`POST /api/v1/neighbours` takes, added in order, in one request and one state-file write. The batch "
            + "is checked first: a malformed entry or an unknown interface refuses all of it (the problem's `field` "
            + "names the entry, e.g. `[3].dst`) and nothing is added. Then, like `ip -force -batch`, every entry is "
            + "tried: those the table refuses (`entry-exists`, `table-full`, or `invalid-request` for flags the "
            + "state does not allow) are listed in `refused` with the problem a single add would have answered, "
            + "and the others are added. Entries are applied a few thousand at a time, so frames and timers are "
            + "served meanwhile; other writes wait for the whole batch.")
    @ApiResponse(responseCode = "200", description = "every entry was tried: how many were added, and those refused")
    @ApiResponse(responseCode = "400", description = "`invalid-ip`, `invalid-mac`, `invalid-state`, or "
            + "`invalid-request` (an entry is null, or dev is missing): nothing was added")
    @ApiResponse(responseCode = "404", description = "`unknown-interface`: nothing was added")
    @ApiResponse(responseCode = "413", description = "`payload-too-large`: more entries than neighd.api.max-batch "
            + "(default 100000), or a body beyond neighd.api.max-request-body (default 16MB): nothing was added")
    NeighbourDtos.BatchResult addAll(@RequestBody List<NeighbourRequest> entries) {
        limits.batch("batch", "entries", entries.size());
        List<NeighbourService.Add> batch = new ArrayList<>(entries.size());
        for (int i = 0; i < entries.size(); i++) {
            NeighbourRequest r = entries.get(i);
            String at = "[" + i + "].";
            if (r == null) {
                throw new ApiProblem(ProblemType.INVALID_REQUEST, "[" + i + "]: an entry is required, not null",
                        "[" + i + "]", null);
            }
            IpAddress dst = Params.ip(at + "dst", r.dst());
            if (r.dev() == null || r.dev().isBlank()) {
                throw new ApiProblem(ProblemType.INVALID_REQUEST, at + "dev is required", at + "dev", null);
            }
            batch.add(new NeighbourService.Add(r.dev(), dst, new NeighbourService.Spec(
                    Params.mac(at + "lladdr", r.lladdr()), Params.state(at + "state", r.state()), r.router(),
                    r.externLearn(), r.managed())));
        }
        NeighbourService.BatchResult done = neighbours.addAll(batch);
        List<NeighbourDtos.BatchRefusal> refused = new ArrayList<>(done.refused().size());
        for (NeighbourService.Refusal f : done.refused()) {
            ProblemType t = ProblemType.of(f.why().kind());
            refused.add(new NeighbourDtos.BatchRefusal(f.index(), f.entry().dst().toString(), f.entry().dev(),
                    t.uri().toString(), t.title(), t.status().value(), f.why().getMessage(),
                    f.why().field() == null ? null : "[" + f.index() + "]." + f.why().field()));
        }
        return new NeighbourDtos.BatchResult(done.added(), refused);
    }

    @PutMapping(path = "/{dev}/{ip}", consumes = MediaType.APPLICATION_JSON_VALUE)
    @Operation(operationId = "replaceNeighbour",
            summary = "Create or replace an entry (ip neigh replace)", description = "`state` defaults to "
            + "PERMANENT.")
    @ApiResponse(responseCode = "200", description = "replaced")
    @ApiResponse(responseCode = "201", description = "created")
    @ApiResponse(responseCode = "400", description = "`invalid-ip`, `invalid-mac`, `invalid-state`, `invalid-request`")
    @ApiResponse(responseCode = "404", description = "`unknown-interface`")
    @ApiResponse(responseCode = "507", description = "`table-full`")
    ResponseEntity<Neighbour> replace(@Parameter(description = DEV) @PathVariable String dev,
                                      @Parameter(description = IP) @PathVariable String ip,
                                      @RequestBody NeighbourUpdate u) {
        NeighbourService.Written w = neighbours.replace(dev, Params.ip("ip", ip),
                spec(u.lladdr(), u.state(), u.router(), u.externLearn(), u.managed()));
        return ResponseEntity.status(w.created() ? HttpStatus.CREATED : HttpStatus.OK)
                .body(Neighbour.of(w.entry(), neighbours.hz()));
    }

    @PatchMapping(path = "/{dev}/{ip}", consumes = MediaType.APPLICATION_JSON_VALUE)
    @Operation(operationId = "changeNeighbour",
            summary = "Change an entry (ip neigh change)", description = "Fields left out keep their current "
            + "value. An entry changed to a state other than PERMANENT or NOARP leaves the state file.")
    @ApiResponse(responseCode = "200", description = "changed")
    @ApiResponse(responseCode = "400", description = "`invalid-ip`, `invalid-mac`, `invalid-state`, `invalid-request`")
    @ApiResponse(responseCode = "404", description = "`unknown-interface`, or `no-such-entry`")
    Neighbour change(@Parameter(description = DEV) @PathVariable String dev,
                     @Parameter(description = IP) @PathVariable String ip,
                     @RequestBody NeighbourUpdate u) {
        NeighbourService.Written w = neighbours.change(dev, Params.ip("ip", ip),
                spec(u.lladdr(), u.state(), u.router(), u.externLearn(), u.managed()));
        return Neighbour.of(w.entry(), neighbours.hz());
    }

    @DeleteMapping("/{dev}/{ip}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(operationId = "deleteNeighbour",
            summary = "Delete an entry (ip neigh del)")
    @ApiResponse(responseCode = "204", description = "deleted")
    @ApiResponse(responseCode = "400", description = "`invalid-ip`")
    @ApiResponse(responseCode = "404", description = "`unknown-interface`, or `no-such-entry`")
    void delete(@Parameter(description = DEV) @PathVariable String dev,
                @Parameter(description = IP) @PathVariable String ip) {
        neighbours.delete(dev, Params.ip("ip", ip));
    }

    @DeleteMapping
    @Operation(operationId = "flushNeighbours",
            summary = "Flush entries (ip neigh flush)", description = "Removes the entries of every interface, "
            + "or of `dev`, of both tables or of `family`. Without `state`, PERMANENT and NOARP entries stay and "
            + "every other state goes, FAILED included, as with `ip neigh flush` (iproute2 flushes FAILED entries in "
            + "its first round); a state named in `state` is flushed.")
    @ApiResponse(responseCode = "200", description = "how many entries were flushed")
    @ApiResponse(responseCode = "400", description = "`invalid-state`, or `invalid-request` (an unknown family)")
    @ApiResponse(responseCode = "404", description = "`unknown-interface`")
    Flushed flush(@Parameter(description = DEV) @RequestParam(required = false) String dev,
                  @Parameter(description = STATES) @RequestParam(name = "state", required = false)
                  List<String> states,
                  @Parameter(description = FAMILY) @RequestParam(required = false) String family) {
        return new Flushed(neighbours.flush(dev, Params.states("state", states, 0), Params.family("family", family)));
    }

    @PostMapping("/{dev}/{ip}/resolve")
    @Operation(operationId = "resolveNeighbour",
            summary = "Resolve an address and wait", description = "Starts resolution as an outbound packet "
            + "would (creating the entry and soliciting, or probing a stale one) and waits until the entry is valid. "
            + "The wait holds no server thread (the request is answered asynchronously when the engine's resolve "
            + "waiter completes), so parallel resolves to silent addresses never starve other requests or the "
            + "probes; `timeout_ms` is capped at 60000 (400 `invalid-request` naming `timeout_ms` beyond).")
    @ApiResponse(responseCode = "200", description = "the entry, once valid")
    @ApiResponse(responseCode = "400", description = "`invalid-ip`, or `invalid-request` (timeout_ms out of range)")
    @ApiResponse(responseCode = "404", description = "`unknown-interface`, or `unresolved`: the entry FAILED "
            + "(no answer to mcast_solicit probes) or was removed meanwhile")
    @ApiResponse(responseCode = "503", description = "`too-many-waits`, with Retry-After: "
            + "`neighd.api.max-pending-waits` resolves and pings are waiting already; `engine-unavailable`: the "
            + "engine thread did not answer in time")
    @ApiResponse(responseCode = "504", description = "`resolve-timeout`: still unresolved at `timeout_ms`")
    @ApiResponse(responseCode = "507", description = "`table-full`")
    DeferredResult<Neighbour> resolve(@Parameter(description = DEV) @PathVariable String dev,
                      @Parameter(description = IP) @PathVariable String ip,
                      @Parameter(description = "how long to wait, 1-60000 ms") @RequestParam(name = "timeout_ms",
                              required = false, defaultValue = "3000") Long timeoutMs) {
        long t = Params.range("timeout_ms", timeoutMs, 3000, 1, 60_000);
        Duration timeout = Duration.ofMillis(t);
        var dst = Params.ip("ip", ip);
        return waits.deferred(() -> neighbours.resolve(dev, dst, timeout), timeout,
                n -> Neighbour.of(n, neighbours.hz()));
    }

    private static NeighbourService.Spec spec(String lladdr, String state, Boolean router, Boolean externLearn,
                                              Boolean managed) {
        return new NeighbourService.Spec(Params.mac("lladdr", lladdr), Params.state("state", state), router,
                externLearn, managed);
    }
}
