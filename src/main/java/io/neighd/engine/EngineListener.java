package io.neighd.engine;

import io.neighd.arp.Reason;
import io.neighd.ip.DeviceId;
import io.neighd.neighbour.NudState;
import io.neighd.wire.Ipv4Address;
import io.neighd.wire.MacAddress;

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

    /**
     * A received ARP frame from {@code claimant}, another station, has {@code address}, an
     * address of this host, as its sender (RFC 5227 section 2.4); told before the frame's
     * {@link #frame} report.
     */
    default void claimed(DeviceId dev, Ipv4Address address, MacAddress claimant) {
    }

    /** Every received frame, with what became of it. */
    default void frame(DeviceId dev, Reason reason) {
    }
}
