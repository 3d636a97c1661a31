package dev.userservice.events;

import dev.userservice.json.Json;
import dev.userservice.triggers.MalformedRecordException;
import dev.userservice.triggers.StreamRecord;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * An outbox item as the table's stream delivers it: the user, the event type, the event's id (the queue's
 * deduplication id) and the event's JSON, as the outbox wrote them, and the item's key, so what follows publishing
 * changes the item that was published, whatever key layout wrote it. The one reader of outbox stream images, for
 * every function the stream triggers.
 */
public record OutboxRecord(String userId, String eventType, String eventId, String eventJson, String partitionKey,
                           String sortKey) {
    /** The item type of outbox items, which the functions' stream filters select. */
    public static final String ITEM_TYPE = "outbox";
    private static final String PARTITION_KEY = "pk";
    private static final String SORT_KEY = "sk";

    /**
     * The outbox event of an inserted outbox item. Empty for any other record (another item, a change, a removal
     * by TTL), which the stream filters keep away anyway. An outbox item that lacks its user, its type or an event
     * with an id is refused as malformed, never published without them: every event belongs to a user, whose id is
     * its message group on the FIFO queue (which requires one) and a member its consumers rely on. Refused, it
     * fails in its place and ends in the stream's failure destination, where an operator sees it.
     *
     * @throws MalformedRecordException naming the missing attribute, never a value
     */
    public static Optional<OutboxRecord> read(StreamRecord record) {
        if (!record.isInsert() || !record.string("type").equals(Optional.of(ITEM_TYPE))) {
            return Optional.empty();
        }
        String userId = record.string("user_id").orElseThrow(() -> malformed("user_id"));
        String eventType = record.string("event_type").orElseThrow(() -> malformed("event_type"));
        String eventJson = record.string("event").orElseThrow(() -> malformed("event"));
        String eventId = eventId(eventJson).orElseThrow(() -> malformed("event.event_id"));
        String partitionKey = record.string(PARTITION_KEY).orElseThrow(() -> malformed(PARTITION_KEY));
        String sortKey = record.string(SORT_KEY).orElseThrow(() -> malformed(SORT_KEY));
        return Optional.of(new OutboxRecord(userId, eventType, eventId, eventJson, partitionKey, sortKey));
    }

    private static MalformedRecordException malformed(String attribute) {
        return new MalformedRecordException("outbox item without " + attribute);
    }

    /**
     * The new image of an outbox item, in DynamoDB's JSON, as the stream delivers it and {@link #read} reads it,
     * with an event of only its id and a key of its own: for functions priming on a record of their own.
     */
    public static Map<String, Object> streamImage(String userId, String eventType, String eventId) {
        return Map.of(PARTITION_KEY, attribute(userId), SORT_KEY, attribute(eventId), "type", attribute(ITEM_TYPE),
                "user_id", attribute(userId), "event_type", attribute(eventType),
                "event", attribute(Json.write(Map.of("event_id", eventId))));
    }

    public boolean is(EventType type) {
        return type.wireName().equals(eventType);
    }

    /** A token mail ({@link TokenMail}): its event holds a plain single-use token. */
    public boolean carriesToken() {
        return is(EventType.USER_PASSWORD_RESET_REQUESTED) || is(EventType.USER_EMAIL_VERIFICATION_REQUESTED)
                || is(EventType.USER_INVITED);
    }

    /**
     * The event's JSON with its token taken out of {@code data} and {@code token_forgotten: true} in its place,
     * what the outbox item keeps once the event is published; any other event's JSON as it is.
     */
    @SuppressWarnings("unchecked")
    public String withoutToken() {
        Map<String, Object> event = Json.parseObject(eventJson);
        if (!carriesToken() || !(event.get("data") instanceof Map<?, ?> data) || !data.containsKey("token")) {
            return eventJson;
        }
        Map<String, Object> kept = new LinkedHashMap<>((Map<String, Object>) data);
        kept.remove("token");
        kept.put("token_forgotten", true);
        Map<String, Object> redacted = new LinkedHashMap<>(event);
        redacted.put("data", kept);
        return Json.write(redacted);
    }

    private static Map<String, Object> attribute(String text) {
        return Map.of("S", text);
    }

    private static Optional<String> eventId(String eventJson) {
        try {
            return Json.parseObject(eventJson).get("event_id") instanceof String id && !id.isBlank()
                    ? Optional.of(id) : Optional.empty();
        } catch (Json.MalformedJsonException e) {
            return Optional.empty();
        }
    }

    /** Without the event, which for a token mail holds the plain token it mails. */
    @Override
    public String toString() {
        return "OutboxRecord[userId=" + userId + ", eventType=" + eventType + ", eventId=" + eventId + "]";
    }
}
