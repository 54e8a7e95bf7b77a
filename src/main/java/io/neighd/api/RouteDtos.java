package io.neighd.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.neighd.service.NetworkService;
import io.swagger.v3.oas.annotations.media.Schema;

/** The JSON of {@code /api/v1/routes}: {@code ip -j route} spellings. */
final class RouteDtos {
    private RouteDtos() {
    }

    @Schema(name = "Route", description = "A route of the main table, as `ip -j route` prints it")
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Route(@Schema(example = "default") String dst,
                 @Schema(example = "unicast", allowableValues = {"unicast", "blackhole", "unreachable", "prohibit"})
                 String type,
                 @Schema(example = "10.77.0.254") String gateway,
                 @Schema(example = "nd0") String dev,
                 @Schema(description = "kernel: connected route of an owned address; static: configured or added",
                         allowableValues = {"kernel", "static"}) String protocol,
                 @Schema(example = "global") String scope,
                 @Schema(example = "10.77.0.1") String prefsrc,
                 @Schema(example = "0") int metric,
                 @Schema(description = "the route in ip route syntax", example = "default via 10.77.0.254 dev nd0")
                 String spec) {
        static Route of(NetworkService.RouteView r) {
            return new Route(r.dst(), r.type(), r.gateway() == null ? null : r.gateway().toString(), r.dev(),
                    r.protocol(), r.scope(), r.prefsrc() == null ? null : r.prefsrc().toString(), r.metric(), r.spec());
        }
    }

    @Schema(name = "RouteRequest", description = "`ip route add ROUTE`")
    record RouteRequest(@Schema(requiredMode = Schema.RequiredMode.REQUIRED,
            description = "[unicast|blackhole|unreachable|prohibit] PREFIX|default [via GW] [dev DEV] [src ADDR] "
                    + "[metric N] [scope SCOPE]", example = "10.88.0.0/24 via 10.77.0.254 dev nd0") String route) {
    }
}
