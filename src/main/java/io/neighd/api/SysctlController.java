package io.neighd.api;

import io.neighd.api.SysctlDtos.Knob;
import io.neighd.service.NetworkService;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code sysctl net.ipv4.conf.*} and {@code net.ipv4.neigh.*}. */
@RestController
@RequestMapping(path = "/api/v1/sysctl", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "sysctl", description = "`sysctl net.ipv4.conf.*` and `net.ipv4.neigh.*`: every knob by its full "
        + "Linux name, in Linux units")
class SysctlController {
    private final NetworkService network;
    private final RequestLimits limits;

    SysctlController(NetworkService network, RequestLimits limits) {
        this.network = network;
        this.limits = limits;
    }

    @GetMapping
    @Operation(operationId = "listSysctl",
            summary = "List knobs (sysctl -a)", description = "net.ipv4.conf.{all,default,DEV}.*, "
            + "net.ipv4.neigh.{default,DEV}.* and the table-wide net.ipv4.neigh.default.gc_*.")
    @ApiResponse(responseCode = "200", description = "the knobs whose names start with `prefix`")
    List<Knob> list(@Parameter(description = "only names starting with this, e.g. net.ipv4.conf.nd0.")
                    @RequestParam(required = false) String prefix) {
        return network.knobs(prefix).stream().map(Knob::of).toList();
    }

    @PatchMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
    @Operation(operationId = "setSysctl",
            summary = "Write knobs (sysctl -w), all or nothing", description = "Every key and value is checked "
            + "before any is written. Written knobs are kept in the state file.")
    @io.swagger.v3.oas.annotations.parameters.RequestBody(description = "knob name to integer value",
            content = @Content(schema = @Schema(type = "object", additionalPropertiesSchema = Long.class),
                    examples = @ExampleObject("{\"net.ipv4.conf.nd0.arp_ignore\": 1, "
                            + "\"net.ipv4.neigh.nd0.base_reachable_time_ms\": 15000}")))
    @ApiResponse(responseCode = "200", description = "the knobs written, as they now read (time values round "
            + "through jiffies as in Linux); a value Linux accepts outside `min`..`max` (overflowed, wrapped or "
            + "undocumented) is written as Linux stores it and its knob carries `warnings`")
    @ApiResponse(responseCode = "400", description = "`invalid-sysctl`: an unknown knob, a value that is not an "
            + "integer, or one out of range; `field` names the knob and the detail the allowed range")
    @ApiResponse(responseCode = "413", description = "`payload-too-large`: more knobs than neighd.api.max-batch: "
            + "nothing was written")
    List<Knob> set(@RequestBody Map<String, Object> writes) {
        limits.batch("body", "knobs", writes.size());
        Map<String, Long> values = new LinkedHashMap<>();
        writes.forEach((k, v) -> values.put(k, integer(k, v)));
        return network.setKnobs(values).stream().map(Knob::of).toList();
    }

    private static long integer(String key, Object v) {
        try {
            if (v instanceof Number || v instanceof String) {
                return new BigDecimal(v.toString().trim()).longValueExact();
            }
        } catch (ArithmeticException | NumberFormatException e) {
            // fall through
        }
        throw new ApiProblem(ProblemType.INVALID_SYSCTL, key + ": '" + v + "' is not an integer", key, v);
    }
}
