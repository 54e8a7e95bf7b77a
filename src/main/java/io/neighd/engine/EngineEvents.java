package io.neighd.engine;

import io.neighd.ip.DeviceId;
import io.neighd.ip.NetDevice;
import io.neighd.neighbour.NeighObserver;
import io.neighd.neighbour.Neighbour;
import io.neighd.neighbour.NeighbourTable;
import io.neighd.neighbour.NudState;
import io.neighd.time.Clock;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * What the table tells the outside, turned into values for the {@link EngineListener}s: netlink
 * notifications as {@link NeighEvent}s, state transitions, and how long each resolution took;
 * resolutions that end also complete the {@link ResolveWaiters}. Engine thread only.
 */
final class EngineEvents implements NeighObserver<NetDevice> {
    private final Clock clock;
    private final ResolveWaiters waiters;
    private final EngineFaults faults;
    private final List<EngineListener> listeners = new CopyOnWriteArrayList<>();
    private final Map<Neighbour<NetDevice>, Long> resolvingSince = new HashMap<>();
    private NeighbourTable<NetDevice> tbl;
    private long eventSeq;

    EngineEvents(Clock clock, ResolveWaiters waiters, EngineFaults faults) {
        this.clock = clock;
        this.waiters = waiters;
        this.faults = faults;
    }

    /**
     * Tells every listener, each on its own: a listener that throws is counted and skipped, and
     * the table's update that notified it carries on (a subscriber's bug must not leave an entry
     * half-changed).
     */
    private void tell(Consumer<EngineListener> call) {
        for (EngineListener l : listeners) {
            try {
                call.accept(l);
            } catch (RuntimeException e) {
                faults.failed(EngineFaults.Where.LISTENER, l.getClass().getName(), e);
            }
        }
    }

    /** The table whose entries the events describe (it is built with this observer). */
    void attach(NeighbourTable<NetDevice> tbl) {
        this.tbl = tbl;
    }

    void add(EngineListener l) {
        listeners.add(l);
    }

    void remove(EngineListener l) {
        listeners.remove(l);
    }

    List<EngineListener> listeners() {
        return listeners;
    }

    @Override
    public void notify(int type, Neighbour<NetDevice> n) {
        if (type == RTM_DELNEIGH) {
            resolvingSince.remove(n);
            waiters.complete(n, ResolveOutcome.GONE, faults);
        }
        if (listeners.isEmpty()) {
            return;
        }
        NeighEvent.Type t = switch (type) {
            case RTM_NEWNEIGH -> NeighEvent.Type.NEWNEIGH;
            case RTM_DELNEIGH -> NeighEvent.Type.DELNEIGH;
            default -> NeighEvent.Type.GETNEIGH;
        };
        NeighEvent e = new NeighEvent(++eventSeq, t, tbl.snapshot(n));
        tell(l -> l.event(e));
    }

    @Override
    public void stateChanged(Neighbour<NetDevice> n, int from, int to) {
        DeviceId dev = n.dev().id();
        if (!listeners.isEmpty()) {
            NudState f = NudState.ofBit(from);
            NudState t = NudState.ofBit(to);
            tell(l -> l.transition(dev, f, t));
        }
        if (to == NudState.NUD_INCOMPLETE) {
            resolvingSince.put(n, clock.nanos());
        } else if ((to & NudState.NUD_VALID) != 0) {
            Long since = resolvingSince.remove(n);
            if (since != null) {
                long took = clock.nanos() - since;
                tell(l -> l.resolved(dev, took));
            }
            waiters.complete(n, ResolveOutcome.VALID, faults);
        } else if (to == NudState.NUD_FAILED) {
            resolvingSince.remove(n);
            if ((from & (NudState.NUD_INCOMPLETE | NudState.NUD_PROBE)) != 0) {
                tell(l -> l.resolutionFailed(dev));
            }
            waiters.complete(n, ResolveOutcome.FAILED, faults);
        }
    }
}
