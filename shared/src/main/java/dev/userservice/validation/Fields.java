package dev.userservice.validation;

import dev.userservice.errors.FieldError;
import dev.userservice.errors.ServiceException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Reads a JSON object field by field, collecting every problem instead of stopping at the first, and refuses
 * fields it was not asked for: {@link #validate()} throws one {@code validation_failed} naming them all.
 * Nested objects share the error list and report their fields by JSON path ({@code preferences.push}).
 *
 * <p>The earlier services' names for a field are declared here too, before the field is read, so each request record
 * lists them beside its own ({@link #synonym}, {@link #superseded}, {@link #confirmation}); a value sent under a
 * synonym is reported under the name the client sent.
 */
public final class Fields {
    private Map<String, Object> object;
    private final String path;
    private final List<FieldError> errors;
    private final Set<String> read = new HashSet<>();
    private final List<Fields> nested = new ArrayList<>();
    /** The synonym a canonical field's value was sent under, so that its problems name what the client sent. */
    private final Map<String, String> sentAs = new HashMap<>();

    private Fields(Map<String, Object> object, String path, List<FieldError> errors) {
        this.object = object;
        this.path = path;
        this.errors = errors;
    }

    public static Fields of(Map<String, Object> object) {
        return new Fields(object, "", new ArrayList<>());
    }

    /**
     * Reads {@code synonym}, an earlier service's name for {@code canonical}, as that field; call it before reading
     * {@code canonical}. Both sent with different values is refused, naming the synonym; both equal is one value.
     */
    public Fields synonym(String canonical, String synonym) {
        read.add(synonym);
        // A null is no value, on either side (api.md): it neither conflicts with the other nor stands for it.
        if (object.get(synonym) == null) {
            return this;
        }
        Object value = object.get(synonym);
        if (object.get(canonical) != null) {
            if (!Objects.equals(value, object.get(canonical))) {
                reject(synonym, "differs from " + pathOf(canonical) + ", which means the same: send one of them");
            }
            return this;
        }
        object = new LinkedHashMap<>(object);
        object.put(canonical, value);
        sentAs.put(canonical, synonym);
        return this;
    }

    /**
     * Refuses {@code name}, a field of an earlier service that has no meaning here, telling the client what to
     * send instead ({@code instead} completes "use ...").
     */
    public Fields superseded(String name, String instead) {
        return refusedAs(name, "is not used by this service: use " + instead + " instead");
    }

    /** Refuses {@code name} with {@code message}, which says why and what to do instead, whatever its value. */
    public Fields refusedAs(String name, String message) {
        read.add(name);
        if (object.containsKey(name)) {
            reject(name, message);
        }
        return this;
    }

    /**
     * An optional repetition of another field, as the earlier services' forms sent it ({@code confirm_password}):
     * refused unless it is exactly {@code value}, the one {@code confirmed} was read as. A {@code value} that was
     * itself refused (null) is not compared again.
     */
    public void confirmation(String name, String confirmed, String value) {
        Optional<String> repeated = optionalString(name, Integer.MAX_VALUE);
        if (repeated.isPresent() && value != null && !repeated.get().equals(value)) {
            reject(name, "must be the same as " + pathOf(sentAs.getOrDefault(confirmed, confirmed)));
        }
    }

    /**
     * Accepts {@code names}, fields the client may read but not set, as a PUT of a fetched object sends them back;
     * whether they are unchanged is decided against the stored object ({@link ReadOnlyFields#requireUnchanged}).
     */
    public ReadOnlyFields readOnly(String... names) {
        Map<String, Object> sent = new LinkedHashMap<>();
        for (String name : names) {
            read.add(name);
            if (object.containsKey(name)) {
                sent.put(pathOf(name), object.get(name));
            }
        }
        return new ReadOnlyFields(java.util.Collections.unmodifiableMap(sent));
    }

    public boolean has(String name) {
        read.add(name);
        return object.containsKey(name);
    }

    /** A string that must be present, at most {@code maxLength} characters (code points). */
    public String requiredString(String name, int maxLength) {
        if (object.get(name) == null) {
            read.add(name);
            reject(name, "is required");
            return null;
        }
        return optionalString(name, maxLength).orElse(null);
    }

    /** A string that may be absent; a JSON null reads as absent. */
    public Optional<String> optionalString(String name, int maxLength) {
        read.add(name);
        Object value = object.get(name);
        if (value == null) {
            return Optional.empty();
        }
        if (!(value instanceof String text)) {
            reject(name, "must be a string");
            return Optional.empty();
        }
        if (!Text.isWellFormed(text)) {
            reject(name, "must be valid Unicode text");
            return Optional.empty();
        }
        if (text.codePointCount(0, text.length()) > maxLength) {
            reject(name, "must be at most " + maxLength + " characters");
            return Optional.empty();
        }
        return Optional.of(text);
    }

    /**
     * A string checked by {@code parser}, which returns the normalised value or throws
     * {@link IllegalArgumentException} with the message to report.
     */
    public <T> Optional<T> optional(String name, int maxLength, Function<String, T> parser) {
        return optionalString(name, maxLength).flatMap(text -> parse(name, text, parser));
    }

    public <T> T required(String name, int maxLength, Function<String, T> parser) {
        String text = requiredString(name, maxLength);
        return text == null ? null : parse(name, text, parser).orElse(null);
    }

    public Optional<Boolean> optionalBoolean(String name) {
        read.add(name);
        Object value = object.get(name);
        if (value == null) {
            return Optional.empty();
        }
        if (!(value instanceof Boolean bool)) {
            reject(name, "must be true or false");
            return Optional.empty();
        }
        return Optional.of(bool);
    }

    /** A nested object read with the same rules; empty when absent or null. */
    @SuppressWarnings("unchecked")
    public Optional<Fields> optionalObject(String name) {
        read.add(name);
        Object value = object.get(name);
        if (value == null) {
            return Optional.empty();
        }
        if (!(value instanceof Map<?, ?> map)) {
            reject(name, "must be an object");
            return Optional.empty();
        }
        Fields child = new Fields((Map<String, Object>) map, pathOf(name), errors);
        nested.add(child);
        return Optional.of(child);
    }

    /** The raw value of a field whose shape the caller checks itself (for free-form objects). */
    public Object raw(String name) {
        read.add(name);
        return object.get(name);
    }

    /** The names present in this object, for maps with caller-chosen keys. */
    public Set<String> names() {
        read.addAll(object.keySet());
        return object.keySet();
    }

    public void reject(String name, String message) {
        errors.add(new FieldError(pathOf(sentAs.getOrDefault(name, name)), message));
    }

    public boolean hasErrors() {
        return !errors.isEmpty();
    }

    /** Reports fields nobody asked for, then throws if anything at all was wrong. */
    public void validate() {
        rejectUnknown();
        if (!errors.isEmpty()) {
            throw ServiceException.validation(errors);
        }
    }

    private void rejectUnknown() {
        for (String name : object.keySet()) {
            if (!read.contains(name)) {
                errors.add(FieldError.unknown(pathOf(name)));
            }
        }
        nested.forEach(Fields::rejectUnknown);
    }

    private <T> Optional<T> parse(String name, String text, Function<String, T> parser) {
        try {
            return Optional.of(parser.apply(text));
        } catch (IllegalArgumentException e) {
            reject(name, e.getMessage());
            return Optional.empty();
        }
    }

    private String pathOf(String name) {
        return path.isEmpty() ? name : path + "." + name;
    }
}
