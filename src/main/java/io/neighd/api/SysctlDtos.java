package io.neighd.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.neighd.engine.Sysctl;
import io.swagger.v3.oas.annotations.media.Schema;

import java.util.List;

/** The JSON of {@code /api/v1/sysctl}. */
final class SysctlDtos {
    private SysctlDtos() {
    }

    @Schema(name = "Knob", description = "A knob as `sysctl` names it, in Linux units, with what it accepts")
    record Knob(@Schema(example = "net.ipv4.conf.nd0.arp_ignore") String name,
                @Schema(example = "0") long value,
                @Schema(example = "0") long min,
                @Schema(example = "8") long max,
                @Schema(example = "integer") String unit,
                String description,
                @Schema(description = "in the answer to a write: what became of a value outside min..max that "
                        + "Linux accepts (overflowed, wrapped or undocumented), naming the value stored and used")
                @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> warnings) {
        static Knob of(Sysctl.Knob k) {
            return new Knob(k.name(), k.value(), k.min(), k.max(), k.unit(), k.description(),
                    k.warning() == null ? List.of() : List.of(k.warning()));
        }
    }
}
