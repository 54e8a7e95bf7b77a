package io.neighd.api;

import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.MediaType;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * An RFC 9457 problem as the contract's {@code Problem} schema spells it, rendered without
 * Jackson or Spring MVC: for the answers given outside a controller (Spring Security's
 * entry point and firewall, the servlet error page, Tomcat's own error report), which must look
 * exactly like those the controllers give.
 */
final class ProblemJson {
    private ProblemJson() {
    }

    /** {@code {"type":…,"title":…,"status":…,"detail":…,"instance":…[,"field":…]}}. */
    static String render(ProblemType t, String detail, String instance, String field) {
        StringBuilder b = new StringBuilder(256).append('{');
        member(b, "type", t.uri().toString()).append(',');
        member(b, "title", t.title()).append(',');
        b.append("\"status\":").append(t.status().value()).append(',');
        member(b, "detail", detail);
        if (instance != null) {
            member(b.append(','), "instance", instance);
        }
        if (field != null) {
            member(b.append(','), "field", field);
        }
        return b.append('}').toString();
    }

    /** Writes the problem as the whole response: status, Content-Type and body (none for HEAD). */
    static void write(HttpServletResponse response, String method, ProblemType t, String detail, String instance,
                      String field) throws IOException {
        byte[] body = render(t, detail, instance, field).getBytes(StandardCharsets.UTF_8);
        response.setStatus(t.status().value());
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        response.setCharacterEncoding(StandardCharsets.UTF_8.name());
        response.setContentLength(body.length);
        if (!"HEAD".equals(method)) {
            response.getOutputStream().write(body);
        }
        response.flushBuffer();
    }

    private static StringBuilder member(StringBuilder b, String name, String value) {
        b.append('"').append(name).append("\":");
        if (value == null) {
            return b.append("null");
        }
        b.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x2028 || c == 0x2029 || Character.isSurrogate(c)
                            && !validSurrogate(value, i)) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"');
    }

    /** A lone surrogate cannot be encoded as UTF-8: it is escaped instead. */
    private static boolean validSurrogate(String s, int i) {
        char c = s.charAt(i);
        if (Character.isHighSurrogate(c)) {
            return i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1));
        }
        return i > 0 && Character.isHighSurrogate(s.charAt(i - 1));
    }
}
