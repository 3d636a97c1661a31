package dev.userservice.accounts;

import dev.userservice.validation.Fields;
import dev.userservice.validation.FlatObject;
import java.util.Map;
import java.util.Optional;

/**
 * A user's {@code attributes}: the application's own profile data, flat and small, by the rule of
 * {@link FlatObject} (the one the {@code custom} preferences follow too). A PATCH merges into the stored ones; a
 * {@code null} value removes its key.
 */
final class Attributes {
    private static final FlatObject RULE = new FlatObject("attributes");

    private Attributes() {}

    /**
     * The patch at {@code attributes}, with every bad key and value reported on {@code fields} by its path
     * ({@code attributes.plan}); null values are kept, as removals. Empty when the field is absent or invalid.
     */
    static Optional<Map<String, Object>> readPatch(Fields fields) {
        return RULE.readPatch(fields);
    }

    /** {@code current} with {@code patch} applied; 400 on {@code attributes} when the result is over the limits. */
    static Map<String, Object> merge(Map<String, Object> current, Map<String, Object> patch) {
        return RULE.merge(current, patch);
    }
}
