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
        String root = rootMessage(t);
        if (best == null) {
            String bound = boundProperty(t, root);
            if (bound != null) {
                return bound;
            }
        }
        String m = best == null ? root : String.valueOf(best.getMessage());
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }

    /** Control characters as escapes: what a line quotes must not break it, or a terminal. */
    static String printable(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x7f || c == 0x85 || c == 0x2028 || c == 0x2029) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.toString();
    }

    private static String rootMessage(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return String.valueOf(root.getMessage());
    }

    /**
     * A value Spring's converters refused (a number, size, duration or boolean that is none):
     * their messages do not say which property, so the line does, with the value as given.
     */
    private static String boundProperty(Throwable t, String root) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof BindException be && be.getProperty() != null
                    && be.getProperty().getName().toString().startsWith("neighd.")) {
                String reason = root.indexOf('\n') < 0 ? root : root.substring(0, root.indexOf('\n'));
                return be.getProperty().getName() + ": '" + printable(String.valueOf(be.getProperty().getValue()))
                        + "' cannot be read (" + printable(reason) + "): fix the value";
            }
        }
        return null;
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
