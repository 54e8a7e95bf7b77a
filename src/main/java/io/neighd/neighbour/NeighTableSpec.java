package io.neighd.neighbour;

import java.util.EnumMap;
import java.util.Map;

/**
 * The fixed part of a struct neigh_table that its protocol fills in: the name of its statistics
 * file ({@code id}), the address family, the key length, the parms defaults and the GC
 * thresholds.
 *
 * @param defaults every {@link NeighVar}'s default; {@link NeighVar.Unit#JIFFIES} ones in
 *                 milliseconds, converted at the engine's HZ
 */
public record NeighTableSpec(String id, int family, int keyLen, Map<NeighVar, Integer> defaults, int gcThresh1,
                             int gcThresh2, int gcThresh3) {

    public NeighTableSpec {
        defaults = new EnumMap<>(defaults);
        for (NeighVar v : NeighVar.values()) {
            if (!defaults.containsKey(v)) {
                throw new IllegalArgumentException(id + ": no default for " + v);
            }
        }
        if (keyLen != 4 && keyLen != 16) {
            throw new IllegalArgumentException(id + ": key length " + keyLen + " (expected: 4 or 16)");
        }
    }

    public int defaultValue(NeighVar v) {
        return defaults.get(v);
    }
}
