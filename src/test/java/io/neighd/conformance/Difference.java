package io.neighd.conformance;

import io.neighd.lab.Lab;

/**
 * One way Linux's outcome and neighd's differ, typed so that an excuse ({@link KnownDifferences})
 * can name exactly the differences it explains and nothing else.
 *
 * @param kind   what differs
 * @param text   the difference, for a person
 * @param linux  Linux's frame or entry (null where Linux has none)
 * @param neighd neighd's frame or entry (null where neighd has none)
 * @param field  for {@link Kind#ENTRY_FIELDS}: the fields that differ, comma-separated
 */
record Difference(Kind kind, String text, Object linux, Object neighd, String field) {
    enum Kind {
        /** One side could not run the scenario. */
        ERROR,
        /** The stimulus did not arrive as the tools said (never excused: the run proves nothing). */
        STIMULUS,
        /** Linux sent a frame neighd did not. */
        FRAME_ONLY_LINUX,
        /** neighd sent a frame Linux did not. */
        FRAME_ONLY_NEIGHD,
        /** The same frame, further apart in time than the scenario's slack. */
        FRAME_TIMING,
        /** Random delays whose distributions differ, or fall outside their range. */
        DELAYS,
        /** An entry only Linux has. */
        ENTRY_ONLY_LINUX,
        /** An entry only neighd has. */
        ENTRY_ONLY_NEIGHD,
        /** The same entry with different fields. */
        ENTRY_FIELDS,
        /** An arp_cache counter moved differently. */
        STATISTICS
    }

    static Difference frame(Kind kind, String text, Outcome.WireFrame linux, Outcome.WireFrame neighd) {
        return new Difference(kind, text, linux, neighd, null);
    }

    static Difference entry(Kind kind, String text, Lab.KernelNeighbour linux, Lab.KernelNeighbour neighd,
                            String fields) {
        return new Difference(kind, text, linux, neighd, fields);
    }

    static Difference of(Kind kind, String text) {
        return new Difference(kind, text, null, null, null);
    }

    Outcome.WireFrame linuxFrame() {
        return linux instanceof Outcome.WireFrame w ? w : null;
    }

    Lab.KernelNeighbour linuxEntry() {
        return linux instanceof Lab.KernelNeighbour n ? n : null;
    }

    Lab.KernelNeighbour neighdEntry() {
        return neighd instanceof Lab.KernelNeighbour n ? n : null;
    }

    @Override
    public String toString() {
        return text;
    }
}
