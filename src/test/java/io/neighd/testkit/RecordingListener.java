package io.neighd.testkit;

import io.neighd.engine.EngineListener;
import io.neighd.engine.NeighEvent;
import io.neighd.ip.DeviceId;
import io.neighd.neighbour.NudState;
import io.neighd.wire.Ipv4Address;
import io.neighd.wire.MacAddress;

import java.util.ArrayList;
import java.util.List;

/**
 * Records notifications and state transitions, as {@code ip monitor neigh} would print them, and
 * the address claims the receive path reports.
 */
public final class RecordingListener implements EngineListener {
    private final List<NeighEvent> events = new ArrayList<>();
    private final List<String> transitions = new ArrayList<>();
    private final List<String> claims = new ArrayList<>();
    private final List<io.neighd.engine.AddressEvent> addresses = new ArrayList<>();

    @Override
    public void event(NeighEvent e) {
        events.add(e);
    }

    @Override
    public void transition(DeviceId dev, int family, NudState from, NudState to) {
        transitions.add(from + "->" + to);
    }

    @Override
    public void claimed(DeviceId dev, io.neighd.wire.IpAddress address, MacAddress claimant) {
        claims.add(dev.name() + " " + address + " " + claimant);
    }

    /** Claims as one line each: {@code nd0 10.0.0.1 02:bb:00:00:00:02}. */
    public List<String> claims() {
        return List.copyOf(claims);
    }

    public void address(io.neighd.engine.AddressEvent e) {
        addresses.add(e);
    }

    /** IPv6 address events as one line each: {@code NEWADDR 2001:db8::1/64 [tentative]}. */
    public List<String> addresses() {
        return addresses.stream().map(e -> e.type() + " " + e.cidr() + " " + e.flags()).toList();
    }

    /** Events as one line each: {@code NEWNEIGH 10.0.0.2 REACHABLE}. */
    public List<String> events() {
        return events.stream().map(e -> e.entry() != null ? e.type() + " " + e.entry().dst() + " " + e.entry().state()
                : e.reply() != null ? e.type() + " " + e.reply().ip() + " " + e.reply().mac() + " " + e.reply().answer()
                : e.type() + " " + e.scan().cidr() + " " + e.scan().responders() + " responded").toList();
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
        claims.clear();
        addresses.clear();
    }
}
