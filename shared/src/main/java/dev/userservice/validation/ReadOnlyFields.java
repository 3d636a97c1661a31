package dev.userservice.validation;

import dev.userservice.errors.FieldError;
import dev.userservice.errors.ServiceException;
import dev.userservice.json.Instants;
import dev.userservice.json.Json;
import dev.userservice.json.JsonWritable;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The read-only fields a PUT sent back with the object a GET returned ({@code id}, {@code created_at} ...), as
 * {@link Fields#readOnly} collected them. Sent back unchanged they are ignored; changed, they are refused by
 * {@link #requireUnchanged}, which compares them with the stored object as clients see it.
 */
public record ReadOnlyFields(Map<String, Object> sent) {

    /** Throws one {@code validation_failed} naming every sent field whose value differs from {@code stored}'s JSON. */
    public void requireUnchanged(JsonWritable stored) {
        if (sent.isEmpty()) {
            return;
        }
        // Written and read back, so that the stored object's values compare as the client's JSON does.
        Map<String, Object> current = Json.parseObject(Json.write(stored));
        List<FieldError> changed = new ArrayList<>();
        sent.forEach((name, value) -> {
            if (!Objects.equals(value, current.get(name)) && !sameInstant(value, current.get(name))) {
                changed.add(new FieldError(name, "is read-only: send it as stored or leave it out"));
            }
        });
        if (!changed.isEmpty()) {
            changed.sort(java.util.Comparator.comparing(FieldError::field));
            throw ServiceException.validation(changed);
        }
    }

    /**
     * Times compare as instants: a client's framework writes back the {@code updated_at} it read in its own form
     * ({@code .123000Z}, {@code +00:00}), which is the same time.
     */
    private static boolean sameInstant(Object sent, Object stored) {
        if (!(sent instanceof String sentText) || !(stored instanceof String storedText)) {
            return false;
        }
        try {
            return Instants.parse(sentText).equals(Instants.parse(storedText));
        } catch (DateTimeParseException notATime) {
            return false;
        }
    }
}
