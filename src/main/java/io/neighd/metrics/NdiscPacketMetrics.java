package io.neighd.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.neighd.arp.Reason;
import io.neighd.engine.EngineSnapshot;
import io.neighd.engine.InterfaceStats;
import io.neighd.ndisc.NdiscStats;
import io.neighd.wire.IpAddress;

import java.util.List;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;

/**
 * The IPv6 side per interface: ICMPv6 neighbour discovery and echo received and sent by type, every
 * IPv6 frame dropped or ignored by its reason code (family {@code inet6}), and the IPv6 addresses
 * by DAD state — read from the snapshot the engine publishes, every series registered up front.
 */
final class NdiscPacketMetrics implements MeterBinder {
    private final Supplier<EngineSnapshot> published;
    private final List<String> interfaces;

    NdiscPacketMetrics(Supplier<EngineSnapshot> published, List<String> interfaces) {
        this.published = published;
        this.interfaces = List.copyOf(interfaces);
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        for (String name : interfaces) {
            for (NdiscStats.Type t : NdiscStats.Type.values()) {
                counter(registry, "neighd.ndisc.packets.received", "ICMPv6 neighbour discovery and echo messages "
                        + "received by interface and type", name, d -> d.ndiscReceived(t), "interface", name, "family",
                        "inet6", "type", t.label());
                counter(registry, "neighd.ndisc.packets.sent", "ICMPv6 neighbour discovery and echo messages sent by "
                        + "interface and type", name, d -> d.ndiscSent(t), "interface", name, "family", "inet6", "type",
                        t.label());
            }
            for (Reason r : Reason.values()) {
                if (!r.appliesTo(IpAddress.AF_INET6) || r.kind() == Reason.Kind.USED) {
                    continue;
                }
                boolean dropped = r.kind() == Reason.Kind.DROPPED;
                counter(registry, dropped ? "neighd.ndisc.packets.dropped" : "neighd.ndisc.packets.ignored",
                        dropped ? "Received IPv6 frames dropped (malformed, or refused by a rule or knob), by reason"
                                : "Received IPv6 frames ignored as Linux ignores them, by reason",
                        name, d -> d.count(IpAddress.AF_INET6, r), "interface", name, "family", "inet6", "reason",
                        r.label());
            }
            address(registry, name, "tentative", InterfaceStats::ipv6Tentative);
            address(registry, name, "dadfailed", InterfaceStats::ipv6DadFailed);
            address(registry, name, "valid", InterfaceStats::ipv6Valid);
        }
    }

    private void address(MeterRegistry registry, String name, String state, ToLongFunction<InterfaceStats> f) {
        Gauge.builder("neighd.ipv6.addresses", published, p -> {
                    InterfaceStats d = p.get().interfaceStats(name);
                    return d == null ? 0 : f.applyAsLong(d);
                })
                .description("IPv6 addresses of the interface by duplicate address detection state: tentative (DAD "
                        + "running or waiting for the link), dadfailed (another node has it), valid")
                .tags("interface", name, "family", "inet6", "state", state)
                .strongReference(true)
                .register(registry);
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
