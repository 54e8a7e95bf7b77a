package io.neighd.engine;

import java.util.List;

/**
 * What the engine publishes for readers on other threads (metrics scrapes): both tables'
 * statistics (/proc/net/stat/arp_cache and ndisc_cache) and every configured interface's
 * counters, taken on the engine thread at {@code nanos} (its clock) and never changed afterwards.
 * {@link EngineLoop} publishes one per tick while the engine works, and before it sleeps.
 */
public record EngineSnapshot(long nanos, TableStats arpCache, TableStats ndiscCache, List<InterfaceStats> interfaces) {
    public EngineSnapshot {
        interfaces = List.copyOf(interfaces);
    }

    /** The counters of interface {@code name}, or null if it is not one of the engine's. */
    public InterfaceStats interfaceStats(String name) {
        for (InterfaceStats s : interfaces) {
            if (s.dev().name().equals(name)) {
                return s;
            }
        }
        return null;
    }
}
