package dev.userservice.events;

import dev.userservice.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * An outbox item as the table's stream delivers it to a Lambda function: the record's sequence number (what a
 * partial batch response names), the user, the event type and the event's JSON.
 */
public record OutboxRecord(String sequenceNumber, String userId, String eventType, String eventJson) {

    /** The outbox records of a DynamoDB stream event, in stream order; other records are skipped. */
    @SuppressWarnings("unchecked")
    public static List<OutboxRecord> fromStreamEvent(InputStream input) {
        Map<String, Object> event;
        try {
            event = Json.parseObject(new String(input.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<OutboxRecord> records = new ArrayList<>();
        for (Object item : (List<Object>) event.getOrDefault("Records", List.of())) {
            Map<String, Object> dynamodb = (Map<String, Object>) ((Map<String, Object>) item).get("dynamodb");
            Map<String, Object> image = (Map<String, Object>) dynamodb.getOrDefault("NewImage", Map.of());
            if (!"outbox".equals(string(image, "type"))) {
                continue;
            }
            records.add(new OutboxRecord((String) dynamodb.get("SequenceNumber"), string(image, "user_id"),
                    string(image, "event_type"), string(image, "event")));
        }
        return records;
    }

    /**
     * Lambda's partial batch response for a stream: the first record that failed, from which Lambda retries
     * (records before it count as done), or none.
     */
    public static byte[] batchResponse(java.util.Optional<String> firstFailedSequenceNumber) {
        List<Map<String, String>> failures = firstFailedSequenceNumber
                .map(sequence -> List.of(Map.of("itemIdentifier", sequence))).orElse(List.of());
        return Json.writeBytes(Map.of("batchItemFailures", failures));
    }

    /** A string attribute of a stream image ({@code {"S": "..."}}), or null. */
    @SuppressWarnings("unchecked")
    private static String string(Map<String, Object> image, String name) {
        Object value = image.get(name);
        return value instanceof Map<?, ?> attribute ? (String) ((Map<String, Object>) attribute).get("S") : null;
    }
}
