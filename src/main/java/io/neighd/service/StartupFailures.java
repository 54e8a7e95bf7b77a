package io.neighd.service;

import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;

/**
 * Turns a failed start into one line that names the fix: neighd's own start-up errors and
 * configuration values its records rejected while binding.
 */
public final class StartupFailures {
    private StartupFailures() {
    }

    /** The most specific message in the cause chain that neighd wrote for a person to read. */
    public static String oneLine(Throwable t) {
        Throwable best = null;
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof NeighdStartupException) {
                best = c;
                break;
            }
            if (c instanceof IllegalArgumentException && c.getMessage() != null && c.getMessage().startsWith("neighd.")) {
                best = c;
                break;
            }
        }
        if (best == null) {
            best = t;
            while (best.getCause() != null && best.getCause() != best) {
                best = best.getCause();
            }
        }
        String m = String.valueOf(best.getMessage());
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }

    /** For {@link NeighdStartupException}. */
    public static final class StartupAnalyzer extends AbstractFailureAnalyzer<NeighdStartupException> {
        @Override
        protected FailureAnalysis analyze(Throwable root, NeighdStartupException cause) {
            return new FailureAnalysis(cause.getMessage(), "Fix what the line above names, then start neighd again.",
                    cause);
        }
    }

    /** For a {@code neighd.*} value rejected by its record while binding. */
    public static final class BindAnalyzer extends AbstractFailureAnalyzer<BindException> implements FailureAnalyzer {
        @Override
        protected FailureAnalysis analyze(Throwable root, BindException cause) {
            String line = oneLine(cause);
            if (!line.startsWith("neighd.")) {
                return null;
            }
            return new FailureAnalysis(line, "Fix the property the line above names (application.yaml, "
                    + "NEIGHD_* environment variable or --neighd.* argument).", cause);
        }
    }
}
