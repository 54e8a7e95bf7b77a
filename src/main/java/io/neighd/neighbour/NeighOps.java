package io.neighd.neighbour;

/**
 * The protocol's side of the table (struct neigh_ops and the neigh_table callbacks in
 * net/ipv4/arp.c): arp_constructor, arp_solicit, arp_error_report, the device transmit, parp_redo.
 */
public interface NeighOps {
    /** arp_constructor(): may turn the new entry into NOARP with a fixed address. */
    void construct(Neighbour n);

    /** arp_solicit(): send the probe that {@code n.probes()} calls for. {@code skb} is the newest queued packet or null. */
    void solicit(Neighbour n, Skb skb);

    /** arp_error_report(): dst_link_failure for a packet dropped on resolution failure. */
    void errorReport(Neighbour n, Skb skb);

    /** dev_hard_header() + dev_queue_xmit(): send the packet to {@code n}'s cached address. */
    void transmit(Neighbour n, Skb skb);

    /** parp_redo(): run arp_process again for a frame that waited proxy_delay. */
    void proxyRedo(ProxySkb skb);
}
