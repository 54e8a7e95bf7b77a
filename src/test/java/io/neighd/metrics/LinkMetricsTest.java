package io.neighd.metrics;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.neighd.link.InterfaceInfo;
import io.neighd.link.Link;
import io.neighd.link.MemoryLink;
import io.neighd.testkit.EngineFixture;
import io.neighd.wire.MacAddress;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** neighd_capture_packets_*_total and neighd_interface_capturing over links. */
class LinkMetricsTest {
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final MemoryLink nd0 = new MemoryLink("nd0", 2, EngineFixture.OUR_MAC);
    private final PcapLike nd1 = new PcapLike();

    /** A link whose pcap_stats figures the test sets. */
    static final class PcapLike implements Link {
        volatile Stats stats = new Stats(0, 0, 0);

        @Override
        public String name() {
            return "nd1";
        }

        @Override
        public InterfaceInfo info() {
            return new InterfaceInfo("nd1", 3, MacAddress.parse("02:aa:00:00:01:01"), 1500, true);
        }

        @Override
        public void start(Receiver receiver) {
        }

        @Override
        public void send(byte[] frame) {
        }

        @Override
        public boolean capturing() {
            return true;
        }

        @Override
        public Stats stats() {
            return stats;
        }

        @Override
        public String problem() {
            return null;
        }

        @Override
        public void close() {
        }
    }

    @BeforeEach
    void bind() {
        Map<String, Link> links = new LinkedHashMap<>();
        links.put("nd0", nd0);
        links.put("nd1", nd1);
        new LinkMetrics(links).bindTo(registry);
    }

    private double capture(String what, String dev) {
        return registry.get("neighd.capture.packets." + what).tag("interface", dev).functionCounter().count();
    }

    private double capturing(String dev) {
        return registry.get("neighd.interface.capturing").tag("interface", dev).gauge().value();
    }

    @Test
    void receivedFramesAreCountedAndCapturingFollowsTheLink() {
        assertThat(capturing("nd0")).as("not started yet").isZero();
        nd0.start((data, len, ts) -> {
        });
        assertThat(capturing("nd0")).isEqualTo(1);

        nd0.inject(EngineFixture.request(EngineFixture.PEER_MAC, "10.0.0.2", "10.0.0.1"));
        nd0.inject(EngineFixture.request(EngineFixture.PEER_MAC, "10.0.0.2", "10.0.0.1"));
        assertThat(capture("received", "nd0")).isEqualTo(2);

        nd0.close();
        assertThat(capturing("nd0")).isZero();
    }

    @Test
    void pcapStatsColumnsMapToTheirCounters() {
        nd1.stats = new Link.Stats(100, 7, 3);

        assertThat(capture("received", "nd1")).isEqualTo(100);
        assertThat(capture("dropped", "nd1")).isEqualTo(7);
        assertThat(capture("if.dropped", "nd1")).isEqualTo(3);
    }
}
