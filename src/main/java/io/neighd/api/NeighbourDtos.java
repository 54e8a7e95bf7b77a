package io.neighd.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.neighd.neighbour.NeighSnapshot;
import io.neighd.service.NeighbourService;
import io.swagger.v3.oas.annotations.media.Schema;

import java.util.List;

/**
 * The JSON of {@code /api/v1/neighbours} and {@code /api/v1/proxy-neighbours}: field names as
 * {@code ip -j -s neigh} spells them.
 */
final class NeighbourDtos {
    private NeighbourDtos() {
    }

    @Schema(name = "Neighbour", description = "A neighbour entry, as `ip -j -s neigh show` prints it")
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Neighbour(
            @Schema(example = "10.77.0.2") String dst,
            @Schema(example = "nd0") String dev,
            @Schema(description = "link-layer address; absent unless the state is valid (as ip omits it)",
                    example = "02:bb:00:00:00:02") String lladdr,
            @Schema(description = "the NUD state, as a one-element array like ip -j prints it",
                    example = "[\"REACHABLE\"]") List<String> state,
            @Schema(description = "NTF_ROUTER") boolean router,
            @JsonProperty("extern_learn") @Schema(description = "NTF_EXT_LEARNED") boolean externLearn,
            @Schema(description = "NTF_MANAGED: kept resolved by the kernel") boolean managed,
            @Schema(description = "probes sent since the entry was last confirmed") int probes,
            @Schema(description = "seconds since the entry was last used") long used,
            @Schema(description = "seconds since the entry was last confirmed") long confirmed,
            @Schema(description = "seconds since the entry was last updated") long updated,
            @Schema(description = "references other than the table's, as ip -s prints it") int refcnt,
            @JsonProperty("queue_len_bytes") @Schema(description = "bytes queued waiting for resolution")
            int queueLenBytes) {

        static Neighbour of(NeighSnapshot s, int hz) {
            return new Neighbour(s.dst().toString(), s.dev(), s.lladdr() == null ? null : s.lladdr().toString(),
                    List.of(s.state().name()), s.router(), s.externLearn(), s.managed(), s.probes(), s.usedAgo() / hz,
                    s.confirmedAgo() / hz, s.updatedAgo() / hz, s.refcnt(), s.queueLenBytes());
        }
    }

    @Schema(name = "NeighbourRequest", description = "`ip neigh add DST dev DEV lladdr LLADDR nud STATE [router] "
            + "[extern_learn] [managed]`")
    record NeighbourRequest(
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "10.77.0.9") String dst,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "nd0") String dev,
            @Schema(description = "required for PERMANENT and NOARP", example = "02:bb:00:00:00:09") String lladdr,
            @Schema(description = "NUD state (any case); default PERMANENT, as ip neigh add", example = "permanent",
                    allowableValues = {"permanent", "noarp", "reachable", "stale", "delay", "probe", "failed",
                            "incomplete", "none"}) String state,
            @Schema(description = "NTF_ROUTER", defaultValue = "false") Boolean router,
            @JsonProperty("extern_learn") @Schema(description = "NTF_EXT_LEARNED", defaultValue = "false")
            Boolean externLearn,
            @Schema(description = "NTF_MANAGED (not with PERMANENT)", defaultValue = "false") Boolean managed) {
    }

    @Schema(name = "NeighbourUpdate", description = "The attributes of `ip neigh replace` (PUT) or `ip neigh change` "
            + "(PATCH); the address and interface come from the path")
    record NeighbourUpdate(
            @Schema(description = "PUT: required for PERMANENT and NOARP; PATCH: absent keeps the current address",
                    example = "02:bb:00:00:00:09") String lladdr,
            @Schema(description = "PUT: default PERMANENT; PATCH: absent keeps the current state",
                    example = "permanent") String state,
            @Schema(description = "NTF_ROUTER; PATCH: absent keeps it") Boolean router,
            @JsonProperty("extern_learn") @Schema(description = "NTF_EXT_LEARNED; PATCH: absent keeps it")
            Boolean externLearn,
            @Schema(description = "NTF_MANAGED; PATCH: absent keeps it") Boolean managed) {
    }

    @Schema(name = "Flushed", description = "How many entries `ip neigh flush` removed")
    record Flushed(@Schema(example = "3") int flushed) {
    }

    @Schema(name = "ProxyNeighbour", description = "An `ip neigh add proxy` entry")
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record ProxyNeighbour(@Schema(example = "10.77.0.50") String dst,
                          @Schema(description = "absent: every interface", example = "nd0") String dev) {
        static ProxyNeighbour of(NeighbourService.Proxy p) {
            return new ProxyNeighbour(p.dst().toString(), p.dev());
        }
    }

    @Schema(name = "ProxyRequest", description = "`ip neigh add proxy DST [dev DEV]`")
    record ProxyRequest(@Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "10.77.0.50") String dst,
                        @Schema(description = "omit for every interface", example = "nd0") String dev) {
    }
}
