package io.neighd.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.neighd.arp.TxKind;
import io.neighd.engine.EngineSnapshot;
import io.neighd.engine.InterfaceStats;
import io.neighd.wire.IpAddress;

import java.util.List;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;

/**
 * ARP packets by interface: received by opcode, sent by kind, and every frame of family
 * {@code inet} (ARP, IPv4 and other EtherTypes) that was dropped or ignored by its reason code.
 */
final class ArpPacketMetrics extends PacketMetrics {
    ArpPacketMetrics(Supplier<EngineSnapshot> published, List<String> interfaces) {
        super(published, interfaces, IpAddress.AF_INET, "neighd.arp.packets", "frames");
    }

    @Override
    void bindInterface(MeterRegistry registry, String name) {
        received(registry, name, "request", InterfaceStats::receivedRequests);
        received(registry, name, "reply", InterfaceStats::receivedReplies);
        received(registry, name, "unknown", InterfaceStats::receivedUnknown);
        for (TxKind k : TxKind.values()) {
            counter(registry, "neighd.arp.packets.sent", "ARP packets sent by interface and kind", name,
                    d -> d.sent(k), "op", k.label());
        }
        reasons(registry, name);
    }

    private void received(MeterRegistry registry, String name, String op, ToLongFunction<InterfaceStats> f) {
        counter(registry, "neighd.arp.packets.received", "ARP packets received by interface and opcode", name, f,
                "op", op);
    }
}
