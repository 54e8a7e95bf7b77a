package io.neighd.deploy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

/** Series names out of PromQL, as the chart's alert rules and dashboard write it. Each row: expression | names. */
class PromqlNamesTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '~', textBlock = """
            up{job="neighd"} == 0                                                                   | up
            neighd_a{job="x",level="3"} > ignoring (level) (0.9 * neighd_b{level="3"})               | neighd_a neighd_b
            increase(neighd_c_total{job="x"}[10m]) > 0                                              | neighd_c_total
            sum by (state) (neighd_d{job=~"$job",instance=~"$instance"})                             | neighd_d
            sum(rate(neighd_e_total[$__rate_interval])) by (interface, op)                           | neighd_e_total
            histogram_quantile(0.99, sum by (le) (rate(neighd_f_seconds_bucket{a="{b}"}[5m])))       | neighd_f_seconds_bucket
            rate(neighd_g_total[5m]) > 0.05 and rate(neighd_h_count[5m]) > 1e3 or neighd_i offset 1h | neighd_g_total neighd_h_count neighd_i
            neighd_j * on (interface) group_left (name) neighd_k                                     | neighd_j neighd_k
            label_values(neighd_l{job=~"$job"}, instance)                                            | neighd_l
            max by (instance, interface) (neighd_m{job=~"${job}",op!="a)b"})                         | neighd_m
            sum without (pod) (neighd:recorded:rate5m)                                               | neighd:recorded:rate5m
            """)
    void namesTheSeriesAnExpressionReads(String expr, String names) {
        assertThat(PromqlNames.of(expr)).containsExactlyElementsOf(Arrays.asList(names.split(" ")));
    }
}
