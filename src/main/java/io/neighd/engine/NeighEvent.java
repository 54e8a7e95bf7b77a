package io.neighd.engine;

import io.neighd.neighbour.NeighSnapshot;

/**
 * What {@code ip monitor neigh} shows: RTM_NEWNEIGH, RTM_DELNEIGH (printed "delete") and
 * RTM_GETNEIGH (printed "miss", an app_solicit probe), each with the entry as it was.
 */
public record NeighEvent(long seq, Type type, NeighSnapshot entry) {
    public enum Type { NEWNEIGH, DELNEIGH, GETNEIGH }
}
