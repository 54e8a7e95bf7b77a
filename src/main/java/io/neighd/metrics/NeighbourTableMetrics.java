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
        cache(registry, Cache.ARP);
        cache(registry, Cache.NDISC);
    }

    /** One of /proc/net/stat's tables: its meter prefix, how it names its queue, where its figures are. */
    private enum Cache {
        ARP("arp", "inet", "net.ipv4", "ARP table", "arp_cache", "Packets dropped from a full arp_queue while unresolved",
                "Multicast probes received (IPv6 only in Linux: stays 0)",
                "Unicast probes received (IPv6 only in Linux: stays 0)", EngineSnapshot::arpCache),
        NDISC("ndisc", "inet6", "net.ipv6", "IPv6 neighbour table", "ndisc_cache",
                "Packets dropped from a full queue while unresolved",
                "Multicast solicitations received for our addresses",
                "Unicast solicitations received for our addresses", EngineSnapshot::ndiscCache);

        final String prefix;
        final String family;
        final String sysctl;
        final String what;
        final String proc;
        final String discards;
        final String probesMcast;
        final String probesUcast;
        final java.util.function.Function<EngineSnapshot, TableStats> stats;

        Cache(String prefix, String family, String sysctl, String what, String proc, String discards,
              String probesMcast, String probesUcast, java.util.function.Function<EngineSnapshot, TableStats> stats) {
            this.prefix = prefix;
            this.family = family;
            this.sysctl = sysctl;
            this.what = what;
            this.proc = proc;
            this.discards = discards;
            this.probesMcast = probesMcast;
            this.probesUcast = probesUcast;
            this.stats = stats;
        }
    }

    /** A table's size, gc_thresh levels, proxy queue and every column of its /proc/net/stat file. */
    private void cache(MeterRegistry registry, Cache c) {
        String meter = "neighd." + c.prefix + ".cache.";
        Gauge.builder(meter + "entries", published, p -> c.stats.apply(p.get()).entries())
                .description("Entries in the " + c.what + " (" + c.proc + " entries)")
                .strongReference(true)
                .register(registry);
        for (int level = 1; level <= 3; level++) {
            int l = level;
            Gauge.builder(meter + "gc.thresh", published, p -> {
                        TableStats t = c.stats.apply(p.get());
                        return l == 1 ? t.gcThresh1() : l == 2 ? t.gcThresh2() : t.gcThresh3();
                    })
                    .description(c.sysctl + ".neigh.default.gc_thresh1/2/3 by level")
                    .tag("level", Integer.toString(level))
                    .strongReference(true)
                    .register(registry);
        }
        Gauge.builder("neighd.proxy.queue.packets", published, p -> c.stats.apply(p.get()).proxyQueueLength())
                .description("Proxied requests waiting for their proxy_delay (proxy_queue), by family")
                .tag("family", c.family)
                .strongReference(true)
                .register(registry);
        column(registry, c, "allocs", "Entries allocated", TableStats::allocs);
        column(registry, c, "destroys", "Entries destroyed", TableStats::destroys);
        column(registry, c, "hash.grows", "Times the hash table grew", TableStats::hashGrows);
        column(registry, c, "lookups", "Table lookups", TableStats::lookups);
        column(registry, c, "hits", "Table lookups that found an entry", TableStats::hits);
        column(registry, c, "res.failed", "Resolutions that failed (neigh_invalidate)", TableStats::resFailed);
        column(registry, c, "rcv.probes.mcast", c.probesMcast, TableStats::rcvProbesMcast);
        column(registry, c, "rcv.probes.ucast", c.probesUcast, TableStats::rcvProbesUcast);
        column(registry, c, "periodic.gc.runs", "Periodic garbage collection runs", TableStats::periodicGcRuns);
        column(registry, c, "forced.gc.runs", "Forced garbage collection runs (table above gc_thresh2/3)",
                TableStats::forcedGcRuns);
        column(registry, c, "unresolved.discards", c.discards, TableStats::unresolvedDiscards);
        column(registry, c, "table.fulls", "Times the table was full and forced GC freed nothing",
                TableStats::tableFulls);
    }

    /** One column of a table's /proc/net/stat file. */
    private void column(MeterRegistry registry, Cache c, String name, String help, ToDoubleFunction<TableStats> f) {
        FunctionCounter.builder("neighd." + c.prefix + ".cache." + name, published,
                        p -> f.applyAsDouble(c.stats.apply(p.get())))
                .description(help + " (/proc/net/stat/" + c.proc + ")")
                .register(registry);
    }
}
