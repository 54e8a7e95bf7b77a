package io.neighd.engine;

import io.neighd.arp.Reason;
import io.neighd.ip.DeviceId;
import io.neighd.neighbour.NudState;
import io.neighd.wire.IpAddress;
import io.neighd.wire.Ipv4Address;
import io.neighd.wire.MacAddress;

/**
 * Observes the engine on its own thread: events for {@code ip monitor} subscribers, and the raw
 * facts metrics are made of. Implementations must be quick, must not call back into the engine,
 * and see only values. {@code family} is the table's: IpAddress.AF_INET (arp_tbl) or AF_INET6
 * (nd_tbl), and for frames, that of the frame (ARP and IPv4 are AF_INET).
 */
public interface EngineListener {
    default void event(NeighEvent e) {
    }

    default void transition(DeviceId dev, int family, NudState from, NudState to) {
    }

    /** A resolution (NONE/FAILED to INCOMPLETE) ended VALID after {@code nanos}. */
    default void resolved(DeviceId dev, int family, long nanos) {
    }

    /** A resolution ended FAILED. */
    default void resolutionFailed(DeviceId dev, int family) {
    }

    /**
     * A received ARP frame from {@code claimant}, another station, has {@code address}, an
     * address of this host, as its sender (RFC 5227 section 2.4) — or, for IPv6, a neighbour
     * advertisement from it has a valid address of this host as its target (ndisc_recv_na's
     * "advertised our address"); told before the frame's {@link #frame} report.
     */
    default void claimed(DeviceId dev, IpAddress address, MacAddress claimant) {
    }

    /** Every received frame, with what became of it. */
    default void frame(DeviceId dev, int family, Reason reason) {
    }

    /** {@code ip monitor address} for IPv6: an address added, changed (DAD passed or failed) or removed. */
    default void address(AddressEvent e) {
    }
}
