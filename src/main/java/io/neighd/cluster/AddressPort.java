package io.neighd.cluster;

import io.neighd.wire.Ipv4Address;
import io.neighd.wire.Ipv4Cidr;

import java.util.List;

/**
 * What the election needs of the engine, and nothing more: which interfaces could serve an
 * address, adding and removing an elected address, and sending one gratuitous ARP frame. The
 * one implementation submits engine commands and waits for them (io.neighd.service); tests
 * record the calls. Calls come from the cluster thread.
 */
public interface AddressPort {
    /**
     * An interface as the election sees it.
     *
     * @param serving  up, with carrier, and capturing: able to answer for an address
     * @param subnets  the subnets of its owned (configured) addresses, for interfaces chosen by subnet
     */
    record Device(String name, boolean serving, List<Ipv4Cidr> subnets) {
    }

    List<Device> devices();

    /**
     * Starts answering for {@code vip} on {@code dev} (ARP and ICMP echo, as for an owned
     * address) until {@code validUntilNanos} on the engine's clock, unless extended: the engine
     * removes the address itself at that moment, whatever the cluster thread is doing.
     */
    void claim(String dev, Ipv4Cidr vip, long validUntilNanos);

    /** Moves the deadline of a claimed address. */
    void extend(String dev, Ipv4Address vip, long validUntilNanos);

    /** Stops answering for {@code vip} now; returns once the engine has removed it. */
    void unclaim(String dev, Ipv4Address vip);

    /** One gratuitous ARP for {@code vip} from {@code dev}'s MAC, to broadcast, now. */
    void gratuitous(String dev, Ipv4Address vip, boolean reply);
}
