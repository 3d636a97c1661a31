package dev.userservice.preferences;

import dev.userservice.json.JsonWritable;
import dev.userservice.validation.Fields;
import java.time.Instant;
import java.time.LocalTime;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * A user's notification preferences: channels on or off, quiet hours (read in the user's time zone, possibly
 * spanning midnight), and per-category overrides.
 */
public record Preferences(
        boolean email,
        boolean push,
        LocalTime quietHoursStart,
        LocalTime quietHoursEnd,
        Map<String, CategoryChoice> categories,
        Instant updatedAt) implements JsonWritable {

    public static final int MAX_CATEGORIES = 50;
    private static final Pattern HH_MM = Pattern.compile("^([01][0-9]|2[0-3]):[0-5][0-9]$");
    private static final Pattern CATEGORY = Pattern.compile("^[a-z][a-z0-9_]{0,63}$");

    /** One category's channels. */
    public record CategoryChoice(boolean email, boolean push) implements JsonWritable {
        @Override
        public Map<String, Object> toJson() {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("email", email);
            json.put("push", push);
            return json;
        }
    }

    public static Preferences defaults(Instant now) {
        return new Preferences(true, true, null, null, Map.of(), now);
    }

    /** Reads preferences given at registration; what is not given keeps its default. */
    public static Preferences read(Fields fields, Instant now) {
        boolean email = fields.optionalBoolean("email").orElse(true);
        boolean push = fields.optionalBoolean("push").orElse(true);
        Optional<LocalTime> start = fields.optional("quiet_hours_start", 5, Preferences::time);
        Optional<LocalTime> end = fields.optional("quiet_hours_end", 5, Preferences::time);
        // A time that was sent but is malformed is reported once, as malformed; only well-formed halves ask for the other.
        boolean malformed = (fields.raw("quiet_hours_start") != null && start.isEmpty())
                || (fields.raw("quiet_hours_end") != null && end.isEmpty());
        if (!malformed && start.isPresent() != end.isPresent()) {
            fields.reject(start.isPresent() ? "quiet_hours_end" : "quiet_hours_start", "quiet hours need both a start and an end");
        }
        Map<String, CategoryChoice> categories = new TreeMap<>();
        fields.optionalObject("categories").ifPresent(object -> {
            if (object.names().size() > MAX_CATEGORIES) {
                fields.reject("categories", "must have at most " + MAX_CATEGORIES + " categories");
                return;
            }
            for (String name : object.names()) {
                if (!CATEGORY.matcher(name).matches()) {
                    object.reject(name, "category names are lower-case letters, digits and _ (at most 64)");
                    continue;
                }
                if (!(object.raw(name) instanceof Map<?, ?>)) {
                    object.reject(name, "must be an object such as {\"email\": true, \"push\": false}");
                    continue;
                }
                object.optionalObject(name).ifPresent(choice -> categories.put(name, new CategoryChoice(
                        choice.optionalBoolean("email").orElse(true),
                        choice.optionalBoolean("push").orElse(true))));
            }
        });
        return new Preferences(email, push, start.orElse(null), end.orElse(null), Map.copyOf(categories), now);
    }

    public static LocalTime time(String value) {
        if (!HH_MM.matcher(value).matches()) {
            throw new IllegalArgumentException("must be a time as HH:MM, 00:00 to 23:59");
        }
        return LocalTime.parse(value);
    }

    @Override
    public Map<String, Object> toJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("email", email);
        json.put("push", push);
        json.put("quiet_hours_start", quietHoursStart == null ? null : quietHoursStart.toString());
        json.put("quiet_hours_end", quietHoursEnd == null ? null : quietHoursEnd.toString());
        json.put("categories", new TreeMap<>(categories));
        json.put("updated_at", updatedAt);
        return json;
    }
}
