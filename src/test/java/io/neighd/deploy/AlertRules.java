package io.neighd.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static io.neighd.deploy.Manifests.get;

/**
 * The chart's alert rules as Prometheus loads them: the {@code spec} of the PrometheusRule that
 * {@code helm template} renders with the rules on and every other value at its default (release
 * {@value Chart#RELEASE}, so the expressions select {@code job="neighd"}), written as a rules file.
 */
public final class AlertRules {
    /** The alerts the chart defines, one promtool test case (firing and silent) each in alerts/neighd-rules-test.yaml. */
    static final List<String> ALERTS = List.of("NeighdNeighbourTableNearlyFull", "NeighdNeighbourTableOverflow",
            "NeighdResolutionFailuresRising", "NeighdCaptureDropping", "NeighdInterfaceNotCapturing",
            "NeighdUnresolvedDiscards", "NeighdEventsDropped", "NeighdDown");

    private AlertRules() {
    }

    /** The alert names the chart defines. */
    public static List<String> names() {
        return ALERTS;
    }

    /** The rendered PrometheusRule's spec. */
    static Map<String, Object> spec() {
        Manifests m = Chart.templateWith("prometheus: {rules: {enabled: true}}\n");
        List<Map<String, Object>> rules = m.all("PrometheusRule");
        if (rules.size() != 1) {
            throw new AssertionError("the chart rendered " + rules.size() + " PrometheusRules with rules.enabled");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> spec = (Map<String, Object>) get(rules.get(0), "spec");
        return spec;
    }

    /** Writes the rules file ({@code groups:} of the spec) to {@code file} and answers it. */
    public static Path write(Path file) {
        try {
            Files.writeString(file, Chart.yaml().dump(spec()), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }
}
