package io.neighd.deploy;

import io.neighd.env.Requirements;
import io.neighd.lab.Cmd;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.neighd.deploy.Manifests.asMap;
import static io.neighd.deploy.Manifests.list;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The chart's alerts, checked by Prometheus' own tool: {@code promtool check rules} accepts the
 * rules the chart renders, and {@code promtool test rules} runs alerts/neighd-rules-test.yaml
 * against them: for every alert a series that makes it fire (after its {@code for}) and one that
 * keeps it silent. The real server loads the same file in PrometheusServerIT.
 */
class AlertRulesTest {
    private static final String TESTS = "/alerts/neighd-rules-test.yaml";

    @TempDir
    Path dir;

    private Cmd.Result promtool(String... args) {
        Path promtool = Requirements.tool("the alert rule tests", "promtool", "prometheus");
        List<String> cmd = new ArrayList<>(List.of(promtool.toString()));
        cmd.addAll(List.of(args));
        return Cmd.run(Duration.ofSeconds(60), cmd, Map.of(), dir);
    }

    @Test
    void promtoolAcceptsTheRenderedRules() {
        AlertRules.write(dir.resolve("rules.yml"));

        Cmd.Result r = promtool("check", "rules", "rules.yml");

        assertThat(r.rc()).as(r.out() + r.err()).isZero();
        assertThat(r.out() + r.err()).contains("SUCCESS: " + AlertRules.ALERTS.size() + " rules found");
    }

    @Test
    void everyAlertFiresWhenItShouldAndStaysSilentOtherwise() throws IOException {
        AlertRules.write(dir.resolve("rules.yml"));
        String tests;
        try (InputStream in = AlertRulesTest.class.getResourceAsStream(TESTS)) {
            assertThat(in).as(TESTS).isNotNull();
            tests = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        Files.writeString(dir.resolve("tests.yml"), tests, StandardCharsets.UTF_8);

        Cmd.Result r = promtool("test", "rules", "tests.yml");

        assertThat(r.rc()).as(r.out() + r.err()).isZero();
        assertThat(r.out() + r.err()).contains("SUCCESS");
        assertThat(alertsTested(tests, true)).as("alerts with a case where they fire")
                .containsExactlyInAnyOrderElementsOf(AlertRules.ALERTS);
        assertThat(alertsTested(tests, false)).as("alerts with a case where they stay silent")
                .containsExactlyInAnyOrderElementsOf(AlertRules.ALERTS);
    }

    @Test
    void theRulesAreTheOnesTheChartDefines() {
        List<String> alerts = new ArrayList<>();
        for (Object g : list(AlertRules.spec().get("groups"))) {
            list(asMap(g).get("rules")).forEach(x -> alerts.add((String) asMap(x).get("alert")));
        }
        assertThat(alerts).containsExactlyElementsOf(AlertRules.ALERTS);
    }

    /**
     * The alert names of the test file's alert_rule_test entries that expect it to fire (some
     * exp_alerts) or to stay silent ({@code exp_alerts: []}).
     */
    private static List<String> alertsTested(String tests, boolean firing) {
        List<String> out = new ArrayList<>();
        Matcher m = Pattern.compile("(?m)^\\s*- eval_time: \\S+\\s*\\n\\s*alertname: (\\w+)\\s*\\n\\s*exp_alerts:(.*)$")
                .matcher(tests);
        while (m.find()) {
            boolean silent = m.group(2).strip().equals("[]");
            if (silent != firing && !out.contains(m.group(1))) {
                out.add(m.group(1));
            }
        }
        return out;
    }
}
