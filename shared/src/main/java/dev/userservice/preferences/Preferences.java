package dev.userservice.preferences;

import dev.userservice.errors.FieldError;
import dev.userservice.errors.ServiceException;
import dev.userservice.json.Instants;
import dev.userservice.json.JsonWritable;
import dev.userservice.validation.Fields;
import dev.userservice.validation.ReadOnlyFields;
import dev.userservice.validation.FlatObject;
import java.time.Instant;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * A user's notification preferences: channels on or off, quiet hours (read in the user's time zone, possibly
 * spanning midnight), per-category overrides, and the application's own {@code custom} fields (by the rule of
 * {@link FlatObject}, as a user's attributes), which notification profiles pass on to pipelines. Categories and
 * custom keys are kept sorted, so equal preferences are stored and written as equal JSON.
 */
public record Preferences(
        boolean email,
        boolean push,
        LocalTime quietHoursStart,
        LocalTime quietHoursEnd,
        Map<String, CategoryChoice> categories,
        Map<String, Object> custom,
        Instant updatedAt) implements JsonWritable {

    public static final int MAX_CATEGORIES = 50;
    static final String NEED_BOTH = "quiet hours need both a start and an end";
    static final String CLEAR_BOTH = "quiet hours are cleared by setting both quiet_hours_start and quiet_hours_end to null";
    /** HH:MM, or HH:MM:00 as a time field of Pydantic or Django REST Framework writes it back. */
    private static final Pattern HH_MM = Pattern.compile("^([01][0-9]|2[0-3]):[0-5][0-9](:00)?$");
    private static final Pattern CATEGORY = Pattern.compile("^[a-z][a-z0-9_]{0,63}$");
    private static final String UPDATED_AT = "updated_at";
    private static final String START = "quiet_hours_start";
    private static final String END = "quiet_hours_end";
    private static final String CATEGORIES = "categories";
    private static final String CUSTOM = "custom";
    private static final FlatObject CUSTOM_RULE = new FlatObject(CUSTOM);

    public Preferences {
        categories = Collections.unmodifiableMap(new TreeMap<>(categories));
        custom = Collections.unmodifiableMap(new TreeMap<>(custom));
    }

    /** Preferences with no custom fields. */
    public Preferences(boolean email, boolean push, LocalTime quietHoursStart, LocalTime quietHoursEnd,
                       Map<String, CategoryChoice> categories, Instant updatedAt) {
        this(email, push, quietHoursStart, quietHoursEnd, categories, Map.of(), updatedAt);
    }

    /** The same choices, stamped {@code at}. */
    public Preferences at(Instant at) {
        return new Preferences(email, push, quietHoursStart, quietHoursEnd, categories, custom, at);
    }

    /** One category's channels; a category named for the first time has both on unless it says otherwise. */
    public record CategoryChoice(boolean email, boolean push) implements JsonWritable {
        static final CategoryChoice BOTH_ON = new CategoryChoice(true, true);

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

    /**
     * Reads preferences given at registration: the defaults with the given fields applied, by the same rules as a
     * later change, except that there is no category to remove yet. Problems are reported on {@code fields}.
     */
    public static Preferences read(Fields fields, Instant now) {
        Change change = Change.read(fields, false);
        Preferences defaults = defaults(now);
        Preferences preferences = change.merge(defaults, now);
        change.problems(preferences).forEach(problem -> fields.reject(problem.field(), problem.message()));
        return preferences;
    }

    public static LocalTime time(String value) {
        if (!HH_MM.matcher(value).matches()) {
            throw new IllegalArgumentException("must be a time as HH:MM (or HH:MM:00), 00:00 to 23:59");
        }
        // Not LocalTime.parse, for the reason Instants gives: the checked HH:MM needs no formatter.
        return LocalTime.of(Integer.parseInt(value, 0, 2, 10), Integer.parseInt(value, 3, 5, 10));
    }

    /** Whether both say the same, whenever each was last changed. */
    public boolean sameChoicesAs(Preferences other) {
        return email == other.email && push == other.push
                && Objects.equals(quietHoursStart, other.quietHoursStart)
                && Objects.equals(quietHoursEnd, other.quietHoursEnd)
                && categories.equals(other.categories)
                && custom.equals(other.custom);
    }

    @Override
    public Map<String, Object> toJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("email", email);
        json.put("push", push);
        json.put(START, quietHoursStart == null ? null : quietHoursStart.toString());
        json.put(END, quietHoursEnd == null ? null : quietHoursEnd.toString());
        json.put(CATEGORIES, categories);
        json.put(CUSTOM, custom);
        json.put(UPDATED_AT, updatedAt);
        return json;
    }

    /**
     * Reads {@link #toJson()}'s form back, as the cache holds it. Throws a {@link RuntimeException} (class cast,
     * null, parse) for anything else, which callers treat as a cache miss.
     */
    public static Preferences fromJson(Map<String, Object> json) {
        Map<String, CategoryChoice> categories = new TreeMap<>();
        ((Map<?, ?>) json.get(CATEGORIES)).forEach((name, choice) -> {
            Map<?, ?> channels = (Map<?, ?>) choice;
            categories.put((String) name, new CategoryChoice((Boolean) channels.get("email"), (Boolean) channels.get("push")));
        });
        return new Preferences((Boolean) json.get("email"), (Boolean) json.get("push"),
                timeOrNull(json.get(START)), timeOrNull(json.get(END)), categories,
                customOrNone(json.get(CUSTOM)), Instants.parse((String) json.get(UPDATED_AT)));
    }

    private static LocalTime timeOrNull(Object value) {
        return value == null ? null : time((String) value);
    }

    /** The custom fields of a stored or cached form; none in one written before they existed. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> customOrNone(Object value) {
        return value == null ? Map.of() : (Map<String, Object>) value;
    }

    /**
     * A PUT or PATCH of preferences, the typed body of both: only the fields given change. A quiet-hours time given
     * as null clears it (both must be cleared together); a category given as null is removed; a category's channels
     * not given keep their stored value (both on for a new category).
     *
     * @param email              the email switch; null when not given
     * @param push               the push switch; null when not given
     * @param quietHoursStart    null when not given; empty when given as null, which clears it
     * @param quietHoursEnd      as {@code quietHoursStart}
     * @param quietHoursReadable false when a time was sent but is malformed: that is reported once, not again as a
     *                           missing half
     * @param categories         by name; a null value removes the category
     * @param custom             the custom fields' patch, merged into the stored ones (a null value removes its
     *                           key); null when not given
     * @param readOnly           {@code updated_at} when a PUT of fetched preferences sent it back: refused by
     *                           {@link #applyTo} when it is not the stored one
     */
    public record Change(
            Boolean email,
            Boolean push,
            Optional<LocalTime> quietHoursStart,
            Optional<LocalTime> quietHoursEnd,
            boolean quietHoursReadable,
            Map<String, CategoryChange> categories,
            Map<String, Object> custom,
            ReadOnlyFields readOnly) {

        public Change {
            categories = Collections.unmodifiableMap(new LinkedHashMap<>(categories));
            custom = custom == null ? null : Collections.unmodifiableMap(new LinkedHashMap<>(custom));
        }

        /** One category's channels as a change names them; a channel not given (null) keeps its value. */
        public record CategoryChange(Boolean email, Boolean push) {
            CategoryChoice appliedTo(CategoryChoice current) {
                return new CategoryChoice(email == null ? current.email() : email, push == null ? current.push() : push);
            }
        }

        /**
         * Reads the body of a PUT or PATCH: every malformed, mistyped or unknown field at once in one 400
         * {@code validation_failed}. Whether the change is valid also depends on the stored preferences: see
         * {@link #applyTo}.
         */
        public static Change read(Map<String, Object> body) {
            Fields fields = Fields.of(body);
            Change change = read(fields);
            fields.validate();
            return change;
        }

        /**
         * Reads a change, reporting every malformed, mistyped or unknown field on {@code fields}; the caller's
         * {@link Fields#validate()} throws for them.
         */
        public static Change read(Fields fields) {
            return read(fields, true);
        }

        private static Change read(Fields fields, boolean removals) {
            Boolean email = bool(fields, "email");
            Boolean push = bool(fields, "push");
            Optional<LocalTime> start = time(fields, START);
            Optional<LocalTime> end = time(fields, END);
            boolean readable = isReadable(fields, START, start) && isReadable(fields, END, end);
            Map<String, CategoryChange> categories = new LinkedHashMap<>();
            if (fields.has(CATEGORIES) && fields.raw(CATEGORIES) == null) {
                fields.reject(CATEGORIES, "must be an object; a category set to null is removed");
            }
            fields.optionalObject(CATEGORIES).ifPresent(object -> {
                for (String name : object.names()) {
                    if (!CATEGORY.matcher(name).matches()) {
                        object.reject(name, "category names are lower-case letters, digits and _ (at most 64)");
                    } else if (removals && object.raw(name) == null) {
                        categories.put(name, null);
                    } else if (!(object.raw(name) instanceof Map<?, ?>)) {
                        object.reject(name, "must be an object such as {\"email\": true, \"push\": false}"
                                + (removals ? ", or null to remove the category" : ""));
                    } else {
                        object.optionalObject(name).ifPresent(choice ->
                                categories.put(name, new CategoryChange(bool(choice, "email"), bool(choice, "push"))));
                    }
                }
            });
            // A null reads as absent: keys are removed one by one, each with a null value.
            Map<String, Object> custom = fields.raw(CUSTOM) == null ? null : CUSTOM_RULE.readPatch(fields).orElse(null);
            ReadOnlyFields readOnly = removals ? fields.readOnly(UPDATED_AT) : new ReadOnlyFields(Map.of());
            return new Change(email, push, start, end, readable, categories, custom, readOnly);
        }

        /**
         * The preferences this change makes of {@code current}, stamped {@code at}; 400 {@code validation_failed}
         * when the result would be invalid: quiet hours with one half (counting the stored half), or more than
         * {@value #MAX_CATEGORIES} categories, or custom fields over their limits (counting the stored ones).
         */
        public Preferences applyTo(Preferences current, Instant at) {
            readOnly.requireUnchanged(current);
            Preferences result = merge(current, at);
            List<FieldError> problems = problems(result);
            if (!problems.isEmpty()) {
                throw ServiceException.validation(problems);
            }
            return result;
        }

        private Preferences merge(Preferences current, Instant at) {
            Map<String, CategoryChoice> merged = new TreeMap<>(current.categories());
            categories.forEach((name, change) -> {
                if (change == null) {
                    merged.remove(name);
                } else {
                    merged.put(name, change.appliedTo(merged.getOrDefault(name, CategoryChoice.BOTH_ON)));
                }
            });
            return new Preferences(
                    email == null ? current.email() : email,
                    push == null ? current.push() : push,
                    quietHoursStart == null ? current.quietHoursStart() : quietHoursStart.orElse(null),
                    quietHoursEnd == null ? current.quietHoursEnd() : quietHoursEnd.orElse(null),
                    merged,
                    custom == null ? current.custom() : FlatObject.apply(current.custom(), custom),
                    at);
        }

        /** Field names relative to the preferences object, so {@link Fields#reject} can place them. */
        private List<FieldError> problems(Preferences result) {
            List<FieldError> problems = new ArrayList<>();
            if (quietHoursReadable && (result.quietHoursStart() == null) != (result.quietHoursEnd() == null)) {
                boolean startMissing = result.quietHoursStart() == null;
                Optional<LocalTime> missingHalf = startMissing ? quietHoursStart : quietHoursEnd;
                boolean clearedByThisChange = missingHalf != null;
                problems.add(new FieldError(startMissing ? START : END, clearedByThisChange ? CLEAR_BOTH : NEED_BOTH));
            } else if (quietHoursReadable && (clearsAlone(quietHoursStart, quietHoursEnd) || clearsAlone(quietHoursEnd, quietHoursStart))) {
                // Nothing was stored, so the result is whole: the lone null is refused all the same, as it would be then.
                problems.add(new FieldError(clearsAlone(quietHoursStart, quietHoursEnd) ? START : END, CLEAR_BOTH));
            }
            if (result.categories().size() > MAX_CATEGORIES) {
                problems.add(new FieldError(CATEGORIES, "must have at most " + MAX_CATEGORIES + " categories"));
            }
            FlatObject.limitProblem(result.custom()).ifPresent(problem -> problems.add(new FieldError(CUSTOM, problem)));
            return problems;
        }

        /** {@code half} set to null while {@code other} is not in the change. */
        private static boolean clearsAlone(Optional<LocalTime> half, Optional<LocalTime> other) {
            return half != null && half.isEmpty() && other == null;
        }

        /** A channel switch: absent is no change; null is refused, since it neither turns it on nor off. */
        private static Boolean bool(Fields fields, String name) {
            if (fields.has(name) && fields.raw(name) == null) {
                fields.reject(name, "must be true or false");
                return null;
            }
            return fields.optionalBoolean(name).orElse(null);
        }

        /** A quiet-hours time: null when absent, empty when given as null (cleared). */
        private static Optional<LocalTime> time(Fields fields, String name) {
            if (!fields.has(name)) {
                return null;
            }
            return fields.optional(name, "HH:MM:00".length(), Preferences::time);
        }

        private static boolean isReadable(Fields fields, String name, Optional<LocalTime> time) {
            return fields.raw(name) == null || (time != null && time.isPresent());
        }
    }
}
