package dev.userservice.triggers;

import java.util.List;
import java.util.Map;

/** Tolerant reading of Lambda's event JSON: a member of another shape reads as absent, never as a failure. */
final class EventJson {
    private EventJson() {}

    @SuppressWarnings("unchecked")
    static Map<String, Object> object(Object value) {
        return value instanceof Map<?, ?> map ? (Map<String, Object>) map : Map.of();
    }

    static List<?> list(Object value) {
        return value instanceof List<?> list ? list : List.of();
    }

    /** Lambda's partial batch response: {@code {"batchItemFailures": [{"itemIdentifier": ...}]}}. */
    static Map<String, Object> batchResponse(List<String> failedItems) {
        return Map.of("batchItemFailures", failedItems.stream().map(item -> Map.of("itemIdentifier", item)).toList());
    }
}
