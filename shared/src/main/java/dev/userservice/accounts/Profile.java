package dev.userservice.accounts;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A user's extended profile as stored: the display fields the account does not hold, each field's visibility, and
 * when it last changed ({@code null} before the first write). The profile's {@code name} and {@code attributes} are
 * the account's own, shown here with a visibility of their own.
 */
public record Profile(String avatarUrl, String bio, String title, String location, List<String> links,
                      Map<String, Visibility> visibility, Instant updatedAt) {
    /** The profile's fields in the order they are shown; each has a visibility. */
    public static final List<String> FIELDS = List.of("name", "avatar_url", "bio", "title", "location", "links", "attributes");
    /** Until the user says otherwise: who they are is public, where they are for premium, their data private. */
    public static final Map<String, Visibility> DEFAULT_VISIBILITY = defaults();

    public Profile {
        links = List.copyOf(links);
        Map<String, Visibility> complete = new LinkedHashMap<>(DEFAULT_VISIBILITY);
        complete.putAll(visibility);
        visibility = java.util.Collections.unmodifiableMap(complete);
    }

    /** The profile of a user who never wrote one. */
    public static Profile empty() {
        return new Profile(null, null, null, null, List.of(), Map.of(), null);
    }

    private static Map<String, Visibility> defaults() {
        Map<String, Visibility> defaults = new LinkedHashMap<>();
        FIELDS.forEach(field -> defaults.put(field, Visibility.PUBLIC));
        defaults.put("location", Visibility.PREMIUM);
        defaults.put("links", Visibility.PREMIUM);
        defaults.put("attributes", Visibility.PRIVATE);
        return java.util.Collections.unmodifiableMap(defaults);
    }
}
