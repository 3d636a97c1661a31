package dev.userservice.functions.pipeline;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import dev.userservice.json.Json;
import dev.userservice.logging.Log;
import dev.userservice.triggers.StreamHeartbeat;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Both consumers of the table's stream take a heartbeat as a sign of life and nothing more: no event published, no
 * counter moved, no view forgotten, no failure. Their table and queues are a port nothing listens on, so any call
 * they made for it would fail the record; a record of their own in the same batch shows that it would.
 */
class HeartbeatRecordsTest {
    private static final String NOWHERE = "http://127.0.0.1:9";
    private static final Map<String, String> ENVIRONMENT = Map.of("TABLE_NAME", "Table", "AWS_REGION", "us-east-1",
            "AWS_ACCESS_KEY_ID", "test", "AWS_SECRET_ACCESS_KEY", "test",
            "DYNAMODB_ENDPOINT", NOWHERE, "SQS_ENDPOINT", NOWHERE,
            "USER_EVENTS_QUEUE_URL", NOWHERE + "/000000000000/UserEventsQueue.fifo",
            "ACCOUNT_ERASURE_QUEUE_URL", NOWHERE + "/000000000000/AccountErasureQueue",
            "OUTBOX_FAILURES_QUEUE_URL", NOWHERE + "/000000000000/OutboxFailuresQueue");
    private static final String USER = "6f1c2b9a-7f3d-4c21-9a8e-1d2f3b4c5d6e";
    private static final String EVENT = "0b6e3c2a-1d4f-4e5a-8b7c-9d0e1f2a3b4c";
    private static final Map<String, Object> HEARTBEAT = record("1", Map.of("pk", text("HEARTBEAT"),
            "sk", text("2026-11-23T03:15:00.123456Z"), "type", text(StreamHeartbeat.ITEM_TYPE), "expires_at", Map.of("N", "1795922100")));

    @Test
    void theOutboxPublisherPublishesNothingForAHeartbeat() throws IOException {
        RequestStreamHandler publisher = new OutboxPublisherHandler(ENVIRONMENT);
        Map<String, Object> outboxItem = record("2", Map.of("pk", text("OUTBOX#" + USER), "sk", text("EVENT#" + EVENT),
                "type", text("outbox"), "user_id", text(USER), "event_type", text("user.updated"),
                "event", text(Json.write(Map.of("event_id", EVENT, "type", "user.updated", "user_id", USER)))));

        assertEquals(new Consumed(List.of(), 0, 1), handle(publisher, "outbox", HEARTBEAT));
        assertEquals(new Consumed(List.of("2"), 1, 1), handle(publisher, "outbox", HEARTBEAT, outboxItem),
                "an outbox item needs the queue, which is not there");
    }

    @Test
    void theTableChangesMoveNoCounterAndForgetNoViewForAHeartbeat() throws IOException {
        RequestStreamHandler changes = new TableChangesHandler(ENVIRONMENT);
        Map<String, Object> device = record("2", Map.of("pk", text("USER#" + USER), "sk", text("DEVICE#" + EVENT),
                "type", text("device"), "active", Map.of("BOOL", true)));

        assertEquals(new Consumed(List.of(), 0, 1), handle(changes, "table change", HEARTBEAT));
        assertEquals(new Consumed(List.of("2"), 1, 1), handle(changes, "table change", HEARTBEAT, device),
                "a device counts, in the table, which is not there");
    }

    /** The sequence numbers a batch's answer names, and what its log says it read: records consumed and heartbeats. */
    private record Consumed(List<String> failed, long records, long heartbeats) {}

    @SafeVarargs
    private static Consumed handle(RequestStreamHandler handler, String kind, Map<String, Object>... records) throws IOException {
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        Log.redirect(new PrintStream(log, true, UTF_8));
        try {
            handler.handleRequest(new ByteArrayInputStream(Json.writeBytes(Map.of("Records", List.of(records)))), output, null);
        } finally {
            Log.redirect(System.out);
        }
        Map<String, Object> consumed = log.toString(UTF_8).lines().map(Json::parseObject)
                .filter(line -> (kind + " records consumed").equals(line.get("message"))).findFirst()
                .orElseThrow(() -> new AssertionError("no line says what was consumed: " + log.toString(UTF_8)));
        List<String> failed = ((List<?>) Json.parseObject(output.toString(UTF_8)).get("batchItemFailures")).stream()
                .map(failure -> String.valueOf(((Map<?, ?>) failure).get("itemIdentifier"))).toList();
        return new Consumed(failed, (Long) consumed.get("records"), (Long) consumed.getOrDefault("heartbeats", 0L));
    }

    private static Map<String, Object> record(String sequenceNumber, Map<String, Object> newImage) {
        return Map.of("eventID", "event-" + sequenceNumber, "eventName", "INSERT",
                "dynamodb", Map.of("SequenceNumber", sequenceNumber, "NewImage", newImage));
    }

    private static Map<String, Object> text(String value) {
        return Map.of("S", value);
    }
}
