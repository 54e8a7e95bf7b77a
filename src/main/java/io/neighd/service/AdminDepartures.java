package io.neighd.service;

import io.neighd.engine.EngineListener;
import io.neighd.engine.NeighEvent;
import io.neighd.engine.Netlink;
import io.neighd.neighbour.NeighSnapshot;
import io.neighd.neighbour.NudState;

import java.util.HashSet;
import java.util.Set;

/**
 * PERMANENT and NOARP entries that stopped being so other than by the write that names them: an
 * interface losing its last address or its MAC, going away, a flush ({@code ip neigh flush
 * nud permanent} first updates each entry to FAILED, then removes it). The state file must forget
 * them, as a restart would otherwise bring them back; they are collected as they happen, on the
 * engine thread, so that reconciling the file costs each write what changed rather than a look at
 * every entry the file holds. To know which entry was administrative before it changed, the keys
 * of the PERMANENT and NOARP entries in the table are kept (as many as the table holds of them).
 * Engine thread only.
 */
final class AdminDepartures implements EngineListener {
    /** Keys ({@link EngineAccess#key}) of the entries PERMANENT or NOARP in the table now. */
    private final Set<String> administrative = new HashSet<>();
    private final Set<String> departed = new HashSet<>();

    /** Starts listening from the table as it is (the state file restored into it). */
    void attach(Netlink nl) {
        for (NeighSnapshot s : nl.neighbours(null, NudState.NUD_PERMANENT | NudState.NUD_NOARP).value()) {
            administrative.add(EngineAccess.key(s.dev(), s.dst().toString()));
        }
        nl.addListener(this);
    }

    @Override
    public void event(NeighEvent e) {
        if (e.type() != NeighEvent.Type.NEWNEIGH && e.type() != NeighEvent.Type.DELNEIGH) {
            return;
        }
        String k = EngineAccess.key(e.entry().dev(), e.entry().dst().toString());
        if (e.type() == NeighEvent.Type.NEWNEIGH && EngineAccess.isAdministrative(e.entry())) {
            administrative.add(k);
            departed.remove(k);
        } else if (administrative.remove(k)) {
            departed.add(k);
        }
    }

    /**
     * The keys of the entries that stopped being PERMANENT or NOARP since the last call and are
     * not so again now; forgets them.
     */
    Set<String> drain() {
        if (departed.isEmpty()) {
            return Set.of();
        }
        Set<String> gone = Set.copyOf(departed);
        departed.clear();
        return gone;
    }
}
