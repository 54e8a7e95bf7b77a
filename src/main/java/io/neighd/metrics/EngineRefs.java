package io.neighd.metrics;

import io.neighd.arp.ArpStats;
import io.neighd.engine.Engine;
import io.neighd.ip.NetDevice;
import io.neighd.neighbour.NeighStatistics;
import io.neighd.neighbour.NeighbourTable;

import java.util.List;

/**
 * The engine objects the binders read from the scrape thread, captured once on the thread that
 * owns the engine. Everything read through them afterwards is a single-writer counter (a long the
 * engine only ever increments, or a gauge it overwrites), so a scrape sees a recent, untorn value
 * without stopping the engine.
 *
 * @param devices the interfaces neighd is attached to (loopback left out: it is no configured
 *                interface); fixed once the service has started
 */
record EngineRefs(NeighbourTable<NetDevice> table, NeighStatistics stats, ArpStats arpStats, List<NetDevice> devices) {

    EngineRefs {
        devices = List.copyOf(devices);
    }

    /**
     * Call on the engine's owner thread (the engine loop's, or a test's). Creates each interface's
     * ARP counters now, so that readers, which only {@link ArpStats#peek}, find them from the start
     * instead of racing their creation.
     */
    static EngineRefs capture(Engine e) {
        List<NetDevice> devices = e.devices().all().stream().filter(d -> !d.isLoopback()).toList();
        devices.forEach(d -> e.arpStats().of(d.ifindex()));
        return new EngineRefs(e.table(), e.stats(), e.arpStats(), devices);
    }
}
