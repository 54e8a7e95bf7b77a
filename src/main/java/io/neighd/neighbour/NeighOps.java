package io.neighd.neighbour;

import io.neighd.wire.IpAddress;

/**
 * The protocol's side of a table: the struct neigh_table callbacks and struct neigh_ops that
 * net/ipv4/arp.c ({@code arp_tbl}, {@code arp_hh_ops}) and net/ipv6/ndisc.c ({@code nd_tbl},
 * {@code ndisc_hh_ops}) fill in.
 */
public interface NeighOps<D extends NeighDevice> {
    /** The device's parms for this table: in_dev->arp_parms, in6_dev->nd_parms. */
    NeighParms parms(D dev);

    /** tbl->constructor (arp_constructor, ndisc_constructor): may make the new entry NOARP. */
    void construct(Neighbour<D> n);

    /** ops->solicit: send the probe that {@code n.probes()} calls for. {@code skb} is the newest queued packet or null. */
    void solicit(Neighbour<D> n, Skb skb);

    /** ops->error_report: dst_link_failure for a packet dropped on resolution failure. */
    void errorReport(Neighbour<D> n, Skb skb);

    /** dev_hard_header() + dev_queue_xmit(): send the packet to {@code n}'s cached address. */
    void transmit(Neighbour<D> n, Skb skb);

    /** tbl->proxy_redo (parp_redo, pndisc_redo): process a frame that waited proxy_delay again. */
    void proxyRedo(ProxySkb<D> skb);

    /** tbl->is_multicast: forced GC removes multicast entries first. */
    boolean isMulticast(long hi, long lo);

    /** The key as an address value, for snapshots and messages. */
    IpAddress address(long hi, long lo);

    /**
     * tbl->pconstructor (pndisc_constructor: join the proxied address's solicited-node group on
     * the entry's device). False refuses the entry.
     */
    default boolean pneighConstruct(Pneigh<D> p) {
        return true;
    }

    /** tbl->pdestructor (pndisc_destructor: leave the group). */
    default void pneighDestroy(Pneigh<D> p) {
    }
}
