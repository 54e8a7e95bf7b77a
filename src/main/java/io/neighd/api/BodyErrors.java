package io.neighd.api;

import org.springframework.http.converter.HttpMessageNotReadableException;
import tools.jackson.core.JacksonException;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.core.exc.StreamConstraintsException;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.exc.MismatchedInputException;

import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * What was wrong with a body that could not be read, in the API's terms: where (the field, as
 * {@code dst} or {@code [3].dst}) and what JSON was expected there. Jackson's own messages name
 * neighd's classes and echo what was sent; they stay in the log.
 */
final class BodyErrors {
    private BodyErrors() {
    }

    /** The field at fault, or null when the body as a whole is. */
    static String field(HttpMessageNotReadableException e) {
        if (!(e.getMostSpecificCause() instanceof JacksonException je) || je.getPath().isEmpty()) {
            return null;
        }
        StringBuilder b = new StringBuilder();
        for (JacksonException.Reference r : je.getPath()) {
            if (r.getPropertyName() != null) {
                if (!b.isEmpty()) {
                    b.append('.');
                }
                b.append(r.getPropertyName());
            } else if (r.getIndex() >= 0) {
                b.append('[').append(r.getIndex()).append(']');
            }
        }
        return b.isEmpty() ? null : b.toString();
    }

    static String describe(HttpMessageNotReadableException e) {
        Throwable cause = e.getMostSpecificCause();
        String field = field(e);
        String where = field == null ? "" : field + ": ";
        if (cause instanceof StreamConstraintsException) {
            return "the body is beyond what neighd parses (nesting depth, or the length of a number, string or "
                    + "name): nothing was done";
        }
        if (cause instanceof MismatchedInputException mi) {
            return where + "expected " + kind(mi.getTargetType()) + ": nothing was done";
        }
        if (cause instanceof StreamReadException sr) {
            TokenStreamLocation l = sr.getLocation();
            return "the body is not valid JSON" + (l == null || l.getLineNr() < 0 ? "" : " (line " + l.getLineNr()
                    + ", column " + l.getColumnNr() + ")") + ": nothing was done";
        }
        if (cause instanceof JacksonException) {
            return where + "not a value this request takes: nothing was done";
        }
        return "the body could not be read as JSON (empty, cut short, or not UTF-8): nothing was done";
    }

    private static String kind(Class<?> t) {
        if (t == null) {
            return "another JSON value";
        }
        if (t == String.class) {
            return "a string";
        }
        if (t == Boolean.class || t == boolean.class) {
            return "true or false";
        }
        if (Number.class.isAssignableFrom(t) || t.isPrimitive()) {
            return "an integer";
        }
        if (t.isArray() || Collection.class.isAssignableFrom(t) || t == List.class) {
            return "an array";
        }
        if (Map.class.isAssignableFrom(t) || t.isRecord()) {
            return "an object";
        }
        return "another JSON value";
    }
}
