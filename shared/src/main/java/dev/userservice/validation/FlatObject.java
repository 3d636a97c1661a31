package dev.userservice.validation;

import dev.userservice.errors.ServiceException;
import dev.userservice.json.Json;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The rule of an application's own data kept beside ours (a user's {@code attributes}, the {@code custom}
 * preferences): flat and small. At most {@value #MAX_KEYS} keys matching {@code [a-z][a-z0-9_]{0,63}}, values
 * strings (at most {@value #MAX_STRING_LENGTH} characters), numbers (as a 64-bit float holds them) or booleans, and at most {@value #MAX_BYTES}
 * bytes as JSON in all. A change merges into the stored object; a {@code null} value removes its key.
 */
public final class FlatObject {
    public static final int MAX_KEYS = 50;
    public static final int MAX_STRING_LENGTH = 1_000;
    public static final int MAX_BYTES = 4 * 1024;
    private static final String NOT_A_DOUBLE =
            "must be a number a 64-bit float holds as written (JSON readers read numbers so): send it as a string";
    private static final Pattern KEY = Pattern.compile("^[a-z][a-z0-9_]{0,63}$");

    private final String field;

    /** The rule for the body field {@code field}, the name its problems are reported under. */
    public FlatObject(String field) {
        this.field = field;
    }

    /**
     * The patch at this field, with every bad key and value reported on {@code fields} by its path
     * ({@code attributes.plan}); null values are kept, as removals. Empty when the field is absent or invalid.
     */
    public Optional<Map<String, Object>> readPatch(Fields fields) {
        if (!fields.has(field)) {
            return Optional.empty();
        }
        if (!(fields.raw(field) instanceof Map<?, ?> patch)) {
            fields.reject(field, "must be an object of strings, numbers or booleans");
            return Optional.empty();
        }
        Map<String, Object> valid = new LinkedHashMap<>();
        boolean ok = true;
        for (Map.Entry<?, ?> entry : patch.entrySet()) {
            String key = String.valueOf(entry.getKey());
            String problem = problem(key, entry.getValue());
            if (problem != null) {
                fields.reject(field + "." + key, problem);
                ok = false;
            } else {
                valid.put(key, entry.getValue());
            }
        }
        return ok ? Optional.of(valid) : Optional.empty();
    }

    /** {@code current} with {@code patch} applied, sorted by key, whether or not it is within the limits. */
    public static Map<String, Object> apply(Map<String, Object> current, Map<String, Object> patch) {
        Map<String, Object> merged = new TreeMap<>(current);
        patch.forEach((key, value) -> {
            if (value == null) {
                merged.remove(key);
            } else {
                merged.put(key, value);
            }
        });
        return Collections.unmodifiableMap(merged);
    }

    /** What makes {@code merged} (stored keys and the change's together) too big, if anything. */
    public static Optional<String> limitProblem(Map<String, Object> merged) {
        if (merged.size() > MAX_KEYS) {
            return Optional.of("must have at most " + MAX_KEYS + " keys, counting the stored ones");
        }
        if (Json.write(merged).getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
            return Optional.of("must be at most " + MAX_BYTES + " bytes as JSON, counting the stored ones");
        }
        return Optional.empty();
    }

    /** {@code current} with {@code patch} applied; 400 on this field when the result is over the limits. */
    public Map<String, Object> merge(Map<String, Object> current, Map<String, Object> patch) {
        Map<String, Object> merged = apply(current, patch);
        limitProblem(merged).ifPresent(problem -> {
            throw ServiceException.validation(field, problem);
        });
        return merged;
    }

    /**
     * Whether a reader that holds numbers as 64-bit floats (JavaScript, and most JSON libraries by default) reads
     * {@code number} and writes it back unchanged: these values go on to other services, where {@code 1e400} would be
     * infinite (or refuse the whole document) and a 17-digit id would come back as another.
     */
    private static boolean readsBackAsWritten(BigDecimal number) {
        double read = number.doubleValue();
        return Double.isFinite(read) && new BigDecimal(Double.toString(read)).compareTo(number) == 0;
    }

    private static String problem(String key, Object value) {
        if (!KEY.matcher(key).matches()) {
            return "is not a valid key: a lower-case letter, then up to 63 lower-case letters, digits or _";
        }
        return switch (value) {
            case null -> null;
            case Boolean ignored -> null;
            case Long number -> readsBackAsWritten(new BigDecimal(number)) ? null : NOT_A_DOUBLE;
            case BigInteger number -> readsBackAsWritten(new BigDecimal(number)) ? null : NOT_A_DOUBLE;
            case BigDecimal number -> readsBackAsWritten(number) ? null : NOT_A_DOUBLE;
            case String text when !Text.isWellFormed(text) -> "must be valid Unicode text";
            case String text when text.codePointCount(0, text.length()) > MAX_STRING_LENGTH ->
                    "must be at most " + MAX_STRING_LENGTH + " characters";
            case String ignored -> null;
            default -> "must be a string, number or boolean";
        };
    }
}
