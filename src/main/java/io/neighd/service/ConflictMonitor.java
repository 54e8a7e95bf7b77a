package io.neighd.service;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.neighd.cluster.ConflictGuard;
import io.neighd.engine.Engine;
import io.neighd.engine.EngineListener;
import io.neighd.engine.NeighEvent;
import io.neighd.ip.NetDevice;
import io.neighd.wire.Ipv4Address;
import io.neighd.wire.MacAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Address conflicts and neighbour flip-flops, always on: the engine's claim observer and a
 * listener on its table changes, both on the engine thread, judged by {@link ConflictGuard}.
 * Each conflict is counted ({@code neighd_address_conflicts_total{interface}}) and sent as a
 * {@code CONFLICT} event; a rate-limited log line and at most one defending gratuitous ARP per
 * address per DEFEND_INTERVAL follow (unless {@code neighd.conflicts.defend=false}: Linux does not
 * defend, and the differential conformance tests compare neighd's frames with Linux's). Each flip-flop is counted
 * ({@code neighd_neighbour_flipflops_total{interface}}), sent as {@code FLIPFLOP} and logged.
 */
@Component
public final class ConflictMonitor implements SmartLifecycle, EngineListener {
    private static final Logger log = LoggerFactory.getLogger(ConflictMonitor.class);
    /** A MAC changing back within a minute is two hosts answering, not a replaced NIC. */
    static final long FLIP_FLOP_WINDOW_NANOS = 60_000_000_000L;

    /** The payload of a {@code CONFLICT} event. */
    public record Conflict(String dev, Ipv4Address address, MacAddress mac, boolean defended) {
    }

    /** The payload of a {@code FLIPFLOP} event. */
    public record FlipFlop(String dev, Ipv4Address dst, MacAddress from, MacAddress to) {
    }

    private final NeighdService service;
    private final EventHub events;
    private final MeterRegistry registry;
    private final ConflictGuard guard = new ConflictGuard(FLIP_FLOP_WINDOW_NANOS);
    private final Map<String, AtomicLong> conflicts = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> flipFlops = new ConcurrentHashMap<>();
    private final boolean defend;
    private volatile boolean running;
    private Engine engine;

    public ConflictMonitor(NeighdService service, EventHub events, MeterRegistry registry,
                           io.neighd.config.ConflictProperties props) {
        this.defend = props.defend();
        this.service = service;
        this.events = events;
        this.registry = registry;
    }

    private AtomicLong counter(Map<String, AtomicLong> m, String metric, String help, String dev) {
        return m.computeIfAbsent(dev, d -> {
            AtomicLong c = new AtomicLong();
            FunctionCounter.builder(metric, c, AtomicLong::get).description(help).tag("interface", d)
                    .register(registry);
            return c;
        });
    }

    private AtomicLong conflictCounter(String dev) {
        return counter(conflicts, "neighd.address.conflicts", "ARP frames from another MAC claiming an address "
                + "this node answers for (RFC 5227 section 2.4)", dev);
    }

    private AtomicLong flipFlopCounter(String dev) {
        return counter(flipFlops, "neighd.neighbour.flipflops", "Neighbours whose MAC changed back to the one "
                + "it had before within a minute (arpwatch's flip flop)", dev);
    }

    /** Engine thread: another station claims {@code sip}. */
    private void claimed(NetDevice dev, int sip, long sha) {
        long now = engine.clock().nanos();
        ConflictGuard.Verdict v = guard.claim(dev.name(), sip, sha, true, dev.hwAddr(), now);
        if (!v.conflict()) {
            return;
        }
        conflictCounter(dev.name()).incrementAndGet();
        Ipv4Address addr = new Ipv4Address(sip);
        boolean defended = v.defend() && defend;
        if (defended) {
            engine.sendGratuitous(dev, addr, false);
        }
        if (v.log()) {
            log.warn("{}: address conflict: {} claimed by {} (this interface is {}){}", dev.name(), addr,
                    MacAddress.toString(sha), dev.mac(), defended ? "; defended with a gratuitous ARP" : "");
        }
        events.publish(new EventHub.Notice("CONFLICT", dev.name(),
                new Conflict(dev.name(), addr, new MacAddress(sha), defended)));
    }

    /** Engine thread: a table change. */
    @Override
    public void event(NeighEvent e) {
        if (e.type() != NeighEvent.Type.NEWNEIGH || e.entry().lladdr() == null) {
            return;
        }
        var n = e.entry();
        ConflictGuard.FlipFlop f = guard.neighbour(n.dev(), n.dst().bits(), n.lladdr().bits(), engine.clock().nanos());
        if (f != null) {
            flipFlopCounter(n.dev()).incrementAndGet();
            log.warn("{}: flip flop: {} changed from {} back to {}", n.dev(), n.dst(), f.from(), f.to());
            events.publish(new EventHub.Notice("FLIPFLOP", n.dev(), new FlipFlop(n.dev(), n.dst(), f.from(), f.to())));
        }
    }

    @Override
    public void start() {
        for (String dev : service.links().keySet()) {
            conflictCounter(dev);
            flipFlopCounter(dev);
        }
        EngineAccess.await(service.loop().execute(e -> {
            engine = e;
            e.setClaimObserver(this::claimed);
            e.addListener(this);
        }), EngineAccess.ENGINE_TIMEOUT);
        running = true;
    }

    @Override
    public void stop() {
        running = false;
        try {
            service.loop().execute(e -> {
                e.setClaimObserver(null);
                e.removeListener(this);
            });
        } catch (RuntimeException e) {
            // the engine is going away too
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public boolean isPauseable() {
        return false;
    }

    @Override
    public int getPhase() {
        return service.getPhase() + 200;
    }
}
