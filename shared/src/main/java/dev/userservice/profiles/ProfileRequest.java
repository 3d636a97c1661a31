package dev.userservice.profiles;

import dev.userservice.validation.Fields;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What a pipeline asks a notification profile about: the category whose opt-outs apply (none: only the channel
 * switches), the notification's priority, and whether an unverified email must be refused.
 */
public record ProfileRequest(Optional<String> category, Priority priority, boolean requireVerified) {
    /** The category names preferences accept. */
    private static final Pattern CATEGORY = Pattern.compile("^[a-z][a-z0-9_]{0,63}$");
    private static final int MAX_CATEGORY_LENGTH = 64;
    private static final int MAX_PRIORITY_LENGTH = 16;

    public static final ProfileRequest DEFAULT = new ProfileRequest(Optional.empty(), Priority.NORMAL, false);

    /**
     * Reads {@code ?category=&priority=&require_verified=}; any other parameter, and any bad value, is one
     * {@code validation_failed} naming them all.
     */
    public static ProfileRequest fromQuery(Map<String, String> query) {
        Fields fields = Fields.of(new LinkedHashMap<>(query));
        ProfileRequest request = read(fields, fields.optional("require_verified", 5, ProfileRequest::bool));
        fields.validate();
        return request;
    }

    /** Reads {@code category}, {@code priority} and {@code require_verified} of a JSON body; the caller validates. */
    public static ProfileRequest fromBody(Fields fields) {
        return read(fields, fields.optionalBoolean("require_verified"));
    }

    private static ProfileRequest read(Fields fields, Optional<Boolean> requireVerified) {
        Optional<String> category = fields.optional("category", MAX_CATEGORY_LENGTH, ProfileRequest::category);
        Priority priority = fields.optional("priority", MAX_PRIORITY_LENGTH, Priority::parse).orElse(Priority.NORMAL);
        return new ProfileRequest(category, priority, requireVerified.orElse(false));
    }

    private static String category(String name) {
        if (!CATEGORY.matcher(name).matches()) {
            throw new IllegalArgumentException("category names are lower-case letters, digits and _ (at most 64)");
        }
        return name;
    }

    private static boolean bool(String value) {
        return switch (value) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException("must be true or false");
        };
    }
}
