package io.neighd.service;

/**
 * What the metrics need of the {@code ip monitor neigh} stream: how many events it has dropped
 * for slow subscribers since start (monotonic, readable from any thread). The service's event
 * hub provides it; without one, {@code neighd_events_dropped_total} stays 0.
 */
@FunctionalInterface
public interface EventDropCounter {
    long droppedEvents();
}
