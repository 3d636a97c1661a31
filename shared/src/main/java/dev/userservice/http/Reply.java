package dev.userservice.http;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a handler answers: the status, the sentence for {@code message}, the {@code data} and {@code meta} of the
 * envelope, and any extra headers. The kernel wraps it in the envelope.
 */
public record Reply(int status, String message, Object data, Object meta, Map<String, String> headers) {

    public static Reply ok(String message, Object data) {
        return new Reply(200, message, data, null, Map.of());
    }

    public static Reply created(String message, Object data) {
        return new Reply(201, message, data, null, Map.of());
    }

    public static Reply accepted(String message) {
        return new Reply(202, message, null, null, Map.of());
    }

    /** The same reply with a header added. */
    public Reply withHeader(String name, String value) {
        Map<String, String> merged = new LinkedHashMap<>(headers);
        merged.put(name, value);
        return new Reply(status, message, data, meta, merged);
    }

    /** Responses carrying tokens must never be stored by a cache on the way. */
    public Reply notCached() {
        return withHeader("Cache-Control", "no-store");
    }
}
