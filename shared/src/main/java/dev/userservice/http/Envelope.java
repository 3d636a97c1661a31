package dev.userservice.http;

import dev.userservice.errors.ErrorCode;
import dev.userservice.errors.FieldError;
import dev.userservice.errors.ServiceException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The one body shape of every response, success or error, as the contract's envelope describes. */
public final class Envelope {
    private Envelope() {}

    public static Map<String, Object> success(String message, Object data, Object meta) {
        return body(true, message, data, null, meta);
    }

    public static Map<String, Object> error(ErrorCode error, String message, List<FieldError> details) {
        Map<String, Object> body = body(false, message, null, error, null);
        if (error == ErrorCode.VALIDATION_FAILED) {
            body.put("details", details);
        }
        return body;
    }

    /** The one body of a refusal: its code, its message, and for a validation failure the fields at fault. */
    public static Map<String, Object> error(ServiceException refusal) {
        return error(refusal.error(), refusal.getMessage(), refusal.details());
    }

    /** A failure that still has something to show, such as the checks of an unhealthy service. */
    public static Map<String, Object> failure(ErrorCode error, String message, Object data) {
        return body(false, message, data, error, null);
    }

    /** Builds a handler's reply; {@code details} never appears here, only on validation errors. */
    static Map<String, Object> of(Reply reply) {
        Map<String, Object> envelope = reply.error() == null
                ? success(reply.message(), reply.data(), reply.meta())
                : failure(reply.error(), reply.message(), reply.data());
        if (!reply.dataAtTopLevel() || !(reply.data() instanceof Map<?, ?> document)) {
            return envelope;
        }
        Map<String, Object> merged = new LinkedHashMap<>();
        document.forEach((name, value) -> merged.put(String.valueOf(name), value));
        merged.putAll(envelope);
        return merged;
    }

    private static Map<String, Object> body(boolean success, String message, Object data, ErrorCode error, Object meta) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("success", success);
        body.put("message", message);
        body.put("data", data);
        body.put("error", error == null ? null : error.code());
        body.put("meta", meta);
        return body;
    }
}
