package io.neighd.engine;

import io.neighd.arp.ScanObserver;
import io.neighd.arp.ScanReply;
import io.neighd.arp.ScanResult;
import io.neighd.ip.DeviceId;
import io.neighd.ip.NetDevice;
import io.neighd.ip.Scope;
import io.neighd.ipv6.Addrconf;
import io.neighd.ipv6.Inet6Ifaddr;
import io.neighd.neighbour.NeighObserver;
import io.neighd.neighbour.Neighbour;
import io.neighd.neighbour.NudState;
import io.neighd.time.Clock;
import io.neighd.wire.Ipv4Address;
import io.neighd.wire.Ipv6Address;
import io.neighd.wire.MacAddress;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * What the tables and addrconf tell the outside, turned into values for the
 * {@link EngineListener}s: netlink notifications as {@link NeighEvent}s, state transitions, how
 * long each resolution took, IPv6 address changes; resolutions that end also complete the
 * {@link ResolveWaiters}. One observer serves arp_tbl and nd_tbl. Engine thread only.
 */
final class EngineEvents implements NeighObserver<NetDevice>, ScanObserver, Addrconf.Listener {
    private final Clock clock;
    private final ResolveWaiters waiters;
    private final EngineFaults faults;
    private final List<EngineListener> listeners = new CopyOnWriteArrayList<>();
    private final Map<Neighbour<NetDevice>, Long> resolvingSince = new HashMap<>();
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
        NeighEvent e = new NeighEvent(++eventSeq, t, n.table().snapshot(n));
        tell(l -> l.event(e));
    }

    /** ndisc_recv_na saw another station advertise one of this host's IPv6 addresses. */
    void claimed6(NetDevice dev, Ipv6Address address, long mac) {
        if (listeners.isEmpty()) {
            return;
        }
        DeviceId id = dev.id();
        MacAddress claimant = new MacAddress(mac);
        tell(l -> l.claimed(id, address, claimant));
    }

    /** The receive path saw another station claim one of this host's addresses. */
    void claimed(NetDevice dev, int sip, long sha) {
        if (listeners.isEmpty()) {
            return;
        }
        DeviceId id = dev.id();
        Ipv4Address address = new Ipv4Address(sip);
        MacAddress claimant = new MacAddress(sha);
        tell(l -> l.claimed(id, address, claimant));
    }

    @Override
    public void stateChanged(Neighbour<NetDevice> n, int from, int to) {
        DeviceId dev = n.dev().id();
        int family = n.table().spec().family();
        if (!listeners.isEmpty()) {
            NudState f = NudState.ofBit(from);
            NudState t = NudState.ofBit(to);
            tell(l -> l.transition(dev, family, f, t));
        }
        if (to == NudState.NUD_INCOMPLETE) {
            resolvingSince.put(n, clock.nanos());
        } else if ((to & NudState.NUD_VALID) != 0) {
            Long since = resolvingSince.remove(n);
            if (since != null) {
                long took = clock.nanos() - since;
                tell(l -> l.resolved(dev, family, took));
            }
            waiters.complete(n, ResolveOutcome.VALID, faults);
        } else if (to == NudState.NUD_FAILED) {
            resolvingSince.remove(n);
            if ((from & (NudState.NUD_INCOMPLETE | NudState.NUD_PROBE)) != 0) {
                tell(l -> l.resolutionFailed(dev, family));
            }
            waiters.complete(n, ResolveOutcome.FAILED, faults);
        }
    }

    @Override
    public void scanReply(ScanReply reply) {
        if (!listeners.isEmpty()) {
            NeighEvent e = new NeighEvent(++eventSeq, NeighEvent.Type.SCAN_REPLY, null, reply, null);
            tell(l -> l.event(e));
        }
    }

    @Override
    public void scanDone(ScanResult result) {
        if (!listeners.isEmpty()) {
            NeighEvent e = new NeighEvent(++eventSeq, NeighEvent.Type.SCAN_DONE, null, null, result);
            tell(l -> l.event(e));
        }
    }

    // ------------------------------------------------------------------ addrconf

    @Override
    public void addressChanged(NetDevice dev, Inet6Ifaddr ifa) {
        address(AddressEvent.Type.NEWADDR, dev, ifa, null);
    }

    @Override
    public void addressRemoved(NetDevice dev, Inet6Ifaddr ifa) {
        address(AddressEvent.Type.DELADDR, dev, ifa, null);
    }

    @Override
    public void dadFailed(NetDevice dev, Inet6Ifaddr ifa, long from) {
        address(AddressEvent.Type.DADFAILED, dev, ifa, new MacAddress(from));
    }

    private void address(AddressEvent.Type type, NetDevice dev, Inet6Ifaddr ifa, MacAddress from) {
        if (listeners.isEmpty()) {
            return;
        }
        AddressEvent e = new AddressEvent(++eventSeq, type, dev.id(), ifa.cidr(), Scope.name(ifa.scope()),
                Inet6Ifaddr.flagNames(ifa.flags() | (type == AddressEvent.Type.DADFAILED ? Inet6Ifaddr.F_DADFAILED : 0)),
                from);
        tell(l -> l.address(e));
    }
}
