package io.neighd.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
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
 * by DAD state.
 */
final class NdiscPacketMetrics extends PacketMetrics {
    NdiscPacketMetrics(Supplier<EngineSnapshot> published, List<String> interfaces) {
        super(published, interfaces, IpAddress.AF_INET6, "neighd.ndisc.packets", "IPv6 frames");
    }

    @Override
    void bindInterface(MeterRegistry registry, String name) {
        for (NdiscStats.Type t : NdiscStats.Type.values()) {
            counter(registry, "neighd.ndisc.packets.received", "ICMPv6 neighbour discovery and echo messages "
                    + "received by interface and type", name, d -> d.ndiscReceived(t), "type", t.label());
            counter(registry, "neighd.ndisc.packets.sent", "ICMPv6 neighbour discovery and echo messages sent by "
                    + "interface and type", name, d -> d.ndiscSent(t), "type", t.label());
        }
        reasons(registry, name);
        address(registry, name, "tentative", InterfaceStats::ipv6Tentative);
        address(registry, name, "dadfailed", InterfaceStats::ipv6DadFailed);
        address(registry, name, "valid", InterfaceStats::ipv6Valid);
    }

    private void address(MeterRegistry registry, String name, String state, ToLongFunction<InterfaceStats> f) {
        Gauge.builder("neighd.ipv6.addresses", published(), read(name, f))
                .description("IPv6 addresses of the interface by duplicate address detection state: tentative (DAD "
                        + "running or waiting for the link), dadfailed (another node has it), valid")
                .tags("interface", name, "family", "inet6", "state", state)
                .strongReference(true)
                .register(registry);
    }
}
