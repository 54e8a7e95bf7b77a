package io.neighd.metrics;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.config.MeterFilter;
import io.neighd.config.NeighdProperties;
import io.neighd.service.EngineRuntime;
import io.neighd.service.EventStreamCounters;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.util.Map;

/**
 * Metrics and health: the meters of {@code /actuator/prometheus}, the {@code links} health
 * indicator of the readiness group and the {@code engine} one of the liveness group. (Reads of the actuator are open through the API's security,
 * io.neighd.api.ApiSecurity, which lets every GET through.)
 */
@Configuration(proxyBeanMethods = false)
class MetricsConfiguration {

    @Bean
    NeighdMetrics neighdMetrics(EngineRuntime service, MeterRegistry registry,
                                ObjectProvider<EventStreamCounters> eventDrops) {
        return new NeighdMetrics(service, registry, eventDrops.getIfAvailable());
    }

    /** Named {@code links} in the health endpoint (the HealthIndicator suffix is dropped). */
    @Bean
    HealthIndicator linksHealthIndicator(NeighdProperties props, EngineRuntime service) {
        return new LinksHealthIndicator(props.interfaces().stream().map(NeighdProperties.InterfaceProperties::name)
                .toList(), service::links);
    }

    /**
     * Named {@code engine}, in the liveness group: a dead or stuck engine thread fails the probe,
     * so the kubelet restarts the pod.
     */
    @Bean
    HealthIndicator engineHealthIndicator(EngineRuntime service) {
        return new EngineHealthIndicator(service::loop, EngineHealthIndicator.STALL);
    }

    /**
     * Help text for the HTTP server meters, which Spring's observations register without one
     * (promtool check metrics: "no help text").
     */
    @Bean
    MeterFilter httpServerHelpText() {
        Map<String, String> help = Map.of(
                "http.server.requests", "HTTP requests served, by method, URI, status and outcome",
                "http.server.requests.active", "HTTP requests being served");
        return new MeterFilter() {
            @Override
            public Meter.Id map(Meter.Id id) {
                String h = help.get(id.getName());
                if (h == null || id.getDescription() != null) {
                    return id;
                }
                return new Meter.Id(id.getName(), Tags.of(id.getTagsAsIterable()), id.getBaseUnit(), h, id.getType());
            }
        };
    }
}
