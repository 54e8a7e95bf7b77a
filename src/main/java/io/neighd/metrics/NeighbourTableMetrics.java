package io.neighd.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.neighd.engine.EngineSnapshot;
import io.neighd.engine.InterfaceStats;
import io.neighd.engine.TableStats;
import io.neighd.neighbour.NudState;

import java.util.List;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

/**
 * The table as {@code ip neigh} and {@code /proc/net/stat/arp_cache} show it: entries by interface
 * and NUD state, the table size against its gc_thresh levels, every arp_cache column, and the
 * proxy and arp queues — read from the snapshot the engine publishes, never from its state.
 */
final class NeighbourTableMetrics implements MeterBinder {
    private final Supplier<EngineSnapshot> published;
    private final List<String> interfaces;
    private final ArpQueueSampler arpQueues;

    NeighbourTableMetrics(Supplier<EngineSnapshot> published, List<String> interfaces, ArpQueueSampler arpQueues) {
        this.published = published;
        this.interfaces = List.copyOf(interfaces);
        this.arpQueues = arpQueues;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        for (String name : interfaces) {
            for (NudState s : NudState.ALL) {
                Gauge.builder("neighd.neighbour.entries", published, p -> {
                            InterfaceStats d = p.get().interfaceStats(name);
                            return d == null ? 0 : d.entries(s);
                        })
                        .description("Neighbour entries by interface and NUD state, as ip neigh shows them")
                        .tags("interface", name, "state", s.name())
                        .strongReference(true)
                        .register(registry);
            }
            Gauge.builder("neighd.arp.queue.packets", arpQueues, q -> q.queued(name))
                    .description("Packets waiting on the arp_queue of the interface's unresolved entries")
                    .tag("interface", name)
                    .strongReference(true)
                    .register(registry);
        }
        table(registry, "neighd.arp.cache.entries", "Entries in the ARP table (arp_cache entries)", null,
                TableStats::entries);
        table(registry, "neighd.arp.cache.gc.thresh", "net.ipv4.neigh.default.gc_thresh1/2/3 by level", "1",
                TableStats::gcThresh1);
        table(registry, "neighd.arp.cache.gc.thresh", "net.ipv4.neigh.default.gc_thresh1/2/3 by level", "2",
                TableStats::gcThresh2);
        table(registry, "neighd.arp.cache.gc.thresh", "net.ipv4.neigh.default.gc_thresh1/2/3 by level", "3",
                TableStats::gcThresh3);
        table(registry, "neighd.proxy.queue.packets", "Proxied requests waiting for their proxy_delay (proxy_queue)",
                null, TableStats::proxyQueueLength);

        column(registry, "allocs", "Entries allocated", TableStats::allocs);
        column(registry, "destroys", "Entries destroyed", TableStats::destroys);
        column(registry, "hash.grows", "Times the hash table grew", TableStats::hashGrows);
        column(registry, "lookups", "Table lookups", TableStats::lookups);
        column(registry, "hits", "Table lookups that found an entry", TableStats::hits);
        column(registry, "res.failed", "Resolutions that failed (neigh_invalidate)", TableStats::resFailed);
        column(registry, "rcv.probes.mcast", "Multicast probes received (IPv6 only in Linux: stays 0)",
                TableStats::rcvProbesMcast);
        column(registry, "rcv.probes.ucast", "Unicast probes received (IPv6 only in Linux: stays 0)",
                TableStats::rcvProbesUcast);
        column(registry, "periodic.gc.runs", "Periodic garbage collection runs", TableStats::periodicGcRuns);
        column(registry, "forced.gc.runs", "Forced garbage collection runs (table above gc_thresh2/3)",
                TableStats::forcedGcRuns);
        column(registry, "unresolved.discards", "Packets dropped from a full arp_queue while unresolved",
                TableStats::unresolvedDiscards);
        column(registry, "table.fulls", "Times the table was full and forced GC freed nothing",
                TableStats::tableFulls);
    }

    private void table(MeterRegistry registry, String meter, String help, String level,
                       ToDoubleFunction<TableStats> f) {
        Gauge.Builder<Supplier<EngineSnapshot>> b = Gauge.builder(meter, published, p -> f.applyAsDouble(p.get().arpCache()))
                .description(help)
                .strongReference(true);
        if (level != null) {
            b.tag("level", level);
        }
        b.register(registry);
    }

    /** One /proc/net/stat/arp_cache column. */
    private void column(MeterRegistry registry, String name, String help, ToDoubleFunction<TableStats> f) {
        FunctionCounter.builder("neighd.arp.cache." + name, published, p -> f.applyAsDouble(p.get().arpCache()))
                .description(help + " (/proc/net/stat/arp_cache)")
                .register(registry);
    }
}
