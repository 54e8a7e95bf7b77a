package io.neighd.service;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.neighd.cluster.ConflictGuard;
import io.neighd.config.ConflictProperties;
import io.neighd.engine.EngineListener;
import io.neighd.engine.NeighEvent;
import io.neighd.errno.Errno;
import io.neighd.ip.DeviceId;
import io.neighd.time.Clock;
import io.neighd.wire.ArpOp;
import io.neighd.wire.IpAddress;
import io.neighd.wire.Ipv4Address;
import io.neighd.wire.Ipv6Address;
import io.neighd.wire.MacAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Address conflicts and neighbour flip-flops, always on: a listener on the engine's claims (the
 * receive path's RFC 5227 section 2.4 outcome) and table changes, on the engine thread, judged by
 * {@link ConflictGuard}.
 * Each conflict is counted ({@code neighd_address_conflicts_total{interface}}) and sent as a
 * {@code CONFLICT} event; a rate-limited log line and at most one defending gratuitous ARP per
 * address per DEFEND_INTERVAL follow (a Netlink request queued behind the frame; unless {@code neighd.conflicts.defend=false}: Linux does not
 * defend, and the differential conformance tests compare neighd's frames with Linux's). Each flip-flop is counted
 * ({@code neighd_neighbour_flipflops_total{interface}}), sent as {@code FLIPFLOP} and logged.
 */
@Component
public final class ConflictMonitor implements SmartLifecycle, EngineListener {
    private static final Logger log = LoggerFactory.getLogger(ConflictMonitor.class);
    /** A MAC changing back within a minute is two hosts answering, not a replaced NIC. */
    static final long FLIP_FLOP_WINDOW_NANOS = 60_000_000_000L;

    /** The payload of a {@code CONFLICT} event: the address and MAC as text, the family as iproute2 names it. */
    public record Conflict(String dev, String address, String family, String mac, boolean defended) {
    }

    /** The payload of a {@code FLIPFLOP} event: the address and both MACs as text, the family as iproute2 names it. */
    public record FlipFlop(String dev, String dst, String family, String from, String to) {
        static FlipFlop of(ConflictGuard.FlipFlop f) {
            return new FlipFlop(f.dev(), f.ip().toString(), f.ip() instanceof Ipv4Address ? "inet" : "inet6",
                    f.from().toString(), f.to().toString());
        }
    }

    private final EngineRuntime runtime;
    private final EventHub events;
    private final MeterRegistry registry;
    private final ConflictGuard guard = new ConflictGuard(FLIP_FLOP_WINDOW_NANOS);
    private final Map<String, AtomicLong> conflicts = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> flipFlops = new ConcurrentHashMap<>();
    private final boolean defend;
    private final Clock clock;
    private volatile boolean running;

    public ConflictMonitor(EngineRuntime runtime, EventHub events, MeterRegistry registry, ConflictProperties props) {
        this.defend = props.defend();
        this.runtime = runtime;
        this.clock = runtime.clock();
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
        return counter(conflicts, "neighd.address.conflicts", "ARP frames (RFC 5227 section 2.4) or neighbour "
                + "advertisements from another MAC claiming an address this node answers for", dev);
    }

    private AtomicLong flipFlopCounter(String dev) {
        return counter(flipFlops, "neighd.neighbour.flipflops", "Neighbours whose MAC changed back to the one "
                + "it had before within a minute (arpwatch's flip flop)", dev);
    }

    /** Engine thread: another station claims {@code address}. */
    @Override
    public void claimed(DeviceId dev, IpAddress address, MacAddress claimant) {
        ConflictGuard.Verdict v = guard.claim(dev.name(), address, clock.nanos());
        conflictCounter(dev.name()).incrementAndGet();
        boolean defended = v.defend() && defend;
        if (defended) {
            // listeners do not call back into the engine: the defence is the next request in its queue
            runtime.loop().submit(nl -> address instanceof Ipv6Address v6 ? nl.unsolicitedNa(dev.name(), v6)
                    : nl.garp(dev.name(), (Ipv4Address) address, ArpOp.OP_REQUEST)).thenAccept(r -> {
                if (!r.ok()) {
                    log.debug("{}: {} not defended: {} {}", dev.name(), address, Errno.name(r.errno()), r.message());
                }
            });
        }
        if (v.log()) {
            log.warn("{}: address conflict: {} claimed by {}{}", dev.name(), address, claimant,
                    !defended ? "" : address instanceof Ipv6Address ? "; defended with an unsolicited NA"
                            : "; defended with a gratuitous ARP");
        }
        events.publish(new EventHub.Notice("CONFLICT", dev.name(), new Conflict(dev.name(), address.toString(),
                address.familyName(), claimant.toString(), defended)));
    }

    /** Engine thread: a table change. */
    @Override
    public void event(NeighEvent e) {
        if (e.type() != NeighEvent.Type.NEWNEIGH || e.entry().lladdr() == null) {
            return;
        }
        var n = e.entry();
        ConflictGuard.FlipFlop f = guard.neighbour(n.dev(), n.dst(), n.lladdr().bits(), clock.nanos());
        if (f != null) {
            flipFlopCounter(n.dev()).incrementAndGet();
            log.warn("{}: flip flop: {} changed from {} back to {}", n.dev(), n.dst(), f.from(), f.to());
            events.publish(new EventHub.Notice("FLIPFLOP", n.dev(), FlipFlop.of(f)));
        }
    }

    @Override
    public void start() {
        for (String dev : runtime.links().keySet()) {
            conflictCounter(dev);
            flipFlopCounter(dev);
        }
        EngineAccess.await(runtime.loop().execute(nl -> nl.addListener(this)), EngineAccess.ENGINE_TIMEOUT);
        running = true;
    }

    @Override
    public void stop() {
        running = false;
        try {
            runtime.loop().execute(nl -> nl.removeListener(this));
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
        return runtime.getPhase() + 200;
    }
}
