package io.neighd.metrics;

import io.neighd.link.Link;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * {@code links}: UP while every configured interface is capturing, DOWN otherwise. Part of the
 * readiness group: a neighd that cannot hear an interface answers no ARP on it, so traffic
 * should not be steered to it; it stays live, because a restart does not bring a cable back.
 * Details per interface: {@code capturing}, and {@code problem} when the link reports one.
 */
final class LinksHealthIndicator implements HealthIndicator {
    private final List<String> configured;
    private final Supplier<Map<String, Link>> links;

    /**
     * @param configured the interface names from the configuration, in order
     * @param links      the attached links by name (the service's view: complete once it started)
     */
    LinksHealthIndicator(List<String> configured, Supplier<Map<String, Link>> links) {
        this.configured = List.copyOf(configured);
        this.links = links;
    }

    @Override
    public Health health() {
        Map<String, Link> attached = links.get();
        Map<String, Object> details = new LinkedHashMap<>();
        boolean allCapturing = true;
        for (String name : configured) {
            Link l = attached.get(name);
            Map<String, Object> d = new LinkedHashMap<>();
            boolean capturing = l != null && l.capturing();
            d.put("capturing", capturing);
            String problem = l == null ? "not attached" : l.problem();
            if (!capturing && problem == null) {
                problem = "not capturing";
            }
            if (problem != null) {
                d.put("problem", problem);
            }
            details.put(name, d);
            allCapturing &= capturing;
        }
        return (allCapturing ? Health.up() : Health.down()).withDetails(details).build();
    }
}
