package dev.userservice.triggers;

import dev.userservice.json.Json;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One record of Lambda's DynamoDB stream event: its event id (for logs), its event name ({@code INSERT},
 * {@code MODIFY}, {@code REMOVE}), its sequence number (what a partial batch response names), its new image and its old image (empty where the
 * record has none) in
 * DynamoDB's JSON ({@code {"attribute": {"S": "..."}}}). Read tolerantly: a member missing or of another shape
 * reads as absent, so a record this service did not write is skipped by its reader rather than failing the batch.
 */
public record StreamRecord(String eventId, String eventName, String sequenceNumber, Map<String, Object> newImage,
                           Map<String, Object> oldImage) {

    /** A record without an old image (an insert, or a stream that keeps only new images). */
    public StreamRecord(String eventId, String eventName, String sequenceNumber, Map<String, Object> newImage) {
        this(eventId, eventName, sequenceNumber, newImage, Map.of());
    }

    public boolean isInsert() {
        return "INSERT".equals(eventName);
    }

    /** A string attribute of the new image, if it has one that is not blank. */
    public Optional<String> string(String attribute) {
        return string(newImage, attribute);
    }

    /** A string attribute of the old image (the item before a MODIFY or REMOVE), if it has one that is not blank. */
    public Optional<String> oldString(String attribute) {
        return string(oldImage, attribute);
    }

    /** A boolean attribute of the new image, if it has one. */
    public Optional<Boolean> bool(String attribute) {
        return bool(newImage, attribute);
    }

    /** A boolean attribute of the old image, if it has one. */
    public Optional<Boolean> oldBool(String attribute) {
        return bool(oldImage, attribute);
    }

    private static Optional<String> string(Map<String, Object> image, String attribute) {
        return EventJson.object(image.get(attribute)).get("S") instanceof String text && !text.isBlank()
                ? Optional.of(text) : Optional.empty();
    }

    private static Optional<Boolean> bool(Map<String, Object> image, String attribute) {
        return EventJson.object(image.get(attribute)).get("BOOL") instanceof Boolean value
                ? Optional.of(value) : Optional.empty();
    }

    /** The records of {@code {"Records": [{"eventID", "eventName", "dynamodb": {"SequenceNumber", "NewImage"}}]}}. */
    public static List<StreamRecord> batch(byte[] event) {
        List<StreamRecord> records = new ArrayList<>();
        for (Object item : EventJson.list(Json.parseObject(new String(event, StandardCharsets.UTF_8)).get("Records"))) {
            Map<String, Object> record = EventJson.object(item);
            Map<String, Object> dynamodb = EventJson.object(record.get("dynamodb"));
            records.add(new StreamRecord(String.valueOf(record.get("eventID")), String.valueOf(record.get("eventName")),
                    String.valueOf(dynamodb.get("SequenceNumber")), EventJson.object(dynamodb.get("NewImage")),
                    EventJson.object(dynamodb.get("OldImage"))));
        }
        return records;
    }

    /** A stream event of one inserted item, as a function's priming reads it. */
    static byte[] insertEvent(Map<String, Object> newImage) {
        return Json.writeBytes(Map.of("Records", List.of(Map.of("eventID", "snapstart-priming", "eventName", "INSERT",
                "dynamodb", Map.of("SequenceNumber", "0", "NewImage", newImage)))));
    }

    /** The names of the images' attributes, not their values: an account's image holds its password's hash. */
    @Override
    public String toString() {
        return "StreamRecord[eventId=" + eventId + ", eventName=" + eventName + ", sequenceNumber=" + sequenceNumber
                + ", newImage=" + (newImage == null ? null : newImage.keySet())
                + ", oldImage=" + (oldImage == null ? null : oldImage.keySet()) + "]";
    }
}
