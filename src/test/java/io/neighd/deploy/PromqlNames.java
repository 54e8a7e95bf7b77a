package io.neighd.deploy;

import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The series names a PromQL expression reads: a small tokenizer, not a parser. An identifier is
 * a metric name unless it is a function or aggregation (followed by {@code (}), a keyword
 * ({@code by}, {@code on}, {@code and}, ...; their label lists are skipped), or inside a label
 * matcher {@code {...}}, a range {@code [...]} or a string. Grafana's variables ({@code $job},
 * {@code ${datasource}}) are skipped, and {@code label_values(expr, label)} yields the names of
 * {@code expr} only.
 */
final class PromqlNames {
    private static final Set<String> KEYWORDS = Set.of("and", "or", "unless", "bool", "offset", "atan2", "inf", "nan");
    private static final Set<String> LABEL_LIST_KEYWORDS = Set.of("by", "without", "on", "ignoring", "group_left",
            "group_right");
    private static final Pattern LABEL_VALUES = Pattern.compile("^\\s*label_values\\((.*),\\s*[a-zA-Z_][a-zA-Z0-9_]*\\s*\\)\\s*$",
            Pattern.DOTALL);

    private PromqlNames() {
    }

    static Set<String> of(String expr) {
        Matcher lv = LABEL_VALUES.matcher(expr);
        String e = lv.matches() ? lv.group(1) : expr;
        Set<String> names = new LinkedHashSet<>();
        int i = 0;
        int n = e.length();
        while (i < n) {
            char c = e.charAt(i);
            if (c == '"' || c == '\'' || c == '`') {
                i = skipString(e, i);
            } else if (c == '{') {
                i = skipTo(e, i, '}');
            } else if (c == '[') {
                i = skipTo(e, i, ']');
            } else if (c == '$') {
                i = skipVariable(e, i);
            } else if (Character.isDigit(c) || (c == '.' && i + 1 < n && Character.isDigit(e.charAt(i + 1)))) {
                while (i < n && (Character.isLetterOrDigit(e.charAt(i)) || e.charAt(i) == '.' || e.charAt(i) == '_')) {
                    i++; // 0.9, 1e3, 5m, 1h30m
                }
            } else if (Character.isLetter(c) || c == '_' || c == ':') {
                int start = i;
                while (i < n && (Character.isLetterOrDigit(e.charAt(i)) || e.charAt(i) == '_' || e.charAt(i) == ':')) {
                    i++;
                }
                String word = e.substring(start, i);
                int next = skipSpace(e, i);
                String lower = word.toLowerCase(java.util.Locale.ROOT);
                if (LABEL_LIST_KEYWORDS.contains(lower)) {
                    if (next < n && e.charAt(next) == '(') {
                        i = skipTo(e, next, ')');
                    }
                } else if (KEYWORDS.contains(lower) || (next < n && e.charAt(next) == '(') || modifierFollows(e, next)) {
                    // a keyword, a function, or an aggregation (sum(...), sum by (l) (...))
                } else {
                    names.add(word);
                }
            } else {
                i++;
            }
        }
        return names;
    }

    private static boolean modifierFollows(String e, int i) {
        int j = i;
        while (j < e.length() && Character.isLetter(e.charAt(j))) {
            j++;
        }
        String w = e.substring(i, j).toLowerCase(java.util.Locale.ROOT);
        return (w.equals("by") || w.equals("without")) && e.startsWith("(", skipSpace(e, j));
    }

    private static int skipString(String e, int i) {
        char q = e.charAt(i);
        int j = i + 1;
        while (j < e.length() && e.charAt(j) != q) {
            j += e.charAt(j) == '\\' && q != '`' ? 2 : 1;
        }
        return j + 1;
    }

    /** Past the matching close, strings inside included. */
    private static int skipTo(String e, int i, char close) {
        int j = i + 1;
        while (j < e.length() && e.charAt(j) != close) {
            char c = e.charAt(j);
            j = c == '"' || c == '\'' || c == '`' ? skipString(e, j) : j + 1;
        }
        return j + 1;
    }

    private static int skipVariable(String e, int i) {
        int j = i + 1;
        if (j < e.length() && e.charAt(j) == '{') {
            return skipTo(e, j, '}');
        }
        while (j < e.length() && (Character.isLetterOrDigit(e.charAt(j)) || e.charAt(j) == '_')) {
            j++;
        }
        return j;
    }

    private static int skipSpace(String e, int i) {
        while (i < e.length() && Character.isWhitespace(e.charAt(i))) {
            i++;
        }
        return i;
    }
}
