package dev.userservice.triggers;

import dev.userservice.json.Json;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One message of Lambda's SQS event: its id (what a partial batch response names), its body, when it was sent to the
 * queue ({@code sentAt}, its {@code SentTimestamp}; empty when the event has none), and when its consumer must have
 * stopped ({@code deadline}: the invocation's timeout, less what answering the batch needs).
 */
public record QueueMessage(String id, String body, Optional<Instant> sentAt, Instant deadline) {

    /** The body as a JSON object; {@link Json.MalformedJsonException} when there is none or it is not one. */
    public Map<String, Object> jsonBody() {
        if (body == null) {
            throw new Json.MalformedJsonException("The message has no body");
        }
        return Json.parseObject(body);
    }

    /** The messages of {@code {"Records": [{"messageId", "body", …}]}}, in order. */
    static List<QueueMessage> batch(byte[] event, Instant deadline) {
        Object records = Json.parseObject(new String(event, StandardCharsets.UTF_8)).get("Records");
        if (!(records instanceof List<?> list)) {
            throw new IllegalArgumentException("Not an SQS event: no Records");
        }
        List<QueueMessage> messages = new ArrayList<>();
        for (Object record : list) {
            if (record instanceof Map<?, ?> fields) {
                messages.add(new QueueMessage(String.valueOf(fields.get("messageId")),
                        fields.get("body") instanceof String text ? text : null, sentAt(fields.get("attributes")), deadline));
            }
        }
        return messages;
    }

    private static Optional<Instant> sentAt(Object attributes) {
        if (attributes instanceof Map<?, ?> named && named.get("SentTimestamp") instanceof String millis) {
            try {
                return Optional.of(Instant.ofEpochMilli(Long.parseLong(millis)));
            } catch (NumberFormatException notSqs) {
                return Optional.empty();
            }
        }
        return Optional.empty();
    }
}
