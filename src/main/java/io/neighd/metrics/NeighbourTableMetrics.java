package io.neighd.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.neighd.ip.NetDevice;
import io.neighd.neighbour.NeighStatistics;
import io.neighd.neighbour.NeighbourTable;
import io.neighd.neighbour.NudState;

import java.util.function.ToDoubleFunction;
import java.util.function.ToIntFunction;

/**
 * The table as {@code ip neigh} and {@code /proc/net/stat/arp_cache} show it: entries by interface
 * and NUD state, the table size against its gc_thresh levels, every arp_cache column, and the
 * proxy and arp queues.
 */
final class NeighbourTableMetrics implements MeterBinder {
    private final EngineRefs engine;
    private final ArpQueueSampler arpQueues;

    NeighbourTableMetrics(EngineRefs engine, ArpQueueSampler arpQueues) {
        this.engine = engine;
        this.arpQueues = arpQueues;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        NeighbourTable<NetDevice> table = engine.table();
        for (NetDevice dev : engine.devices()) {
            for (NudState s : NudState.ALL) {
                int i = NudState.index(s.bit());
                Gauge.builder("neighd.neighbour.entries", dev, d -> d.arpParms().stateCount(i))
                        .description("Neighbour entries by interface and NUD state, as ip neigh shows them")
                        .tags("interface", dev.name(), "state", s.name())
                        .register(registry);
            }
            Gauge.builder("neighd.arp.queue.packets", arpQueues, q -> q.queued(dev.ifindex()))
                    .description("Packets waiting on the arp_queue of the interface's unresolved entries")
                    .tag("interface", dev.name())
                    .strongReference(true)
                    .register(registry);
        }
        Gauge.builder("neighd.arp.cache.entries", table, NeighbourTable::entries)
                .description("Entries in the ARP table (arp_cache entries)")
                .register(registry);
        thresh(registry, table, "1", NeighbourTable::gcThresh1);
        thresh(registry, table, "2", NeighbourTable::gcThresh2);
        thresh(registry, table, "3", NeighbourTable::gcThresh3);
        Gauge.builder("neighd.proxy.queue.packets", table, NeighbourTable::proxyQueueLength)
                .description("Proxied requests waiting for their proxy_delay (proxy_queue)")
                .register(registry);

        NeighStatistics st = engine.stats();
        column(registry, st, "allocs", "Entries allocated", s -> s.allocs);
        column(registry, st, "destroys", "Entries destroyed", s -> s.destroys);
        column(registry, st, "hash.grows", "Times the hash table grew", s -> s.hashGrows);
        column(registry, st, "lookups", "Table lookups", s -> s.lookups);
        column(registry, st, "hits", "Table lookups that found an entry", s -> s.hits);
        column(registry, st, "res.failed", "Resolutions that failed (neigh_invalidate)", s -> s.resFailed);
        column(registry, st, "rcv.probes.mcast", "Multicast probes received (IPv6 only in Linux: stays 0)",
                s -> s.rcvProbesMcast);
        column(registry, st, "rcv.probes.ucast", "Unicast probes received (IPv6 only in Linux: stays 0)",
                s -> s.rcvProbesUcast);
        column(registry, st, "periodic.gc.runs", "Periodic garbage collection runs", s -> s.periodicGcRuns);
        column(registry, st, "forced.gc.runs", "Forced garbage collection runs (table above gc_thresh2/3)",
                s -> s.forcedGcRuns);
        column(registry, st, "unresolved.discards", "Packets dropped from a full arp_queue while unresolved",
                s -> s.unresDiscards);
        column(registry, st, "table.fulls", "Times the table was full and forced GC freed nothing",
                s -> s.tableFulls);
    }

    private static void thresh(MeterRegistry registry, NeighbourTable<NetDevice> table, String level,
                               ToIntFunction<NeighbourTable<NetDevice>> f) {
        Gauge.builder("neighd.arp.cache.gc.thresh", table, t -> f.applyAsInt(t))
                .description("net.ipv4.neigh.default.gc_thresh1/2/3 by level")
                .tag("level", level)
                .register(registry);
    }

    /** One /proc/net/stat/arp_cache column. */
    private static void column(MeterRegistry registry, NeighStatistics st, String name, String help,
                               ToDoubleFunction<NeighStatistics> f) {
        FunctionCounter.builder("neighd.arp.cache." + name, st, f)
                .description(help + " (/proc/net/stat/arp_cache)")
                .register(registry);
    }
}
