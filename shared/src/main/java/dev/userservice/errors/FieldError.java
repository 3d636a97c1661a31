package dev.userservice.errors;

import dev.userservice.json.JsonWritable;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One offending field of a request, named by its JSON path ({@code preferences.push}). {@code unknownField} tells a
 * member nobody asked for from a known field with a bad value: its name is the sender's own text, so a consumer
 * that logs refusals leaves it out. Only {@code field} and {@code message} are in the contract's JSON.
 */
public record FieldError(String field, String message, boolean unknownField) implements JsonWritable {
    /** What clients read for a member nobody asked for. */
    static final String UNKNOWN_FIELD = "is not a known field";

    /** A known field whose value is wrong. */
    public FieldError(String field, String message) {
        this(field, message, false);
    }

    /** A member the request's type does not have. */
    public static FieldError unknown(String field) {
        return new FieldError(field, UNKNOWN_FIELD, true);
    }

    @Override
    public Object toJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("field", field);
        json.put("message", message);
        return json;
    }
}
