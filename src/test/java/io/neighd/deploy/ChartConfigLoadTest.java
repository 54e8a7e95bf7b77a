package io.neighd.deploy;

import io.neighd.config.NeighdProperties;
import io.neighd.config.NeighdProperties.InterfaceProperties;
import io.neighd.deploy.Chart.Case;
import io.neighd.engine.SysctlFile;
import io.neighd.service.EngineRuntime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.neighd.deploy.Manifests.asMap;
import static io.neighd.deploy.Manifests.get;
import static io.neighd.deploy.Manifests.list;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The configuration the chart renders is read by the real application: for every ci case the
 * service is started in this JVM from the rendered ConfigMap, args and environment
 * ({@link ChartedService}), and must start, bind every value the chart wrote (no key that nothing
 * reads), apply the rendered sysctl.conf, take the API token from where the DaemonSet points, and
 * answer the DaemonSet's probes on the ports they name.
 */
class ChartConfigLoadTest {

    static List<Case> ciCases() {
        return Chart.ciCases();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("ciCases")
    void serviceStartsOnTheRenderedConfigurationReadsAllOfItAndAnswersTheProbes(Case c) throws Exception {
        Manifests m = Chart.template(c.valuesFile());
        try (ChartedService pod = ChartedService.of(m)) {
            Map<String, Object> rendered = pod.renderedConfig();
            assertThat(ConfigKeys.unknown(rendered)).as("keys of the rendered application.yaml nothing reads").isEmpty();

            pod.start();

            NeighdProperties props = pod.context().getBean(NeighdProperties.class);
            assertThat(props.interfaces()).extracting(InterfaceProperties::name, InterfaceProperties::addresses)
                    .containsExactlyElementsOf(list(get(rendered, "neighd", "interfaces")).stream()
                            .map(i -> org.assertj.core.groups.Tuple.tuple(asMap(i).get("name"),
                                    asMap(i).getOrDefault("addresses", List.of())))
                            .toList());
            assertThat(props.interfaces()).extracting(InterfaceProperties::captureBufferBytes)
                    .containsExactlyElementsOf(list(get(rendered, "neighd", "interfaces")).stream()
                            .map(i -> asMap(i).get("capture-buffer") == null ? 16 << 20
                                    : (int) org.springframework.util.unit.DataSize.parse(
                                            (String) asMap(i).get("capture-buffer")).toBytes())
                            .toList());
            assertThat(props.routes()).isEqualTo(list(get(rendered, "neighd", "routes")));
            assertThat(props.stateFile()).isEqualTo(Path.of(pod.relocate((String) get(rendered, "neighd", "state-file"))));
            String token = expectedToken(m);
            assertThat(token).as("the chart always passes a token from a Secret: none is ever logged").isNotBlank();
            assertThat(props.api().token()).isEqualTo(token);
            assertThat(props.api().readToken()).isEqualTo(envSecret(m, "NEIGHD_API_READ_TOKEN"));
            assertSysctlFileApplied(pod, rendered);
            assertProbesAndScrapeAnswer(pod, m);
        }
    }

    /**
     * A node whose interface stops capturing (link gone, capture failed) takes its pod out of
     * readiness and fires NeighdInterfaceNotCapturing; the kubelet must not restart it in a loop,
     * so neither the liveness nor the startup probe may depend on the captures.
     */
    @Test
    void aPodWhoseInterfaceIsNotCapturingIsUnreadyButNotRestarted() {
        Manifests m = Chart.templateWith("{interfaces: [{name: eth0, addresses: [10.77.0.1/24]}]}");
        try (ChartedService pod = ChartedService.of(m).start()) {
            pod.context().getBean(EngineRuntime.class).links().get("eth0").close();
            Map<String, Object> container = m.container();

            assertThat(probe(pod, container, "readinessProbe").statusCode()).isEqualTo(503);
            assertThat(probe(pod, container, "livenessProbe").statusCode()).isEqualTo(200);
            assertThat(probe(pod, container, "startupProbe").statusCode()).isEqualTo(200);
        }
    }

    private static HttpResponse<String> probe(ChartedService pod, Map<String, Object> container, String probe) {
        return pod.request((String) get(container, probe, "httpGet", "scheme"),
                (String) get(container, probe, "httpGet", "port"), (String) get(container, probe, "httpGet", "path"));
    }

    /** The harness itself: a value the service rejects while binding fails the start. */
    @Test
    void aValueTheServiceCannotBindFailsTheStart() {
        Manifests m = Chart.templateWith("{config: {neighd: {hz: 333}}}");
        try (ChartedService pod = ChartedService.of(m)) {
            assertThatThrownBy(pod::start).hasStackTraceContaining("neighd.hz: 333 is not supported");
        }
    }

    /** The harness itself: a misspelt key is reported, although Spring would ignore it. */
    @Test
    void aKeyNothingReadsIsReported() {
        Manifests m = Chart.templateWith("{config: {neighd: {statefile-path: /x}, server: {prot: 1}}}");
        try (ChartedService pod = ChartedService.of(m)) {
            assertThat(ConfigKeys.unknown(pod.renderedConfig())).containsExactlyInAnyOrder("neighd.statefile-path",
                    "server.prot");
        }
    }

    /** What the kubelet and Prometheus would ask, on the container ports they name. */
    private static void assertProbesAndScrapeAnswer(ChartedService pod, Manifests m) {
        Map<String, Object> container = m.container();
        for (String probe : List.of("startupProbe", "livenessProbe", "readinessProbe")) {
            if (container.get(probe) == null) {
                continue;
            }
            HttpResponse<String> r = probe(pod, container, probe);
            assertThat(r.statusCode()).as("%s: %s", probe, r.body()).isEqualTo(200);
            assertThat(r.body()).as(probe).contains("\"status\":\"UP\"");
        }
        String scheme = (String) get(container, "livenessProbe", "httpGet", "scheme");
        String readToken = envSecret(m, "NEIGHD_API_READ_TOKEN");
        for (Map<String, Object> svc : m.all("Service")) {
            String targetPort = (String) asMap(list(get(svc, "spec", "ports")).get(0)).get("targetPort");
            if (readToken != null) {
                assertThat(pod.request(scheme, targetPort, "/actuator/prometheus").statusCode())
                        .as("a scrape without the read token").isEqualTo(401);
                for (Map<String, Object> sm : m.all("ServiceMonitor")) {
                    Map<String, Object> endpoint = asMap(list(get(sm, "spec", "endpoints")).get(0));
                    assertThat(ChartedService.secret(m, (String) get(endpoint, "authorization", "credentials", "name"),
                            (String) get(endpoint, "authorization", "credentials", "key")))
                            .as("the ServiceMonitor scrapes with the read token").isEqualTo(readToken);
                }
            }
            HttpResponse<String> r = readToken == null ? pod.request(scheme, targetPort, "/actuator/prometheus")
                    : pod.request(scheme, targetPort, "/actuator/prometheus", "Authorization", "Bearer " + readToken);
            assertThat(r.statusCode()).as("scrape through the Service's targetPort %s", targetPort).isEqualTo(200);
            assertThat(r.body()).contains("neighd_");
        }
    }

    private static String expectedToken(Manifests m) {
        return envSecret(m, "NEIGHD_API_TOKEN");
    }

    /** The value of the secret an env variable of the container names, or null without such a variable. */
    private static String envSecret(Manifests m, String name) {
        return list(m.container().get("env")).stream().map(Manifests::asMap)
                .filter(e -> name.equals(e.get("name"))).findFirst()
                .map(e -> ChartedService.secret(m, (String) get(e, "valueFrom", "secretKeyRef", "name"),
                        (String) get(e, "valueFrom", "secretKeyRef", "key")))
                .orElse(null);
    }

    /** Every line of the rendered sysctl.conf holds in the engine, read back on its thread. */
    private static void assertSysctlFileApplied(ChartedService pod, Map<String, Object> rendered) throws Exception {
        Object file = get(rendered, "neighd", "sysctl-file");
        if (file == null) {
            return;
        }
        EngineRuntime service = pod.context().getBean(EngineRuntime.class);
        for (SysctlFile.Line line : SysctlFile.parse(Path.of(pod.relocate((String) file)))) {
            long value = service.loop().submit(e -> e.sysctl().get(line.key())).get(10, TimeUnit.SECONDS);
            assertThat(value).as(line.key()).isEqualTo(line.value());
        }
    }
}
