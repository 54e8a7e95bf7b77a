package io.neighd.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.neighd.arp.Reason;
import io.neighd.engine.EngineSnapshot;
import io.neighd.engine.InterfaceStats;
import io.neighd.wire.IpAddress;

import java.util.List;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;
import java.util.function.ToLongFunction;

/**
 * One family's packets by interface, read from the snapshot the engine publishes: what its
 * protocol counts ({@link #bindInterface}) and every frame of the family that was dropped or
 * ignored, by its reason code ({@link #reasons}). Every series is registered up front, so each
 * (interface, reason) exists at 0 before the first such frame and {@code rate()} has a baseline.
 */
abstract class PacketMetrics implements MeterBinder {
    private final Supplier<EngineSnapshot> published;
    private final List<String> interfaces;
    private final int family;
    private final String prefix;
    private final String frames;

    /**
     * @param prefix the meters' name before {@code .dropped} and {@code .ignored}
     * @param frames what the help texts call the family's frames
     */
    PacketMetrics(Supplier<EngineSnapshot> published, List<String> interfaces, int family, String prefix,
                  String frames) {
        this.published = published;
        this.interfaces = List.copyOf(interfaces);
        this.family = family;
        this.prefix = prefix;
        this.frames = frames;
    }

    @Override
    public final void bindTo(MeterRegistry registry) {
        for (String name : interfaces) {
            bindInterface(registry, name);
        }
    }

    /** Every series of interface {@code name}: the protocol's own and {@link #reasons}. */
    abstract void bindInterface(MeterRegistry registry, String name);

    /** {@code <prefix>.dropped} and {@code .ignored}: the family's frames received on {@code name}, by reason. */
    final void reasons(MeterRegistry registry, String name) {
        for (Reason r : Reason.values()) {
            if (!r.appliesTo(family) || r.kind() == Reason.Kind.USED) {
                continue;
            }
            boolean dropped = r.kind() == Reason.Kind.DROPPED;
            counter(registry, prefix + (dropped ? ".dropped" : ".ignored"), dropped
                            ? "Received " + frames + " dropped (malformed, or refused by a rule or knob), by reason"
                            : "Received " + frames + " ignored as Linux ignores them, by reason",
                    name, d -> d.count(family, r), "reason", r.label());
        }
    }

    /** A counter of interface {@code name}, tagged with it and the family and then {@code tags}. */
    final void counter(MeterRegistry registry, String meter, String help, String name,
                       ToLongFunction<InterfaceStats> f, String... tags) {
        FunctionCounter.builder(meter, published, read(name, f))
                .description(help)
                .tags("interface", name, "family", IpAddress.familyName(family))
                .tags(tags)
                .register(registry);
    }

    final Supplier<EngineSnapshot> published() {
        return published;
    }

    /** {@code f} of interface {@code name} in the latest snapshot, 0 while it has none. */
    static ToDoubleFunction<Supplier<EngineSnapshot>> read(String name, ToLongFunction<InterfaceStats> f) {
        return p -> {
            InterfaceStats d = p.get().interfaceStats(name);
            return d == null ? 0 : f.applyAsLong(d);
        };
    }
}
