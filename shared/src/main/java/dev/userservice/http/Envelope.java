package dev.userservice.http;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The one body shape of every response, success or error, as the contract's envelope describes. */
public final class Envelope {
    private Envelope() {}

    public static Map<String, Object> success(String message, Object data, Object meta) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("success", true);
        body.put("message", message);
        body.put("data", data);
        body.put("error", null);
        body.put("meta", meta);
        return body;
    }

    public static Map<String, Object> error(ErrorCode error, String message, List<FieldError> details) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("success", false);
        body.put("message", message);
        body.put("data", null);
        body.put("error", error.code());
        if (error == ErrorCode.VALIDATION_FAILED) {
            body.put("details", details);
        }
        body.put("meta", null);
        return body;
    }
}
