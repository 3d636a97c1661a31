package dev.userservice.events;

import dev.userservice.json.JsonWritable;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * One outbound event: {@code {"event_id", "type", "occurred_at", "user_id", "data"}}. It is written to the table in
 * the same transaction as the change it reports (the outbox), and published from the table's stream, so it exists
 * if and only if its change was stored. {@code event_id} is the FIFO queue's deduplication id.
 */
public record UserEvent(String eventId, EventType type, Instant occurredAt, String userId, Map<String, Object> data)
        implements JsonWritable {

    public UserEvent {
        // Not Map.copyOf: a schema may require a member whose value is null (device.registered's device_name).
        data = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(data));
    }

    public static UserEvent of(EventType type, String userId, Map<String, Object> data, Clock clock) {
        return new UserEvent(UUID.randomUUID().toString(), type, clock.instant(), userId, data);
    }

    @Override
    public Map<String, Object> toJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("event_id", eventId);
        json.put("type", type.wireName());
        json.put("occurred_at", occurredAt);
        json.put("user_id", userId);
        json.put("data", new java.util.TreeMap<>(data));
        return json;
    }

    /** The names of the data's fields, not their values: a token mail's data holds the plain token it mails. */
    @Override
    public String toString() {
        return "UserEvent[eventId=" + eventId + ", type=" + type + ", occurredAt=" + occurredAt + ", userId=" + userId
                + ", data=" + data.keySet() + "]";
    }
}
