package io.neighd.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.neighd.neighbour.NeighSnapshot;
import io.neighd.service.NeighbourService;
import io.swagger.v3.oas.annotations.media.Schema;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.io.SerializedString;
import tools.jackson.databind.SerializationContext;
import tools.jackson.databind.annotation.JsonSerialize;
import tools.jackson.databind.ser.std.StdSerializer;

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
    @JsonSerialize(using = NeighbourJson.class)
    record Neighbour(
            @Schema(example = "10.77.0.2") String dst,
            @Schema(description = "the table's family, as iproute2 names families in its JSON: inet (arp_tbl) or "
                    + "inet6 (nd_tbl); ip -j neigh itself prints none", allowableValues = {"inet", "inet6"},
                    example = "inet") String family,
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
            return new Neighbour(s.dst().toString(), s.dst().familyName(), s.dev(),
                    s.lladdr() == null ? null : s.lladdr().toString(),
                    List.of(s.state().name()), s.router(), s.externLearn(), s.managed(), s.probes(), s.usedAgo() / hz,
                    s.confirmedAgo() / hz, s.updatedAgo() / hz, s.refcnt(), s.queueLenBytes());
        }
    }

    /**
     * Writes a {@link Neighbour} field by field, in the record's order and with its names, lladdr
     * left out when null: a table dump is 100,000 of them, and Jackson's reflective bean writer was
     * the largest part of {@code GET /api/v1/neighbours} (docs/performance.md).
     */
    static final class NeighbourJson extends StdSerializer<Neighbour> {
        private static final SerializedString DST = new SerializedString("dst");
        private static final SerializedString FAMILY = new SerializedString("family");
        private static final SerializedString DEV = new SerializedString("dev");
        private static final SerializedString LLADDR = new SerializedString("lladdr");
        private static final SerializedString STATE = new SerializedString("state");
        private static final SerializedString ROUTER = new SerializedString("router");
        private static final SerializedString EXTERN_LEARN = new SerializedString("extern_learn");
        private static final SerializedString MANAGED = new SerializedString("managed");
        private static final SerializedString PROBES = new SerializedString("probes");
        private static final SerializedString USED = new SerializedString("used");
        private static final SerializedString CONFIRMED = new SerializedString("confirmed");
        private static final SerializedString UPDATED = new SerializedString("updated");
        private static final SerializedString REFCNT = new SerializedString("refcnt");
        private static final SerializedString QUEUE_LEN_BYTES = new SerializedString("queue_len_bytes");

        NeighbourJson() {
            super(Neighbour.class);
        }

        @Override
        public void serialize(Neighbour n, JsonGenerator g, SerializationContext ctxt) {
            g.writeStartObject(n);
            g.writeName(DST);
            g.writeString(n.dst());
            g.writeName(FAMILY);
            g.writeString(n.family());
            g.writeName(DEV);
            g.writeString(n.dev());
            if (n.lladdr() != null) {
                g.writeName(LLADDR);
                g.writeString(n.lladdr());
            }
            g.writeName(STATE);
            g.writeStartArray();
            for (String st : n.state()) {
                g.writeString(st);
            }
            g.writeEndArray();
            g.writeName(ROUTER);
            g.writeBoolean(n.router());
            g.writeName(EXTERN_LEARN);
            g.writeBoolean(n.externLearn());
            g.writeName(MANAGED);
            g.writeBoolean(n.managed());
            g.writeName(PROBES);
            g.writeNumber(n.probes());
            g.writeName(USED);
            g.writeNumber(n.used());
            g.writeName(CONFIRMED);
            g.writeNumber(n.confirmed());
            g.writeName(UPDATED);
            g.writeNumber(n.updated());
            g.writeName(REFCNT);
            g.writeNumber(n.refcnt());
            g.writeName(QUEUE_LEN_BYTES);
            g.writeNumber(n.queueLenBytes());
            g.writeEndObject();
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

    @Schema(name = "NeighbourBatchResult", description = "What a batch add did. Like `ip -force -batch`, it goes "
            + "on past an entry it cannot add: `added` counts the entries added, `refused` lists the others")
    record BatchResult(@Schema(example = "99999") int added,
                       @Schema(description = "the entries not added, in batch order") List<BatchRefusal> refused) {
    }

    @Schema(name = "NeighbourBatchRefusal", description = "An entry of a batch that was not added, with the problem "
            + "(RFC 9457 fields) a single `POST /api/v1/neighbours` of it would have answered")
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record BatchRefusal(@Schema(description = "its position in the batch, from 0", example = "3") int index,
                        @Schema(example = "10.77.0.9") String dst,
                        @Schema(example = "nd0") String dev,
                        @Schema(example = "https://neighd.io/problems/entry-exists") String type,
                        @Schema(example = "Entry exists") String title,
                        @Schema(example = "409") int status,
                        @Schema(example = "an entry for 10.77.0.9 dev nd0 exists (replace it with PUT, or change it "
                                + "with PATCH)") String detail,
                        @Schema(description = "the field at fault, prefixed with the entry's index", example = "[3].dst")
                        String field) {
    }

    @Schema(name = "Flushed", description = "How many entries `ip neigh flush` removed")
    record Flushed(@Schema(example = "3") int flushed) {
    }

    @Schema(name = "ProxyNeighbour", description = "An `ip neigh add proxy` entry")
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record ProxyNeighbour(@Schema(example = "10.77.0.50") String dst,
                          @Schema(description = "absent: every interface", example = "nd0") String dev,
                          @Schema(description = "NTF_ROUTER: proxied advertisements carry the R flag; absent when off")
                          Boolean router) {
        static ProxyNeighbour of(NeighbourService.Proxy p) {
            return new ProxyNeighbour(p.dst().toString(), p.dev(), p.router() ? Boolean.TRUE : null);
        }
    }

    @Schema(name = "ProxyRequest", description = "`ip neigh add proxy DST [dev DEV] [router]`")
    record ProxyRequest(@Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "10.77.0.50") String dst,
                        @Schema(description = "omit for every interface (IPv4 only: IPv6 needs it)", example = "nd0")
                        String dev,
                        @Schema(description = "NTF_ROUTER (IPv6): advertise R for it", defaultValue = "false")
                        Boolean router) {
    }
}
