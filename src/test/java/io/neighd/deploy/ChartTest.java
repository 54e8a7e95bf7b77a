package io.neighd.deploy;

import com.marcnuri.helm.LintResult;
import io.neighd.deploy.Chart.Case;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

import static io.neighd.deploy.Manifests.asMap;
import static io.neighd.deploy.Manifests.get;
import static io.neighd.deploy.Manifests.list;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * helm/neighd, for every {@code ci/*-values.yaml}: {@code helm lint --strict} passes and
 * {@code helm template} renders a DaemonSet shaped like metallb's speaker (host network, only
 * NET_RAW, read-only root, probes on the actuator health groups), the API token's Secret
 * reference, and each optional object exactly when its switch is on. Expectations are derived
 * from the case's values, so a new ci file is checked without a new test.
 */
class ChartTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    static List<Case> ciCases() {
        return Chart.ciCases();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("ciCases")
    void lintsStrictly(Case c) {
        LintResult lint = Chart.lint(c.valuesFile());

        assertThat(lint.isFailed()).as("helm lint --strict -f %s:%n%s", c.valuesFile(),
                String.join("\n", lint.getMessages())).isFalse();
        assertThat(lint.getMessages()).noneMatch(m -> m.contains("[ERROR]") || m.contains("[WARNING]"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("ciCases")
    void daemonSetOnTheHostNetworkWithOnlyNetRaw(Case c) {
        Manifests m = Chart.template(c.valuesFile());
        Map<String, Object> pod = m.podSpec();
        Map<String, Object> sc = asMap(m.container().get("securityContext"));

        assertThat(pod).containsEntry("hostNetwork", true).containsEntry("dnsPolicy", "ClusterFirstWithHostNet");
        assertThat(get(sc, "capabilities", "drop")).isEqualTo(List.of("ALL"));
        assertThat(get(sc, "capabilities", "add")).isEqualTo(List.of("NET_RAW"));
        assertThat(sc).containsEntry("readOnlyRootFilesystem", true);
        assertThat(mountPaths(m.container())).contains("/etc/neighd", "/var/lib/neighd", "/tmp");
    }

    /**
     * Non-root needs allowPrivilegeEscalation: true, or no_new_privs voids java's file capability
     * and the container exits 78; the only root shape allowed is the documented metallb-style
     * one (ci/root-nnp): uid 0 with no_new_privs.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("ciCases")
    void nonRootUnlessTheDocumentedRootWithNoNewPrivs(Case c) {
        Map<String, Object> sc = asMap(Chart.template(c.valuesFile()).container().get("securityContext"));

        if (Integer.valueOf(0).equals(sc.get("runAsUser"))) {
            assertThat(c.name()).isEqualTo("root-nnp");
            assertThat(sc).containsEntry("runAsNonRoot", false).containsEntry("allowPrivilegeEscalation", false);
        } else {
            assertThat(sc).containsEntry("runAsNonRoot", true).containsEntry("runAsUser", 10001)
                    .containsEntry("allowPrivilegeEscalation", true);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("ciCases")
    void stateDirectoryInitContainerOnlyForHostPathWithMinimalCapabilities(Case c) {
        Map<String, Object> v = Chart.effectiveValues(c.valuesFile());
        Manifests m = Chart.template(c.valuesFile());
        boolean expected = "hostPath".equals(get(v, "stateVolume", "type"))
                && Boolean.TRUE.equals(get(v, "stateVolume", "hostPath", "fixPermissions"));
        List<Object> inits = list(m.podSpec().get("initContainers"));

        assertThat(inits).hasSize(expected ? 1 : 0);
        for (Object init : inits) {
            Map<String, Object> sc = asMap(asMap(init).get("securityContext"));
            assertThat(get(sc, "capabilities", "drop")).isEqualTo(List.of("ALL"));
            assertThat(get(sc, "capabilities", "add")).isEqualTo(List.of("CHOWN", "FOWNER"));
            assertThat(sc).containsEntry("allowPrivilegeEscalation", false).containsEntry("readOnlyRootFilesystem", true);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("ciCases")
    void probesPerSwitchOnTheActuatorPort(Case c) {
        Map<String, Object> v = Chart.effectiveValues(c.valuesFile());
        Map<String, Object> container = Chart.template(c.valuesFile()).container();
        Object actuatorPort = get(v, "management", "port") != null ? get(v, "management", "port") : get(v, "server", "port");

        Map<String, String> paths = Map.of("startupProbe", "/actuator/health/liveness",
                "livenessProbe", "/actuator/health/liveness", "readinessProbe", "/actuator/health/readiness");
        paths.forEach((probe, path) -> {
            if (Boolean.TRUE.equals(get(v, probe, "enabled"))) {
                assertThat(get(container, probe, "httpGet", "path")).as(probe).isEqualTo(path);
                boolean https = Boolean.TRUE.equals(get(v, "tls", "enabled")) && get(v, "management", "port") == null;
                assertThat(get(container, probe, "httpGet", "scheme")).as(probe).isEqualTo(https ? "HTTPS" : "HTTP");
                String portName = (String) get(container, probe, "httpGet", "port");
                assertThat(containerPort(container, portName)).as("%s port %s", probe, portName).isEqualTo(actuatorPort);
            } else {
                assertThat(container).as(probe).doesNotContainKey(probe);
            }
        });
    }

    /**
     * The write token always comes from a Secret, so no pod ever generates one and logs it: the
     * existing Secret named, or the one the chart creates with the token given or generated (40
     * random characters, looked up and kept on upgrade). The read token likewise, when reads need one.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("ciCases")
    void apiTokensFromTheCreatedOrTheExistingSecret(Case c) {
        Map<String, Object> v = Chart.effectiveValues(c.valuesFile());
        Manifests m = Chart.template(c.valuesFile());
        String token = (String) get(v, "api", "token");
        String existing = (String) get(v, "api", "existingSecret");
        boolean readRequired = Boolean.TRUE.equals(get(v, "api", "readTokenRequired"));
        Object ref = env(m.container(), "NEIGHD_API_TOKEN").map(e -> get(e, "valueFrom", "secretKeyRef")).orElse(null);
        Object readRef = env(m.container(), "NEIGHD_API_READ_TOKEN").map(e -> get(e, "valueFrom", "secretKeyRef"))
                .orElse(null);

        if (existing != null && !existing.isEmpty()) {
            assertThat(ref).isEqualTo(Map.of("name", existing, "key", get(v, "api", "existingSecretKey")));
            assertThat(readRef).isEqualTo(readRequired
                    ? Map.of("name", existing, "key", get(v, "api", "existingSecretReadTokenKey")) : null);
            assertThat(m.all("Secret")).isEmpty();
        } else {
            Map<String, Object> secret = m.one("Secret");
            assertThat(ref).isEqualTo(Map.of("name", get(secret, "metadata", "name"), "key", "token"));
            String stored = decode(get(secret, "data", "token"));
            if (token != null && !token.isEmpty()) {
                assertThat(stored).isEqualTo(token);
            } else {
                assertThat(stored).as("generated").matches("[A-Za-z0-9]{40}");
            }
            if (readRequired) {
                assertThat(readRef).isEqualTo(Map.of("name", get(secret, "metadata", "name"), "key", "read-token"));
                assertThat(decode(get(secret, "data", "read-token"))).matches("[A-Za-z0-9]{40}").isNotEqualTo(stored);
            } else {
                assertThat(readRef).isNull();
                assertThat(asMap(secret.get("data"))).doesNotContainKey("read-token");
            }
        }
    }

    private static String decode(Object base64) {
        return new String(Base64.getDecoder().decode((String) base64), StandardCharsets.UTF_8);
    }

    /** A token the Secret already holds is kept (what lookup finds on an upgrade), and one given wins. */
    @Test
    void aGeneratedTokenIsAFreshOneAtEachRenderWithoutACluster() {
        String a = decode(get(Chart.templateWith("{}").one("Secret"), "data", "token"));
        String b = decode(get(Chart.templateWith("{}").one("Secret"), "data", "token"));
        assertThat(a).isNotEqualTo(b);
        assertThat(decode(get(Chart.templateWith("{api: {token: given-token-0123456789}}").one("Secret"), "data",
                "token"))).isEqualTo("given-token-0123456789");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("ciCases")
    void optionalObjectsOnlyWhenSwitchedOn(Case c) {
        Map<String, Object> v = Chart.effectiveValues(c.valuesFile());
        Manifests m = Chart.template(c.valuesFile());
        boolean monitor = on(v, "prometheus", "monitor", "enabled");

        assertThat(m.all("Service")).hasSize(monitor || on(v, "service", "enabled") ? 1 : 0);
        assertThat(m.all("ServiceMonitor")).hasSize(monitor ? 1 : 0);
        assertThat(m.all("PrometheusRule")).hasSize(on(v, "prometheus", "rules", "enabled") ? 1 : 0);
        assertThat(m.all("ConfigMap").stream().filter(isDashboard()).toList())
                .hasSize(on(v, "grafana", "dashboard", "enabled") ? 1 : 0);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("ciCases")
    void serviceAndServiceMonitorPointAtTheActuatorPrometheusEndpoint(Case c) {
        Manifests m = Chart.template(c.valuesFile());
        Map<String, Object> container = m.container();
        for (Map<String, Object> svc : m.all("Service")) {
            Map<String, Object> port = asMap(list(get(svc, "spec", "ports")).get(0));
            assertThat(get(svc, "spec", "selector")).isEqualTo(get(m.daemonSet(), "spec", "selector", "matchLabels"));
            assertThat(containerPort(container, (String) port.get("targetPort"))).isEqualTo(port.get("port"));
            for (Map<String, Object> sm : m.all("ServiceMonitor")) {
                Map<String, Object> endpoint = asMap(list(get(sm, "spec", "endpoints")).get(0));
                assertThat(endpoint).containsEntry("port", port.get("name")).containsEntry("path", "/actuator/prometheus");
                assertThat(asMap(get(svc, "metadata", "labels")))
                        .containsAllEntriesOf(asMap(get(sm, "spec", "selector", "matchLabels")));
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("ciCases")
    void dashboardConfigMapCarriesTheDashboardForTheSidecar(Case c) throws Exception {
        Manifests m = Chart.template(c.valuesFile());
        JsonNode file = JSON.readTree(Files.readString(Chart.DIR.resolve("dashboards/neighd.json"), StandardCharsets.UTF_8));
        for (Map<String, Object> cm : m.all("ConfigMap").stream().filter(isDashboard()).toList()) {
            assertThat(get(cm, "metadata", "labels", "grafana_dashboard")).isEqualTo("1");
            assertThat(JSON.readTree((String) get(cm, "data", "neighd.json"))).isEqualTo(file);
        }
    }

    /**
     * By default the probes and the metrics have a port of their own, so that API load, a slow
     * resolve or a token on reads never fails the kubelet's probes (issue 10, defect 7).
     */
    @Test
    void byDefaultProbesAndMetricsAreOnTheManagementPort() {
        Manifests m = Chart.templateWith("{service: {enabled: true}}");
        Map<String, Object> container = m.container();
        for (String probe : List.of("startupProbe", "livenessProbe", "readinessProbe")) {
            assertThat(get(container, probe, "httpGet", "port")).as(probe).isEqualTo("management");
            assertThat(get(container, probe, "httpGet", "scheme")).as(probe).isEqualTo("HTTP");
        }
        assertThat(containerPort(container, "management")).isEqualTo(9798);
        assertThat(asMap(list(get(m.one("Service"), "spec", "ports")).get(0))).containsEntry("targetPort", "management");
        Map<String, Object> config = Chart.yaml().load((String) get(m.configMap(), "data", "application.yaml"));
        assertThat(get(config, "management", "server", "port")).isEqualTo(9798);
    }

    /** The ci set itself: each switch is rendered both on and off by some case. */
    @Test
    void ciCasesRenderEverySwitchBothWays() {
        List<Manifests> all = ciCases().stream().map(c -> Chart.template(c.valuesFile())).toList();
        Map<String, Predicate<Manifests>> switches = Map.ofEntries(
                Map.entry("Service", x -> !x.all("Service").isEmpty()),
                Map.entry("ServiceMonitor", x -> !x.all("ServiceMonitor").isEmpty()),
                Map.entry("PrometheusRule", x -> !x.all("PrometheusRule").isEmpty()),
                Map.entry("dashboard ConfigMap", x -> x.all("ConfigMap").stream().anyMatch(isDashboard())),
                Map.entry("created Secret", x -> !x.all("Secret").isEmpty()),
                Map.entry("read token", x -> env(x.container(), "NEIGHD_API_READ_TOKEN").isPresent()),
                Map.entry("TLS", x -> list(x.podSpec().get("volumes")).stream().anyMatch(vol -> "tls".equals(asMap(vol).get("name")))),
                Map.entry("separate management port", x -> list(x.container().get("ports")).stream()
                        .anyMatch(p -> "management".equals(asMap(p).get("name")))),
                Map.entry("liveness probe", x -> x.container().containsKey("livenessProbe")),
                Map.entry("readiness probe", x -> x.container().containsKey("readinessProbe")),
                Map.entry("startup probe", x -> x.container().containsKey("startupProbe")),
                Map.entry("state init container", x -> !list(x.podSpec().get("initContainers")).isEmpty()));

        switches.forEach((what, rendered) -> {
            assertThat(all).as("%s rendered by some ci case", what).anyMatch(rendered);
            assertThat(all).as("%s absent in some ci case", what).anyMatch(rendered.negate());
        });
    }

    private static boolean on(Map<String, Object> values, String... path) {
        return Boolean.TRUE.equals(get(values, path));
    }

    private static Predicate<Map<String, Object>> isDashboard() {
        return cm -> get(cm, "data", "neighd.json") != null;
    }

    private static java.util.Optional<Map<String, Object>> env(Map<String, Object> container, String name) {
        return list(container.get("env")).stream().map(Manifests::asMap)
                .filter(e -> name.equals(e.get("name"))).findFirst();
    }

    private static Object containerPort(Map<String, Object> container, String name) {
        return list(container.get("ports")).stream().map(Manifests::asMap).filter(p -> name.equals(p.get("name")))
                .map(p -> p.get("containerPort")).findFirst()
                .orElseThrow(() -> new AssertionError("no container port named " + name));
    }

    private static Set<Object> mountPaths(Map<String, Object> container) {
        return list(container.get("volumeMounts")).stream().map(x -> asMap(x).get("mountPath"))
                .collect(java.util.stream.Collectors.toSet());
    }
}
