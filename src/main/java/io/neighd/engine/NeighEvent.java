package io.neighd.engine;

import io.neighd.arp.ScanReply;
import io.neighd.arp.ScanResult;
import io.neighd.neighbour.NeighSnapshot;

/**
 * What {@code ip monitor neigh} shows: RTM_NEWNEIGH, RTM_DELNEIGH (printed "delete") and
 * RTM_GETNEIGH (printed "miss", an app_solicit probe), each with the entry as it was; and, on the
 * same stream and numbering, a scan's answers (SCAN_REPLY, arp-scan's output lines) and its end
 * (SCAN_DONE, its summary line). Exactly one of {@code entry}, {@code reply} and {@code scan} is set.
 */
public record NeighEvent(long seq, Type type, NeighSnapshot entry, ScanReply reply, ScanResult scan) {
    public enum Type { NEWNEIGH, DELNEIGH, GETNEIGH, SCAN_REPLY, SCAN_DONE }

    public NeighEvent(long seq, Type type, NeighSnapshot entry) {
        this(seq, type, entry, null, null);
    }

    /** The interface the event is about. */
    public String dev() {
        return entry != null ? entry.dev() : reply != null ? reply.dev() : scan.dev();
    }
}
