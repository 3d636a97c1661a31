package dev.userservice.accounts;

import dev.userservice.errors.ServiceException;
import dev.userservice.json.Json;
import dev.userservice.validation.Fields;
import dev.userservice.validation.Text;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * A user's {@code attributes}: the application's own profile data, flat and small. At most {@value #MAX_KEYS}
 * keys matching {@code [a-z][a-z0-9_]{0,63}}, values strings (at most {@value #MAX_STRING_LENGTH} characters),
 * numbers or booleans, and at most {@value #MAX_BYTES} bytes as JSON in all. A PATCH merges into the stored ones;
 * a {@code null} value removes its key.
 */
final class Attributes {
    static final int MAX_KEYS = 50;
    static final int MAX_STRING_LENGTH = 1_000;
    static final int MAX_BYTES = 4 * 1024;
    private static final Pattern KEY = Pattern.compile("^[a-z][a-z0-9_]{0,63}$");
    private static final String FIELD = "attributes";

    private Attributes() {}

    /**
     * The patch at {@code attributes}, with every bad key and value reported on {@code fields} by its path
     * ({@code attributes.plan}); null values are kept, as removals. Empty when the field is absent or invalid.
     */
    static java.util.Optional<Map<String, Object>> readPatch(Fields fields) {
        if (!fields.has(FIELD)) {
            return java.util.Optional.empty();
        }
        if (!(fields.raw(FIELD) instanceof Map<?, ?> patch)) {
            fields.reject(FIELD, "must be an object of strings, numbers or booleans");
            return java.util.Optional.empty();
        }
        Map<String, Object> valid = new LinkedHashMap<>();
        boolean ok = true;
        for (Map.Entry<?, ?> entry : patch.entrySet()) {
            String key = String.valueOf(entry.getKey());
            String problem = problem(key, entry.getValue());
            if (problem != null) {
                fields.reject(FIELD + "." + key, problem);
                ok = false;
            } else {
                valid.put(key, entry.getValue());
            }
        }
        return ok ? java.util.Optional.of(valid) : java.util.Optional.empty();
    }

    /** {@code current} with {@code patch} applied; 400 on {@code attributes} when the result is over the limits. */
    static Map<String, Object> merge(Map<String, Object> current, Map<String, Object> patch) {
        Map<String, Object> merged = new TreeMap<>(current);
        patch.forEach((key, value) -> {
            if (value == null) {
                merged.remove(key);
            } else {
                merged.put(key, value);
            }
        });
        if (merged.size() > MAX_KEYS) {
            throw ServiceException.validation(FIELD, "must have at most " + MAX_KEYS + " keys, counting the stored ones");
        }
        if (Json.write(merged).getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
            throw ServiceException.validation(FIELD, "must be at most " + MAX_BYTES + " bytes as JSON, counting the stored ones");
        }
        return Collections.unmodifiableMap(merged);
    }

    private static String problem(String key, Object value) {
        if (!KEY.matcher(key).matches()) {
            return "is not a valid key: a lower-case letter, then up to 63 lower-case letters, digits or _";
        }
        return switch (value) {
            case null -> null;
            case Boolean ignored -> null;
            case Long ignored -> null;
            case BigInteger ignored -> null;
            case BigDecimal ignored -> null;
            case String text when !Text.isWellFormed(text) -> "must be valid Unicode text";
            case String text when text.codePointCount(0, text.length()) > MAX_STRING_LENGTH ->
                    "must be at most " + MAX_STRING_LENGTH + " characters";
            case String ignored -> null;
            default -> "must be a string, number or boolean";
        };
    }
}
