package io.neighd.deploy;

import io.neighd.link.MemoryLink;
import io.neighd.service.EngineRuntime;
import io.neighd.wire.ArpMessage;
import io.neighd.wire.Ipv4Address;
import io.neighd.wire.MacAddress;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import static io.neighd.deploy.Manifests.asMap;
import static io.neighd.deploy.Manifests.get;
import static io.neighd.deploy.Manifests.list;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The contract between chart and service: every series the PrometheusRule alerts and the Grafana
 * dashboard read exists in the service's real {@code /actuator/prometheus} output, scraped as
 * Prometheus scrapes it (OpenMetrics preferred) and as plain text 0.0.4. The service runs as the
 * chart renders it over a memory link, after one peer's ARP request, the least traffic a node
 * sees (series such as transitions appear with their first event, as in production).
 */
class ChartMetricsContractTest {
    /** Made by Prometheus for every target, not exposed by the service. */
    private static final Set<String> PROMETHEUS_SERIES = Set.of("up");
    private static final String PROMETHEUS_ACCEPT = "application/openmetrics-text;version=1.0.0,"
            + "application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1";
    private static final String TEXT_ACCEPT = "text/plain;version=0.0.4";
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String EVERYTHING_ON = """
            interfaces: [{name: eth0, addresses: [10.77.0.1/24]}]
            prometheus: {monitor: {enabled: true}, rules: {enabled: true}}
            grafana: {dashboard: {enabled: true}}
            cluster: {enabled: true, backend: etcd, etcd: {endpoints: ["http://127.0.0.1:9"]},
                      vips: [{address: 10.77.0.100/24}]}
            """;

    private static ChartedService pod;
    private static Manifests everythingOn;

    @BeforeAll
    static void startAsRenderedAndSeeOnePeer() {
        everythingOn = Chart.templateWith(EVERYTHING_ON);
        pod = ChartedService.of(everythingOn).start();
        MemoryLink eth0 = (MemoryLink) pod.context().getBean(EngineRuntime.class).links().get("eth0");
        MacAddress peer = MacAddress.parse("02:00:5e:00:02:11");
        eth0.inject(ArpMessage.request(peer, Ipv4Address.parse("10.77.0.11"), MacAddress.ZERO,
                Ipv4Address.parse("10.77.0.1")).toFrame(MacAddress.BROADCAST, peer, -1));
        await().atMost(Duration.ofSeconds(10))
                .until(() -> scrape(TEXT_ACCEPT).samples().contains("neighd_neighbour_transitions_total"));
    }

    @AfterAll
    static void stop() {
        if (pod != null) {
            pod.close();
        }
    }

    @Test
    void everySeriesTheAlertsAndTheDashboardReadIsExposed() {
        Map<String, Set<String>> used = usedSeries();
        assertThat(used).as("series found in the rules and dashboard").hasSizeGreaterThan(20);

        for (String accept : List.of(PROMETHEUS_ACCEPT, TEXT_ACCEPT)) {
            Exposition scraped = scrape(accept);
            Map<String, Set<String>> missing = new TreeMap<>();
            used.forEach((name, where) -> {
                if (!PROMETHEUS_SERIES.contains(name) && !scraped.exposes(name)) {
                    missing.put(name, where);
                }
            });
            assertThat(missing).as("series used by the chart but not exposed (Accept: %s), with where they are used",
                    accept).isEmpty();
        }
    }

    /**
     * {@code x_bucket} must be a bucket of histogram {@code x}; {@code x_count} and {@code x_sum}
     * the count and sum of a histogram or summary {@code x}, unless {@code x_count} is a family of
     * its own (a gauge so named).
     */
    @Test
    void bucketCountAndSumSeriesBelongToHistograms() {
        Map<String, String> types = scrape(TEXT_ACCEPT).types();
        for (String n : usedSeries().keySet()) {
            if (n.endsWith("_bucket")) {
                assertThat(types).as("TYPE of the family of %s", n).containsEntry(strip(n, "_bucket"), "histogram");
            }
            for (String suffix : List.of("_count", "_sum")) {
                if (n.endsWith(suffix) && !types.containsKey(n)) {
                    assertThat(types.get(strip(n, suffix))).as("TYPE of the family of %s", n)
                            .isIn("histogram", "summary");
                }
            }
        }
    }

