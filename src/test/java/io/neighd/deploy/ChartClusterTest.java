package io.neighd.deploy;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.neighd.deploy.Manifests.asMap;
import static io.neighd.deploy.Manifests.get;
import static io.neighd.deploy.Manifests.list;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The chart with elected addresses: RBAC limited to Leases in the release namespace and only
 * when the feature is on with the kubernetes backend; the pod learns its node name, mounts the
 * token it then needs, and hands its addresses over in preStop; the configuration reaches neighd.
 */
class ChartClusterTest {
    static final String CLUSTER = "helm/neighd/ci/cluster-values.yaml";

    @Test
    void roleIsLimitedToLeasesInTheReleaseNamespaceAndBoundToThePodsAccount() {
        Manifests m = Chart.template(java.nio.file.Path.of(CLUSTER));
        Map<String, Object> role = m.all("Role").get(0);
        assertThat(get(role, "metadata", "namespace")).isEqualTo(get(m.daemonSet(), "metadata", "namespace"));
        List<Object> rules = list(get(role, "rules"));
        assertThat(rules).hasSize(1);
        Map<String, Object> rule = asMap(rules.get(0));
        assertThat(rule.get("apiGroups")).isEqualTo(List.of("coordination.k8s.io"));
        assertThat(rule.get("resources")).isEqualTo(List.of("leases"));
        assertThat(rule.get("verbs")).isEqualTo(List.of("get", "list", "watch", "create", "update"));
        Map<String, Object> binding = m.all("RoleBinding").get(0);
        assertThat(get(binding, "roleRef", "name")).isEqualTo(get(role, "metadata", "name"));
        assertThat(asMap(list(get(binding, "subjects")).get(0)).get("name"))
                .isEqualTo(get(m.daemonSet(), "spec", "template", "spec", "serviceAccountName"));
        assertThat(m.all("ClusterRole")).isEmpty();
    }

    @Test
    void podKnowsItsNodeMountsTheTokenAndHandsOverInPreStop() {
        Manifests m = Chart.template(java.nio.file.Path.of(CLUSTER));
        assertThat(m.podSpec().get("automountServiceAccountToken")).isEqualTo(true);
        Map<String, Object> c = m.container();
        assertThat(list(c.get("env")).stream().map(Manifests::asMap)
                .filter(e -> "NODE_NAME".equals(e.get("name"))).findFirst().orElseThrow())
                .extracting(e -> get(e, "valueFrom", "fieldRef", "fieldPath")).isEqualTo("spec.nodeName");
        assertThat(preStop(m)).contains("POST /api/v1/vips/release").contains("$NEIGHD_API_TOKEN");
    }

    @Test
    void preStopReachesTheApiWhereItListensAndIsLeftOutWithTls() {
        String cluster = "interfaces: [{name: eth0, addresses: [10.77.0.2/24]}]\ncluster: {enabled: true}\n";
        assertThat(preStop(Chart.templateWith(cluster))).contains("/dev/tcp/127.0.0.1/9797");
        assertThat(preStop(Chart.templateWith(cluster + "server: {address: hostIP}\n")))
                .contains("/dev/tcp/$SERVER_ADDRESS/9797");
        assertThat(preStop(Chart.templateWith(cluster + "server: {address: 10.77.0.2}\n")))
                .contains("/dev/tcp/10.77.0.2/9797");
        Manifests tls = Chart.templateWith(cluster + "tls: {enabled: true, secretName: neighd-api-tls}\n");
        assertThat(tls.container()).as("bash cannot speak TLS; SIGTERM releases").doesNotContainKey("lifecycle");
    }

    private static String preStop(Manifests m) {
        return String.join(" ", list(get(m.container(), "lifecycle", "preStop", "exec", "command")).stream()
                .map(String::valueOf).toList());
    }

    @Test
    void configurationCarriesTheClusterAndTheAddresses() {
        Manifests m = Chart.template(java.nio.file.Path.of(CLUSTER));
        String app = (String) get(m.all("ConfigMap").stream().filter(x -> get(x, "data", "application.yaml") != null)
                .findFirst().orElseThrow(), "data", "application.yaml");
        assertThat(app).contains("cluster:").contains("backend: kubernetes").contains("lease-duration: 1500ms")
                .contains("vips:").contains("10.77.0.101/24").contains("interface: eth0");
        // an IPv6 address survives the rendering as the same string
        java.util.Map<?, ?> neighd = (java.util.Map<?, ?>) ((java.util.Map<?, ?>) new org.yaml.snakeyaml.Yaml().load(app))
                .get("neighd");
        assertThat(neighd.get("vips").toString()).contains("address=fd77::100/64");
        assertThat(m.all("PrometheusRule").toString()).contains("NeighdElectedAddressWithoutOwner")
                .contains("NeighdElectedAddressTwoOwners").contains("NeighdAddressConflict");
    }

    @Test
    void withoutTheFeatureThereIsNoRbacNoTokenAndNoPreStop() {
        Manifests m = Chart.template(java.nio.file.Path.of("helm/neighd/ci/default-values.yaml"));
        assertThat(m.all("Role")).isEmpty();
        assertThat(m.all("RoleBinding")).isEmpty();
        assertThat(m.podSpec().get("automountServiceAccountToken")).isEqualTo(false);
        assertThat(m.container()).doesNotContainKey("lifecycle");
    }
}
