package io.neighd.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.neighd.arp.ArpStats;
import io.neighd.arp.Reason;
import io.neighd.arp.TxKind;
import io.neighd.ip.NetDevice;

import java.util.function.ToLongFunction;

/**
 * ARP packets by interface: received by opcode, sent by kind, and every frame that was dropped
 * or ignored by its reason code. Every series is registered up front, so each (interface, reason)
 * exists at 0 before the first such frame and {@code rate()} has a baseline.
 */
final class ArpPacketMetrics implements MeterBinder {
    private final EngineRefs engine;

    ArpPacketMetrics(EngineRefs engine) {
        this.engine = engine;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        for (NetDevice dev : engine.devices()) {
            int ifindex = dev.ifindex();
            String name = dev.name();
            received(registry, ifindex, name, "request", ArpStats.Device::receivedRequests);
            received(registry, ifindex, name, "reply", ArpStats.Device::receivedReplies);
            received(registry, ifindex, name, "unknown", ArpStats.Device::receivedUnknown);
            for (TxKind k : TxKind.values()) {
                counter(registry, "neighd.arp.packets.sent", "ARP packets sent by interface and kind", ifindex,
                        d -> d.sent(k), "interface", name, "op", k.label());
            }
            for (Reason r : Reason.values()) {
                String meter = switch (r.kind()) {
                    case DROPPED -> "neighd.arp.packets.dropped";
                    case IGNORED -> "neighd.arp.packets.ignored";
                    case USED -> null;
                };
                if (meter != null) {
                    counter(registry, meter, r.kind() == Reason.Kind.DROPPED
                                    ? "Received frames dropped (malformed, or refused by a rule or knob), by reason"
                                    : "Received frames ignored as Linux ignores them, by reason",
                            ifindex, d -> d.count(r), "interface", name, "reason", r.label());
                }
            }
        }
    }

    private void received(MeterRegistry registry, int ifindex, String name, String op,
                          ToLongFunction<ArpStats.Device> f) {
        counter(registry, "neighd.arp.packets.received", "ARP packets received by interface and opcode", ifindex, f,
                "interface", name, "op", op);
    }

    /** Reads with {@link ArpStats#peek}: {@code of} would create the interface's counters off the engine thread. */
    private void counter(MeterRegistry registry, String meter, String help, int ifindex,
                         ToLongFunction<ArpStats.Device> f, String... tags) {
        FunctionCounter.builder(meter, engine.arpStats(), a -> {
                    ArpStats.Device d = a.peek(ifindex);
                    return d == null ? 0 : f.applyAsLong(d);
                })
                .description(help)
                .tags(tags)
                .register(registry);
    }
}
