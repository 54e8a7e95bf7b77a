package io.neighd.testkit;

import io.neighd.engine.EngineListener;
import io.neighd.engine.NeighEvent;
import io.neighd.ip.DeviceId;
import io.neighd.neighbour.NudState;

import java.util.ArrayList;
import java.util.List;

/** Records notifications and state transitions, as {@code ip monitor neigh} would print them. */
public final class RecordingListener implements EngineListener {
    private final List<NeighEvent> events = new ArrayList<>();
    private final List<String> transitions = new ArrayList<>();

    @Override
    public void event(NeighEvent e) {
        events.add(e);
    }

    @Override
    public void transition(DeviceId dev, int family, NudState from, NudState to) {
        transitions.add(from + "->" + to);
    }

    /** Events as one line each: {@code NEWNEIGH 10.0.0.2 REACHABLE}. */
    public List<String> events() {
        return events.stream().map(e -> e.type() + " " + e.entry().dst() + " " + e.entry().state()).toList();
    }

    public List<NeighEvent> raw() {
        return List.copyOf(events);
    }

    public List<String> transitions() {
        return List.copyOf(transitions);
    }

    public void clear() {
        events.clear();
        transitions.clear();
    }
}
