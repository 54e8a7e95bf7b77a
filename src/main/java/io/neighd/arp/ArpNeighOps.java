package io.neighd.arp;

import io.neighd.ip.FibFrontend;
import io.neighd.ip.HhNeighOps;
import io.neighd.ip.NetDevice;
import io.neighd.ip.RouteType;
import io.neighd.ip.Transmitter;
import io.neighd.neighbour.NeighParms;
import io.neighd.neighbour.NeighTableSpec;
import io.neighd.neighbour.NeighVar;
import io.neighd.neighbour.Neighbour;
import io.neighd.neighbour.ProxySkb;
import io.neighd.neighbour.Skb;
import io.neighd.wire.EtherType;
import io.neighd.wire.EthernetFrame;
import io.neighd.wire.IpAddress;
import io.neighd.wire.Ipv4Address;
import io.neighd.wire.RxFrame;

import java.util.Map;

/**
 * {@code arp_tbl} (net/ipv4/arp.c): its defaults and callbacks — arp_constructor, arp_solicit,
 * parp_redo and ipv4_is_multicast; arp_error_report and the device transmit for resolved packets
 * (dev_hard_header + dev_queue_xmit) are nd_tbl's too ({@link HhNeighOps}).
 */
public final class ArpNeighOps extends HhNeighOps {
    /** arp_tbl's initialiser: "arp_cache", 4-byte keys, gc_thresh 128/512/1024. */
    public static final NeighTableSpec SPEC = new NeighTableSpec("arp_cache", IpAddress.AF_INET, 4, Map.ofEntries(
            Map.entry(NeighVar.MCAST_PROBES, 3),
            Map.entry(NeighVar.UCAST_PROBES, 3),
            Map.entry(NeighVar.APP_PROBES, 0),
            Map.entry(NeighVar.MCAST_REPROBES, 0),
            Map.entry(NeighVar.RETRANS_TIME, 1000),
            Map.entry(NeighVar.BASE_REACHABLE_TIME, 30_000),
            Map.entry(NeighVar.DELAY_PROBE_TIME, 5_000),
            Map.entry(NeighVar.INTERVAL_PROBE_TIME_MS, 5_000),
            Map.entry(NeighVar.GC_STALETIME, 60_000),
            // SK_WMEM_DEFAULT
            Map.entry(NeighVar.QUEUE_LEN_BYTES, 212_992),
            Map.entry(NeighVar.PROXY_QLEN, 64),
            Map.entry(NeighVar.ANYCAST_DELAY, 1_000),
            Map.entry(NeighVar.PROXY_DELAY, 800),
            Map.entry(NeighVar.LOCKTIME, 1_000)), 128, 512, 1024);

    private final FibFrontend fib;
    private ArpSolicitor solicitor;
    private ArpProcessor processor;
    private ArpActions actions;

    public ArpNeighOps(FibFrontend fib, Transmitter tx) {
        super(tx, EtherType.IPV4);
        this.fib = fib;
    }

    public void wire(ArpSolicitor solicitor, ArpProcessor processor, ArpActions actions) {
        this.solicitor = solicitor;
        this.processor = processor;
        this.actions = actions;
    }

    /**
     * arp_constructor(): multicast destinations map to their multicast MAC, NOARP and loopback
     * devices use their own address, broadcast destinations the broadcast MAC; all of these are
     * NOARP. Everything else starts unresolved.
     */
    @Override
    public NeighParms parms(NetDevice dev) {
        return dev.arpParms();
    }

    @Override
    public void construct(Neighbour<NetDevice> n) {
        NetDevice dev = n.dev();
        RouteType type = fib.addrType(n.key4());
        if (type == RouteType.MULTICAST) {
            n.setNoarpAddress(multicastMac(n.key4()));
        } else if (dev.isNoarp() || dev.isLoopback()) {
            n.setNoarpAddress(dev.hwAddr());
        } else if (type == RouteType.BROADCAST) {
            n.setNoarpAddress(dev.broadcastHw());
        }
    }

    /** ip_eth_mc_map(): 01:00:5e followed by the low 23 bits of the group. */
    public static long multicastMac(int group) {
        return 0x01005e000000L | (group & 0x7fffffL);
    }

    @Override
    public void solicit(Neighbour<NetDevice> n, Skb skb) {
        solicitor.solicit(n, skb);
    }

    /** parp_redo(): arp_process() again, once the proxy delay has passed. */
    @Override
    protected void redo(ProxySkb<NetDevice> skb, RxFrame f) {
        processor.redo(skb, f, actions);
    }

    @Override
    public boolean isMulticast(long hi, long lo) {
        return Ipv4Address.isMulticast((int) lo);
    }

    @Override
    public IpAddress address(long hi, long lo) {
        return new Ipv4Address((int) lo);
    }
}
