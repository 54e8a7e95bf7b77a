package io.neighd.api;

import io.neighd.api.NeighbourDtos.ProxyNeighbour;
import io.neighd.api.NeighbourDtos.ProxyRequest;
import io.neighd.service.NeighbourService;
import io.neighd.wire.IpAddress;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import java.util.List;

/** {@code ip neigh add|del|show proxy}. */
@RestController
@RequestMapping(path = "/api/v1/proxy-neighbours", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "proxy-neighbours", description = "`ip neigh ... proxy`: addresses neighd answers ARP (proxy_arp) or "
        + "neighbour solicitations (proxy_ndp) for on behalf of other hosts")
class ProxyController {
    private final NeighbourService neighbours;

    ProxyController(NeighbourService neighbours) {
        this.neighbours = neighbours;
    }

    @GetMapping
    @Operation(operationId = "listProxyNeighbours",
            summary = "List proxy entries (ip neigh show proxy)")
    @ApiResponse(responseCode = "200", description = "the proxy entries")
    List<ProxyNeighbour> list() {
        return neighbours.proxies().stream().map(ProxyNeighbour::of).toList();
    }

    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
    @Operation(operationId = "addProxyNeighbour",
            summary = "Add a proxy entry (ip neigh add proxy)", description = "Adding an existing entry is not an "
            + "error, as in Linux (it takes the new router flag). An IPv6 entry needs `dev` (Linux refuses one for "
            + "every interface) and joins the address's solicited-node group there; it is answered with forwarding "
            + "and proxy_ndp on. Kept in the state file.")
    @ApiResponse(responseCode = "201", description = "created")
    @ApiResponse(responseCode = "200", description = "it existed already")
    @ApiResponse(responseCode = "400", description = "`invalid-ip`, or `invalid-request` (an IPv6 entry without dev)")
    @ApiResponse(responseCode = "404", description = "`unknown-interface`")
    ResponseEntity<ProxyNeighbour> add(@RequestBody ProxyRequest r) {
        IpAddress dst = Params.ip("dst", r.dst());
        boolean router = Boolean.TRUE.equals(r.router());
        boolean created = neighbours.addProxy(dst, r.dev(), router);
        return ResponseEntity.status(created ? HttpStatus.CREATED : HttpStatus.OK)
                .body(new ProxyNeighbour(dst.toString(), r.dev(), router ? Boolean.TRUE : null));
    }

    @DeleteMapping("/{ip}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(operationId = "deleteProxyNeighbour",
            summary = "Delete a proxy entry (ip neigh del proxy)", description = "`dev` must match the entry's: "
            + "leave it out for an entry of every interface.")
    @ApiResponse(responseCode = "204", description = "deleted")
    @ApiResponse(responseCode = "400", description = "`invalid-ip`")
    @ApiResponse(responseCode = "404", description = "`unknown-interface`, or `no-such-entry`")
    void delete(@Parameter(description = "the proxied address") @PathVariable String ip,
                @Parameter(description = "the entry's interface; absent for an entry of every interface")
                @RequestParam(required = false) String dev) {
        neighbours.deleteProxy(Params.ip("ip", ip), dev);
    }
}
