package io.neighd.metrics;

import io.neighd.link.Link;
import io.neighd.link.MemoryLink;
import io.neighd.testkit.EngineFixture;
import io.neighd.wire.MacAddress;
import org.junit.jupiter.api.Test;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The {@code links} health indicator: UP only while every configured interface captures. */
class LinksHealthIndicatorTest {
    private final MemoryLink nd0 = new MemoryLink("nd0", 2, EngineFixture.OUR_MAC);
    private final MemoryLink nd1 = new MemoryLink("nd1", 3, MacAddress.parse("02:aa:00:00:01:01"));
    private final Map<String, Link> attached = new LinkedHashMap<>(Map.of("nd0", nd0, "nd1", nd1));
    private final LinksHealthIndicator indicator = new LinksHealthIndicator(List.of("nd0", "nd1"), () -> attached);

    private void startBoth() {
        nd0.start((d, l, t) -> {
        });
        nd1.start((d, l, t) -> {
        });
    }

    @Test
    void upWhileEveryInterfaceCaptures() {
        startBoth();

        Health h = indicator.health();

        assertThat(h.getStatus()).isEqualTo(Status.UP);
        assertThat(h.getDetails()).containsEntry("nd0", Map.of("capturing", true))
                .containsEntry("nd1", Map.of("capturing", true));
    }

    @Test
    void downWhenOneInterfaceStopsCapturingWithItsProblem() {
        startBoth();
        nd1.close();

        Health h = indicator.health();

        assertThat(h.getStatus()).isEqualTo(Status.DOWN);
        assertThat(h.getDetails()).containsEntry("nd0", Map.of("capturing", true))
                .containsEntry("nd1", Map.of("capturing", false, "problem", "not started"));
    }

    @Test
    void downWhenAConfiguredInterfaceIsNotAttached() {
        startBoth();
        attached.remove("nd1");

        Health h = indicator.health();

        assertThat(h.getStatus()).isEqualTo(Status.DOWN);
        assertThat(h.getDetails()).containsEntry("nd1", Map.of("capturing", false, "problem", "not attached"));
    }
}
