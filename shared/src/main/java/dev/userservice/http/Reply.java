package dev.userservice.http;

import dev.userservice.errors.ErrorCode;
import dev.userservice.errors.ServiceException;
import dev.userservice.json.JsonWritable;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a handler answers: the status, the sentence for {@code message}, the {@code data} and {@code meta} of the
 * envelope, and any extra headers. The kernel wraps it in the envelope. {@code error} is set only for a failure
 * that still carries data (an unhealthy health check); other failures are thrown as {@link ServiceException}.
 * {@code dataAtTopLevel} also copies the members of {@code data} beside the envelope's, for documents whose format
 * a standard fixes (a JWK set, a discovery document) and for clients that read them there (Simple JWT's token
 * answers): their readers ignore members they do not know.
 */
public record Reply(int status, String message, Object data, Object meta, Map<String, String> headers,
                    ErrorCode error, boolean dataAtTopLevel) {

    public static Reply ok(String message, Object data) {
        return new Reply(200, message, data, null, Map.of(), null, false);
    }

    public static Reply created(String message, Object data) {
        return new Reply(201, message, data, null, Map.of(), null, false);
    }

    public static Reply accepted(String message) {
        return new Reply(202, message, null, null, Map.of(), null, false);
    }

    public static Reply failure(ErrorCode error, String message, Object data) {
        return new Reply(error.status(), message, data, null, Map.of(), error, false);
    }

    /** A standard document: its members at the top level for standard clients, and in {@code data} as usual. */
    public static Reply standardDocument(String message, Map<String, Object> document) {
        return new Reply(200, message, document, null, Map.of(), null, true);
    }

    /** The same reply with a header added. */
    public Reply withHeader(String name, String value) {
        Map<String, String> merged = new LinkedHashMap<>(headers);
        merged.put(name, value);
        return new Reply(status, message, data, meta, merged, error, dataAtTopLevel);
    }

    /** This reply with its data's members at the top level too, for clients that read them there. */
    public Reply withDataAtTopLevel() {
        Object document = data instanceof JsonWritable writable ? writable.toJson() : data;
        return new Reply(status, message, document, meta, headers, error, true);
    }

    /** Responses carrying tokens must never be stored by a cache on the way. */
    public Reply notCached() {
        return withHeader("Cache-Control", "no-store");
    }
}
