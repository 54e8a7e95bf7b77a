package io.neighd.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.neighd.link.Link;

import java.util.Map;
import java.util.function.ToLongFunction;

/**
 * The capture side of each interface: received / dropped / if_dropped as pcap_stats would report
 * them, and whether frames are being captured at all. Each counter asks the link when scraped
 * (one getsockopt of PACKET_STATISTICS; the link accumulates the kernel's reset-on-read figures,
 * so every call is current).
 */
final class LinkMetrics implements MeterBinder {
    private final Map<String, Link> links;

    LinkMetrics(Map<String, Link> links) {
        this.links = Map.copyOf(links);
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        links.forEach((name, link) -> {
            capture(registry, link, name, "received", "Frames the capture received (pcap_stats ps_recv)",
                    Link.Stats::received);
            capture(registry, link, name, "dropped",
                    "Frames dropped because the capture buffer was full (pcap_stats ps_drop)", Link.Stats::dropped);
            capture(registry, link, name, "if.dropped",
                    "Frames dropped by the interface or its driver (pcap_stats ps_ifdrop)", Link.Stats::ifDropped);
            Gauge.builder("neighd.interface.capturing", link, l -> l.capturing() ? 1 : 0)
                    .description("1 while frames are being captured on the interface, else 0")
                    .tag("interface", name)
                    .register(registry);
        });
    }

    private static void capture(MeterRegistry registry, Link link, String name, String what, String help,
                                ToLongFunction<Link.Stats> f) {
        FunctionCounter.builder("neighd.capture.packets." + what, link, l -> f.applyAsLong(l.stats()))
                .description(help)
                .tag("interface", name)
                .register(registry);
    }
}
