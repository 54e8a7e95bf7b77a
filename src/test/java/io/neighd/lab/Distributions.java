package io.neighd.lab;

import java.util.Arrays;
import java.util.List;

/**
 * Kolmogorov-Smirnov tests for random delays (proxy_delay): whether a sample of delays is a
 * uniform draw from a range, and whether two samples come from the same distribution, at
 * significance {@link #ALPHA}. An immediate reply (every delay near 0) or a fixed one is rejected
 * with a dozen samples or more; a correct random draw is wrongly rejected once in a thousand runs.
 */
public final class Distributions {
    public static final double ALPHA = 0.001;
    /** c(alpha) = sqrt(-ln(alpha / 2) / 2), the asymptotic critical value. */
    private static final double C_ALPHA = Math.sqrt(-Math.log(ALPHA / 2) / 2);

    private Distributions() {
    }

    /** The one-sample statistic D against Uniform(lo, hi). */
    public static double ksUniform(List<Long> sample, double lo, double hi) {
        double[] x = sorted(sample);
        int n = x.length;
        double d = 0;
        for (int i = 0; i < n; i++) {
            double f = Math.min(1, Math.max(0, (x[i] - lo) / (hi - lo)));
            d = Math.max(d, Math.max((i + 1.0) / n - f, f - (double) i / n));
        }
        return d;
    }

    /** The critical D for a one-sample test of {@code n} values. */
    public static double critical(int n) {
        return C_ALPHA / Math.sqrt(n);
    }

    /** The two-sample statistic D. */
    public static double ksTwoSample(List<Long> a, List<Long> b) {
        double[] x = sorted(a);
        double[] y = sorted(b);
        int i = 0;
        int j = 0;
        double d = 0;
        while (i < x.length && j < y.length) {
            double v = Math.min(x[i], y[j]);
            while (i < x.length && x[i] <= v) {
                i++;
            }
            while (j < y.length && y[j] <= v) {
                j++;
            }
            d = Math.max(d, Math.abs((double) i / x.length - (double) j / y.length));
        }
        return d;
    }

    /** The critical D for samples of {@code n} and {@code m} values. */
    public static double critical(int n, int m) {
        return C_ALPHA * Math.sqrt((n + m) / ((double) n * m));
    }

    private static double[] sorted(List<Long> s) {
        double[] x = s.stream().mapToDouble(Long::doubleValue).toArray();
        Arrays.sort(x);
        return x;
    }
}
