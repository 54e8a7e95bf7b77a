package io.neighd.engine;

import io.neighd.arp.Reason;
import io.neighd.ip.NetDevice;
import io.neighd.neighbour.NudState;

/**
 * Observes the engine on its own thread: events for {@code ip monitor neigh} subscribers, and
 * the raw facts metrics are made of. Implementations must be quick and must not call back into
 * the engine.
 */
public interface EngineListener {
    default void event(NeighEvent e) {
    }

    default void transition(NetDevice dev, NudState from, NudState to) {
    }

    /** A resolution (NONE/FAILED to INCOMPLETE) ended VALID after {@code nanos}. */
    default void resolved(NetDevice dev, long nanos) {
    }

    /** A resolution ended FAILED. */
    default void resolutionFailed(NetDevice dev) {
    }

    /** Every received frame, with what became of it. */
    default void frame(NetDevice dev, Reason reason) {
    }
}
