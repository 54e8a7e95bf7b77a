package io.neighd.api;

import io.neighd.engine.Sysctl;
import io.swagger.v3.oas.annotations.media.Schema;

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
                String description) {
        static Knob of(Sysctl.Knob k) {
            return new Knob(k.name(), k.value(), k.min(), k.max(), k.unit(), k.description());
        }
    }
}
