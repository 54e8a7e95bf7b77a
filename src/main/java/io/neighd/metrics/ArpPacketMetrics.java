package io.neighd.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.neighd.arp.Reason;
import io.neighd.arp.TxKind;
import io.neighd.engine.EngineSnapshot;
import io.neighd.engine.InterfaceStats;
import io.neighd.wire.IpAddress;

import java.util.List;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;

/**
 * ARP packets by interface: received by opcode, sent by kind, and every frame of family
 * {@code inet} (ARP, IPv4 and other EtherTypes) that was dropped or ignored by its reason code,
 * read from the snapshot the engine publishes. Every series is
 * registered up front, so each (interface, reason) exists at 0 before the first such frame and
 * {@code rate()} has a baseline.
 */
final class ArpPacketMetrics implements MeterBinder {
    private final Supplier<EngineSnapshot> published;
    private final List<String> interfaces;

    ArpPacketMetrics(Supplier<EngineSnapshot> published, List<String> interfaces) {
        this.published = published;
        this.interfaces = List.copyOf(interfaces);
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        for (String name : interfaces) {
            received(registry, name, "request", InterfaceStats::receivedRequests);
            received(registry, name, "reply", InterfaceStats::receivedReplies);
            received(registry, name, "unknown", InterfaceStats::receivedUnknown);
            for (TxKind k : TxKind.values()) {
                counter(registry, "neighd.arp.packets.sent", "ARP packets sent by interface and kind", name,
                        d -> d.sent(k), "interface", name, "family", "inet", "op", k.label());
            }
            for (Reason r : Reason.values()) {
                if (!r.appliesTo(IpAddress.AF_INET)) {
                    continue;
                }
                String meter = switch (r.kind()) {
                    case DROPPED -> "neighd.arp.packets.dropped";
                    case IGNORED -> "neighd.arp.packets.ignored";
                    case USED -> null;
                };
                if (meter != null) {
                    counter(registry, meter, r.kind() == Reason.Kind.DROPPED
                                    ? "Received frames dropped (malformed, or refused by a rule or knob), by reason"
                                    : "Received frames ignored as Linux ignores them, by reason",
                            name, d -> d.count(r), "interface", name, "family", "inet", "reason", r.label());
                }
            }
        }
    }

    private void received(MeterRegistry registry, String name, String op, ToLongFunction<InterfaceStats> f) {
        counter(registry, "neighd.arp.packets.received", "ARP packets received by interface and opcode", name, f,
                "interface", name, "family", "inet", "op", op);
    }

    private void counter(MeterRegistry registry, String meter, String help, String name,
                         ToLongFunction<InterfaceStats> f, String... tags) {
        FunctionCounter.builder(meter, published, p -> {
                    InterfaceStats d = p.get().interfaceStats(name);
                    return d == null ? 0 : f.applyAsLong(d);
                })
                .description(help)
                .tags(tags)
                .register(registry);
    }
}
