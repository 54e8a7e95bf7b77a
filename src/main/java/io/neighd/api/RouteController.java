package io.neighd.api;

import io.neighd.api.RouteDtos.Route;
import io.neighd.api.RouteDtos.RouteRequest;
import io.neighd.service.NetworkService;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import java.util.List;

/** {@code ip route}: the main table. */
@RestController
@RequestMapping(path = "/api/v1/routes", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "routes", description = "`ip route`: the routes neighd's outbound path and arp_filter use")
class RouteController {
    private final NetworkService network;

    RouteController(NetworkService network) {
        this.network = network;
    }

    @GetMapping
    @Operation(operationId = "listRoutes",
            summary = "List routes (ip route show)", description = "The main table: connected routes of owned "
            + "addresses (protocol kernel) and static routes.")
    @ApiResponse(responseCode = "200", description = "the routes")
    List<Route> list() {
        return network.routes().stream().map(Route::of).toList();
    }

    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(operationId = "addRoute",
            summary = "Add a static route (ip route add)", description = "Kept in the state file.")
    @ApiResponse(responseCode = "201", description = "added")
    @ApiResponse(responseCode = "400", description = "`invalid-route`: the route does not parse, names an unknown "
            + "interface, or its gateway is on no connected subnet")
    @ApiResponse(responseCode = "409", description = "`route-exists`: same destination and metric")
    Route add(@RequestBody RouteRequest r) {
        return Route.of(network.addRoute(r.route()));
    }

    @DeleteMapping
    @Operation(operationId = "deleteRoutes",
            summary = "Delete static routes (ip route del)", description = "Every static route to exactly `dst`. "
            + "Kept in the state file.")
    @ApiResponse(responseCode = "200", description = "the routes removed")
    @ApiResponse(responseCode = "400", description = "`invalid-route`: `dst` is not a prefix or `default`; "
            + "`invalid-request`: `dst` is missing")
    @ApiResponse(responseCode = "404", description = "`no-such-route`")
    List<Route> delete(@Parameter(description = "destination: a prefix like 10.88.0.0/24, or `default`",
            required = true) @RequestParam String dst) {
        return network.deleteRoutes(Params.destination("dst", dst)).stream().map(Route::of).toList();
    }
}
