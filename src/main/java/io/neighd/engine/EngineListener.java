package io.neighd.engine;

import io.neighd.arp.Reason;
import io.neighd.ip.DeviceId;
import io.neighd.neighbour.NudState;

/**
 * Observes the engine on its own thread: events for {@code ip monitor neigh} subscribers, and
 * the raw facts metrics are made of. Implementations must be quick, must not call back into the
 * engine, and see only values.
 */
public interface EngineListener {
    default void event(NeighEvent e) {
    }

    default void transition(DeviceId dev, NudState from, NudState to) {
    }

    /** A resolution (NONE/FAILED to INCOMPLETE) ended VALID after {@code nanos}. */
    default void resolved(DeviceId dev, long nanos) {
    }

    /** A resolution ended FAILED. */
    default void resolutionFailed(DeviceId dev) {
    }

    /** Every received frame, with what became of it. */
    default void frame(DeviceId dev, Reason reason) {
    }
}
