package io.neighd.arp;

import io.neighd.ip.NetDevice;
import io.neighd.neighbour.Neighbour;
import io.neighd.wire.RxFrame;

/**
 * The side effects of arp_process(), which decides once and acts through this port: the receive
 * path's implementation ({@link LiveArpActions}) learns, sends and queues; the explain endpoint's
 * describes what it would do and predicts the outcomes that depend on the table (a full table, a
 * full proxy queue) without changing anything. The decision itself, every check and its order,
 * exists once, in {@link ArpProcessor}.
 */
public interface ArpActions {
    /** A well-formed ARP frame reached arp_rcv(): the per-interface received counters. */
    void received(NetDevice dev, int op);

    /** __neigh_lookup(creat=0) for the sender: counts a lookup (and a hit) in the table's statistics. */
    Neighbour<NetDevice> lookup(NetDevice dev, int sip);

    /** neigh_event_ns(): the sender learned as STALE, with override. False: the table is full. */
    boolean eventNs(NetDevice dev, long sha, int sip);

    /**
     * neigh_update() of the sender's entry {@code n}, or, when {@code n} is null, of one created
     * for it first (__neigh_lookup with creat=1, as arp_accept allows). False: the table is full.
     */
    boolean update(NetDevice dev, Neighbour<NetDevice> n, int sip, long sha, int state, int flags);

    /**
     * arp_send_dst(ARPOP_REPLY): {@code tip} is-at the device's address, to {@code sha} and
     * {@code sip} (0 for an answer to a duplicate address probe).
     */
    void reply(NetDevice dev, TxKind kind, int tip, long sha, int sip);

    /**
     * A reply from {@code sip}, delivered to the device, that a running scan waits for (it probed
     * the address): reported as arp-scan reports one, duplicates too.
     */
    void scanReply(NetDevice dev, int sip, long sha, long ethSrc);

    /**
     * A frame from {@code sha}, not this device's address, has an address of this host as its
     * sender (RFC 5227 section 2.4: an address conflict). Linux takes no notice; the decision goes
     * on unchanged, and the receive path reports it.
     */
    void claimed(NetDevice dev, int sip, long sha);

    /** pneigh_enqueue(): hold the request for its random delay. False: proxy_qlen exceeded, dropped. */
    boolean proxyEnqueue(NetDevice dev, RxFrame f, boolean packetHost);
}
