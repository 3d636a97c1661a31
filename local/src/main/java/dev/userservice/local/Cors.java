package dev.userservice.local;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** The HttpApi's CorsConfiguration from the template, answered locally as API Gateway answers it in the cloud. */
record Cors(List<String> origins, List<String> methods, List<String> headers, List<String> exposed, Optional<String> maxAge) {

    static Cors none() {
        return new Cors(List.of(), List.of(), List.of(), List.of(), Optional.empty());
    }

    /** The allowed origin to send back for this request's Origin, if any. */
    Optional<String> allowedOrigin(String origin) {
        if (origin == null || origins.isEmpty()) {
            return Optional.empty();
        }
        if (origins.contains("*")) {
            return Optional.of("*");
        }
        return origins.stream().filter(allowed -> allowed.equalsIgnoreCase(origin)).findFirst().map(allowed -> origin);
    }

    /** Headers for an actual (non-preflight) response. */
    void addResponseHeaders(String origin, Map<String, String> headers) {
        allowedOrigin(origin).ifPresent(allowed -> {
            headers.put("Access-Control-Allow-Origin", allowed);
            if (!exposed.isEmpty()) {
                headers.put("Access-Control-Expose-Headers", String.join(",", exposed));
            }
        });
    }

    /** Headers for a preflight {@code OPTIONS} request; empty when the origin or method is not allowed. */
    Optional<Map<String, String>> preflight(String origin, String requestedMethod) {
        Optional<String> allowed = allowedOrigin(origin);
        if (allowed.isEmpty() || requestedMethod == null
                || (!methods.contains("*") && !methods.contains(requestedMethod.toUpperCase(Locale.ROOT)))) {
            return Optional.empty();
        }
        var headers = new java.util.LinkedHashMap<String, String>();
        headers.put("Access-Control-Allow-Origin", allowed.get());
        headers.put("Access-Control-Allow-Methods", String.join(",", methods));
        if (!this.headers.isEmpty()) {
            headers.put("Access-Control-Allow-Headers", String.join(",", this.headers));
        }
        maxAge.ifPresent(seconds -> headers.put("Access-Control-Max-Age", seconds));
        return Optional.of(headers);
    }
}
