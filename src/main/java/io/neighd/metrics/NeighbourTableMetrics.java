package io.neighd.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.neighd.engine.EngineSnapshot;
import io.neighd.engine.InterfaceStats;
import io.neighd.engine.TableStats;
import io.neighd.neighbour.NudState;
import io.neighd.wire.IpAddress;

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
    private final ArpQueueSampler ndiscQueues;

    NeighbourTableMetrics(Supplier<EngineSnapshot> published, List<String> interfaces, ArpQueueSampler arpQueues,
                          ArpQueueSampler ndiscQueues) {
        this.published = published;
        this.interfaces = List.copyOf(interfaces);
        this.arpQueues = arpQueues;
        this.ndiscQueues = ndiscQueues;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        for (String name : interfaces) {
            for (int family : new int[] {IpAddress.AF_INET, IpAddress.AF_INET6}) {
                for (NudState s : NudState.ALL) {
                    Gauge.builder("neighd.neighbour.entries", published, p -> {
                                InterfaceStats d = p.get().interfaceStats(name);
                                return d == null ? 0 : d.entries(family, s);
                            })
                            .description("Neighbour entries by interface, family (arp_tbl inet, nd_tbl inet6) and NUD "
                                    + "state, as ip neigh shows them")
                            .tags("interface", name, "family", IpAddress.familyName(family), "state", s.name())
                            .strongReference(true)
                            .register(registry);
                }
            }
            Gauge.builder("neighd.ndisc.queue.packets", ndiscQueues, q -> q.queued(name))
                    .description("Packets waiting on the queue of the interface's unresolved IPv6 entries")
                    .tag("interface", name)
                    .strongReference(true)
                    .register(registry);
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
        Gauge.builder("neighd.proxy.queue.packets", published, p -> p.get().arpCache().proxyQueueLength())
                .description("Proxied requests waiting for their proxy_delay (proxy_queue), by family")
                .tag("family", "inet")
                .strongReference(true)
                .register(registry);
        Gauge.builder("neighd.proxy.queue.packets", published, p -> p.get().ndiscCache().proxyQueueLength())
                .description("Proxied requests waiting for their proxy_delay (proxy_queue), by family")
                .tag("family", "inet6")
                .strongReference(true)
                .register(registry);
        ndisc(registry);

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

    /** /proc/net/stat/ndisc_cache: nd_tbl's size, gc thresholds and columns, named as arp_cache's are. */
    private void ndisc(MeterRegistry registry) {
        Gauge.builder("neighd.ndisc.cache.entries", published, p -> p.get().ndiscCache().entries())
                .description("Entries in the IPv6 neighbour table (ndisc_cache entries)")
                .strongReference(true)
                .register(registry);
        for (int level = 1; level <= 3; level++) {
            int l = level;
            Gauge.builder("neighd.ndisc.cache.gc.thresh", published, p -> {
                        TableStats t = p.get().ndiscCache();
                        return l == 1 ? t.gcThresh1() : l == 2 ? t.gcThresh2() : t.gcThresh3();
                    })
                    .description("net.ipv6.neigh.default.gc_thresh1/2/3 by level")
                    .tag("level", Integer.toString(level))
                    .strongReference(true)
                    .register(registry);
        }
        ndiscColumn(registry, "allocs", "Entries allocated", TableStats::allocs);
        ndiscColumn(registry, "destroys", "Entries destroyed", TableStats::destroys);
        ndiscColumn(registry, "hash.grows", "Times the hash table grew", TableStats::hashGrows);
        ndiscColumn(registry, "lookups", "Table lookups", TableStats::lookups);
        ndiscColumn(registry, "hits", "Table lookups that found an entry", TableStats::hits);
        ndiscColumn(registry, "res.failed", "Resolutions that failed (neigh_invalidate)", TableStats::resFailed);
        ndiscColumn(registry, "rcv.probes.mcast", "Multicast solicitations received for our addresses",
                TableStats::rcvProbesMcast);
        ndiscColumn(registry, "rcv.probes.ucast", "Unicast solicitations received for our addresses",
                TableStats::rcvProbesUcast);
        ndiscColumn(registry, "periodic.gc.runs", "Periodic garbage collection runs", TableStats::periodicGcRuns);
        ndiscColumn(registry, "forced.gc.runs", "Forced garbage collection runs (table above gc_thresh2/3)",
                TableStats::forcedGcRuns);
        ndiscColumn(registry, "unresolved.discards", "Packets dropped from a full queue while unresolved",
                TableStats::unresolvedDiscards);
        ndiscColumn(registry, "table.fulls", "Times the table was full and forced GC freed nothing",
                TableStats::tableFulls);
    }

    private void ndiscColumn(MeterRegistry registry, String name, String help, ToDoubleFunction<TableStats> f) {
        FunctionCounter.builder("neighd.ndisc.cache." + name, published, p -> f.applyAsDouble(p.get().ndiscCache()))
                .description(help + " (/proc/net/stat/ndisc_cache)")
                .register(registry);
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