    private static String strip(String name, String suffix) {
        return name.substring(0, name.length() - suffix.length());
    }

    /** Series name to where it is used (alert names, dashboard panel titles), over every rendering. */
    private static Map<String, Set<String>> usedSeries() {
        List<Manifests> renderings = new ArrayList<>();
        renderings.add(everythingOn);
        Chart.ciCases().forEach(c -> renderings.add(Chart.template(c.valuesFile())));
        Map<String, Set<String>> used = new TreeMap<>();
        for (Manifests m : renderings) {
            for (Map<String, Object> rule : m.all("PrometheusRule")) {
                for (Object g : list(get(rule, "spec", "groups"))) {
                    for (Object r : list(asMap(g).get("rules"))) {
                        String where = "alert " + asMap(r).get("alert");
                        PromqlNames.of((String) asMap(r).get("expr"))
                                .forEach(n -> used.computeIfAbsent(n, k -> new LinkedHashSet<>()).add(where));
                    }
                }
            }
            for (Map<String, Object> cm : m.all("ConfigMap")) {
                Object dashboard = get(cm, "data", "neighd.json");
                if (dashboard != null) {
                    dashboardQueries(JSON.readTree((String) dashboard), "dashboard", used);
                }
            }
        }
        return used;
    }

    /** Panel targets' {@code expr} and query variables' {@code query}, anywhere in the dashboard. */
    private static void dashboardQueries(JsonNode node, String where, Map<String, Set<String>> used) {
        if (node.isObject()) {
            String here = node.has("title") ? "dashboard panel '" + node.get("title").asString() + "'"
                    : node.has("name") ? "dashboard variable $" + node.get("name").asString() : where;
            JsonNode expr = node.get("expr");
            JsonNode query = "query".equals(node.path("type").asString()) ? node.get("query") : null;
            for (JsonNode q : new JsonNode[] {expr, query, query == null ? null : query.get("query")}) {
                if (q != null && q.isString()) {
                    PromqlNames.of(q.asString()).forEach(n -> used.computeIfAbsent(n, k -> new LinkedHashSet<>()).add(here));
                }
            }
            node.properties().forEach(e -> dashboardQueries(e.getValue(), here, used));
        } else if (node.isArray()) {
            node.forEach(x -> dashboardQueries(x, where, used));
        }
    }

    private static Exposition scrape(String accept) {
        String port = (String) asMap(list(get(everythingOn.one("Service"), "spec", "ports")).get(0)).get("targetPort");
        String path = (String) get(asMap(list(get(everythingOn.one("ServiceMonitor"), "spec", "endpoints")).get(0)), "path");
        HttpResponse<String> r = pod.http(port, path, "Accept", accept);
        assertThat(r.statusCode()).as("GET %s (Accept: %s)", path, accept).isEqualTo(200);
        return Exposition.parse(r.body());
    }

    /** Sample names and family types of a text exposition (0.0.4 or OpenMetrics). */
    record Exposition(Set<String> samples, Map<String, String> types) {
        static Exposition parse(String text) {
            Set<String> samples = new LinkedHashSet<>();
            Map<String, String> types = new HashMap<>();
            for (String line : text.split("\n")) {
                if (line.startsWith("# TYPE ")) {
                    String[] f = line.split(" ");
                    types.put(f[2], f[3]);
                } else if (!line.isBlank() && !line.startsWith("#")) {
                    int end = 0;
                    while (end < line.length() && line.charAt(end) != '{' && line.charAt(end) != ' ') {
                        end++;
                    }
                    samples.add(line.substring(0, end));
                }
            }
            return new Exposition(samples, types);
        }

        boolean exposes(String series) {
            return samples.contains(series);
        }
    }
}
