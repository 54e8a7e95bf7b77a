package io.neighd.metrics;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.neighd.arp.Reason;
import io.neighd.ip.NetDevice;
import io.neighd.testkit.EngineFixture;
import io.neighd.wire.ArpPacket;
import io.neighd.wire.MacAddress;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Arrays;

import static io.neighd.testkit.EngineFixture.OTHER_MAC;
import static io.neighd.testkit.EngineFixture.PEER_MAC;
import static io.neighd.testkit.EngineFixture.ip;
import static io.neighd.testkit.EngineFixture.reply;
import static io.neighd.testkit.EngineFixture.request;
import static io.neighd.testkit.EngineFixture.unicastRequest;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * neighd_arp_packets_{received,sent,dropped,ignored}_total over a real engine, read from the
 * Prometheus registry as a scrape would see them.
 */
class ArpPacketMetricsTest {
    private final EngineFixture fx = new EngineFixture();
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private NetDevice nd1;

    @BeforeEach
    void bind() {
        nd1 = fx.addInterface("nd1", 3, MacAddress.parse("02:aa:00:00:01:01"), "10.1.0.1/24");
        new ArpPacketMetrics(fx.engine::snapshot, List.of("nd0", "nd1")).bindTo(registry);
    }

    private double count(String meter, String dev, String key, String value) {
        return registry.get(meter).tags("interface", dev, key, value).functionCounter().count();
    }

    @Test
    void everyReasonOfEveryInterfaceExistsAtZero() {
        Scrape scrape = Scrape.parse(registry.scrape());
        for (String dev : new String[]{"nd0", "nd1"}) {
            for (Reason r : Reason.values()) {
                if (!r.appliesTo(io.neighd.wire.IpAddress.AF_INET)) {
                    continue;
                }
                String series = switch (r.kind()) {
                    case DROPPED -> "neighd_arp_packets_dropped_total";
                    case IGNORED -> "neighd_arp_packets_ignored_total";
                    case USED -> null;
                };
                if (series != null) {
                    assertThat(scrape.value(series, "interface", dev, "reason", r.label())).as(r.label()).contains(0.0);
                }
            }
            for (String op : new String[]{"request", "reply", "gratuitous", "proxy_reply"}) {
                assertThat(scrape.value("neighd_arp_packets_sent_total", "interface", dev, "op", op)).contains(0.0);
            }
            for (String op : new String[]{"request", "reply", "unknown"}) {
                assertThat(scrape.value("neighd_arp_packets_received_total", "interface", dev, "op", op)).contains(0.0);
            }
        }
        assertThat(scrape.text()).doesNotContain("interface=\"lo\"").doesNotContain("reason=\"replied\"");
    }

    @Test
    void aRequestForUsIsReceivedAndAnsweredOnItsInterface() {
        fx.receive(request(PEER_MAC, "10.0.0.2", "10.0.0.1"));

        assertThat(count("neighd.arp.packets.received", "nd0", "op", "request")).isEqualTo(1);
        assertThat(count("neighd.arp.packets.sent", "nd0", "op", "reply")).isEqualTo(1);
        assertThat(count("neighd.arp.packets.received", "nd1", "op", "request")).isZero();
    }

    @Test
    void resolutionSendsRequestsAndCountsTheReply() {
        fx.send("10.0.0.1", "10.0.0.9");
        fx.receive(reply(PEER_MAC, "10.0.0.9", "10.0.0.1"));

        assertThat(count("neighd.arp.packets.sent", "nd0", "op", "request")).isEqualTo(1);
        assertThat(count("neighd.arp.packets.received", "nd0", "op", "reply")).isEqualTo(1);
    }

    @Test
    void gratuitousAnnouncementsAreCountedAsGratuitous() {
        fx.engine.announce(fx.nd0);

        assertThat(count("neighd.arp.packets.sent", "nd0", "op", "gratuitous")).isEqualTo(1);
    }

    @Test
    void proxyRepliesAreCountedAsProxyReply() {
        fx.sysctl("net.ipv4.conf.nd0.forwarding", 1);
        fx.sysctl("net.ipv4.conf.nd0.proxy_arp", 1);
        fx.sysctl("net.ipv4.neigh.nd0.proxy_delay", 0);

        assertThat(fx.receive(request(PEER_MAC, "10.0.0.2", "10.1.0.5"))).isEqualTo(Reason.PROXY_REPLIED);
        assertThat(count("neighd.arp.packets.sent", "nd0", "op", "proxy_reply")).isEqualTo(1);
    }

    @Test
    void dropsAreCountedByReasonOnTheIngressInterface() {
        fx.sysctl("net.ipv4.conf.nd1.arp_ignore", 1);
        byte[] truncated = Arrays.copyOf(request(PEER_MAC, "10.1.0.2", "10.1.0.1"), 20);
        byte[] unknownOp = ArpPacket.frame(9, MacAddress.BROADCAST.bits(), PEER_MAC.bits(), -1, PEER_MAC.bits(),
                ip("10.1.0.2"), 0, ip("10.1.0.1"));

        assertThat(fx.receive(nd1, truncated)).isEqualTo(Reason.MALFORMED_TRUNCATED);
        assertThat(fx.receive(nd1, request(PEER_MAC, "10.1.0.2", "10.0.0.1"))).isEqualTo(Reason.ARP_IGNORE_NOT_ON_INGRESS);
        assertThat(fx.receive(nd1, unknownOp)).isEqualTo(Reason.UNKNOWN_OP);

        assertThat(count("neighd.arp.packets.dropped", "nd1", "reason", "malformed_truncated")).isEqualTo(1);
        assertThat(count("neighd.arp.packets.dropped", "nd1", "reason", "arp_ignore_not_on_ingress")).isEqualTo(1);
        assertThat(count("neighd.arp.packets.dropped", "nd1", "reason", "unknown_op")).isEqualTo(1);
        assertThat(count("neighd.arp.packets.received", "nd1", "op", "unknown")).isEqualTo(1);
        assertThat(count("neighd.arp.packets.dropped", "nd0", "reason", "malformed_truncated")).isZero();
    }

    @Test
    void framesLinuxWouldIgnoreAreCountedAsIgnored() {
        assertThat(fx.receive(unicastRequest(PEER_MAC, "10.0.0.2", "10.0.0.1", OTHER_MAC)))
                .isEqualTo(Reason.NOT_FOR_HOST);
        assertThat(fx.receive(request(PEER_MAC, "10.0.0.2", "10.0.0.77"))).isEqualTo(Reason.NOT_FOR_US);

        assertThat(count("neighd.arp.packets.ignored", "nd0", "reason", "not_for_host")).isEqualTo(1);
        assertThat(count("neighd.arp.packets.ignored", "nd0", "reason", "not_for_us")).isEqualTo(1);
        assertThat(Scrape.parse(registry.scrape())
                .value("neighd_arp_packets_ignored_total", "interface", "nd0", "reason", "not_for_host")).contains(1.0);
    }
}
