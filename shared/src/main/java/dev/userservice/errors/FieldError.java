package dev.userservice.errors;

import dev.userservice.json.JsonWritable;
import java.util.LinkedHashMap;
import java.util.Map;

/** One offending field of a request, named by its JSON path ({@code preferences.push}). */
public record FieldError(String field, String message) implements JsonWritable {
    @Override
    public Object toJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("field", field);
        json.put("message", message);
        return json;
    }
}
