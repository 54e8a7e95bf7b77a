package io.neighd.cluster;

import io.neighd.wire.IpAddress;
import io.neighd.wire.IpCidr;
import io.neighd.wire.Ipv4Address;
import io.neighd.wire.Ipv6Address;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * What the election needs of the engine, and nothing more: which interfaces could serve an
 * address, adding and removing an elected address, and sending one announcement frame (a
 * gratuitous ARP for IPv4, an unsolicited neighbour advertisement for IPv6). The one
 * implementation (io.neighd.service) turns each into a Netlink request on the engine thread —
 * {@code ip link show}, {@code ip addr replace ... valid_lft} ({@code ip -6 addr replace ...
 * valid_lft ... nodad}), {@code ip addr del}, {@code arping -c 1}, an NA to ff02::1 — and tests
 * record the calls. Calls come from the cluster thread.
 */
public interface AddressPort {
    /**
     * An interface as the election sees it.
     *
     * @param serving  up, with carrier, and capturing: able to answer for an address
     * @param subnets  the subnets of its permanent addresses of both families (not elected
     *                 ones, which carry a lifetime), for addresses whose interface is chosen by
     *                 subnet
     */
    record Device(String name, boolean serving, List<IpCidr> subnets) {
    }

    /** The interfaces now; answered later (the engine thread), so that the caller never waits. */
    CompletableFuture<List<Device>> devices();

    /**
     * Starts answering for {@code vip} on {@code dev} (ARP or neighbour solicitations, and ICMP
     * echo, as for an owned address; an IPv6 one without DAD, valid at once, its solicited-node
     * group joined) until {@code validUntilNanos} on the engine's clock, unless extended: the engine
     * removes the address itself at that moment (its lifetime ends), whatever the cluster thread
     * is doing. Does not wait: requests made after it (the first gratuitous ARP) reach the engine
     * after it.
     */
    void claim(String dev, IpCidr vip, long validUntilNanos);

    /** Moves the end of a claimed address's lifetime; does not wait. */
    void extend(String dev, IpCidr vip, long validUntilNanos);

    /** Stops answering for {@code vip} now (an IPv6 one leaves its group); returns once the engine has removed it. */
    void unclaim(String dev, IpAddress vip);

    /** One gratuitous ARP for {@code vip} from {@code dev}'s MAC, to broadcast, now. */
    void gratuitous(String dev, Ipv4Address vip, boolean reply);

    /**
     * One unsolicited neighbour advertisement for {@code vip} from {@code dev}'s MAC, now, as
     * ndisc_send_unsol_na() sends it: to all nodes (ff02::1), override set, solicited clear,
     * router as the interface forwards, with the target link-layer address option.
     */
    void unsolicitedNa(String dev, Ipv6Address vip);
}
