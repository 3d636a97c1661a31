package dev.userservice.http;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A finished response: what API Gateway gets back from the function (payload format 2.0). {@code error} is the
 * contract's error code for failures (kept for the request log), null on success.
 */
public record HttpResponse(int status, Map<String, String> headers, String body, String error) {

    public Map<String, Object> toEvent() {
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("statusCode", status);
        event.put("headers", headers);
        event.put("body", body);
        event.put("isBase64Encoded", false);
        return event;
    }

    public HttpResponse withHeader(String name, String value) {
        Map<String, String> merged = new LinkedHashMap<>(headers);
        merged.put(name, value);
        return new HttpResponse(status, merged, body, error);
    }

    /** Without the body, which holds the tokens of a sign-in, a refresh or a service's grant. */
    @Override
    public String toString() {
        return "HttpResponse[status=" + status + ", error=" + error + "]";
    }
}
