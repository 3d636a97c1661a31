package dev.userservice.events;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.userservice.json.Json;
import dev.userservice.logging.CapturedLog;
import dev.userservice.triggers.MalformedRecordException;
import dev.userservice.triggers.StreamRecord;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The one reader of outbox stream images, and what it tolerates. */
class OutboxRecordTest {
    private static final String USER = "3f2b8c1e-5d4a-4e7b-9c0d-1a2b3c4d5e6f";
    private final CapturedLog log = new CapturedLog();

    @AfterEach
    void restoreLog() {
        log.close();
    }

    @Test
    void theSampleStreamEventReadsAsItsOutboxEvent() throws Exception {
        List<StreamRecord> records = StreamRecord.batch(Files.readAllBytes(Path.of("../events/outbox-publisher.json")));

        OutboxRecord read = OutboxRecord.read(records.getFirst()).orElseThrow();

        assertEquals("3f0c9a52-8b1d-4e6f-a2c7-5d9e0b4f1a36", read.userId());
        assertTrue(read.is(EventType.USER_REGISTERED));
        assertEquals("9b2f7c1e-4d3a-4f0e-9a57-2c8d6e1f0a11", read.eventId());
        assertEquals(read.eventId(), Json.parseObject(read.eventJson()).get("event_id"));
        assertEquals("111100000000000000000001", records.getFirst().sequenceNumber());
        assertEquals("OUTBOX#" + read.userId(), read.partitionKey());
        assertEquals("EVENT#" + read.eventId(), read.sortKey());
    }

    @Test
    void theImageItWritesForPrimingReadsBack() {
        Map<String, Object> image = OutboxRecord.streamImage(USER, "user.updated", "event-1");

        OutboxRecord read = OutboxRecord.read(new StreamRecord("1", "INSERT", "5", image)).orElseThrow();

        assertEquals(new OutboxRecord(USER, "user.updated", "event-1", "{\"event_id\":\"event-1\"}", USER, "event-1"), read);
    }

    /** Items written before a user's events shared a partition were keyed by event: their token goes from them. */
    @Test
    void anItemIsNamedByTheKeyItWasWrittenUnder() {
        Map<String, Object> image = new HashMap<>(outboxImage());
        image.put("pk", Map.of("S", "OUTBOX#event-1"));
        image.put("sk", Map.of("S", "EVENT"));

        OutboxRecord read = OutboxRecord.read(new StreamRecord("1", "INSERT", "5", image)).orElseThrow();

        assertEquals("OUTBOX#event-1", read.partitionKey());
        assertEquals("EVENT", read.sortKey());
    }

    @ParameterizedTest
    @ValueSource(strings = {"MODIFY", "REMOVE"})
    void aChangeOrRemovalIsSkippedSilently(String eventName) {
        assertEquals(Optional.empty(), OutboxRecord.read(new StreamRecord("1", eventName, "5", outboxImage())));
        assertEquals("", log.text());
    }

    @Test
    void anotherItemOrARecordWithoutImageIsSkippedSilently() {
        Map<String, Object> profile = new HashMap<>(outboxImage());
        profile.put("type", Map.of("S", "profile"));

        assertEquals(Optional.empty(), OutboxRecord.read(new StreamRecord("1", "INSERT", "5", profile)));
        assertEquals(Optional.empty(), StreamRecord.batch(Json.writeBytes(Map.of("Records", List.of(Map.of("eventName", "INSERT")))))
                .stream().flatMap(record -> OutboxRecord.read(record).stream()).findAny());
        assertEquals(Optional.empty(), OutboxRecord.read(StreamRecord.batch(
                "{\"Records\": [{\"eventName\": \"INSERT\", \"dynamodb\": {\"NewImage\": {\"type\": \"outbox\"}}}]}".getBytes(UTF_8)).getFirst()));
        assertEquals("", log.text());
    }

    @ParameterizedTest
    @ValueSource(strings = {"user_id", "event_type", "event", "pk", "sk"})
    void anOutboxItemWithoutAPartIsRefusedAsMalformedNamingOnlyThePart(String missing) {
        Map<String, Object> image = new HashMap<>(outboxImage());
        image.remove(missing);

        MalformedRecordException refused = assertThrows(MalformedRecordException.class,
                () -> OutboxRecord.read(new StreamRecord("record-7", "INSERT", "5", image)));
        assertEquals("outbox item without " + missing, refused.getMessage());
        assertFalse(refused.getMessage().contains(USER));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "{not json", "{\"type\": \"user.updated\"}", "{\"event_id\": 7}", "[]"})
    void anEventWithoutAReadableIdIsRefusedAsMalformed(String event) {
        Map<String, Object> image = new HashMap<>(outboxImage());
        image.put("event", Map.of("S", event));

        assertThrows(MalformedRecordException.class, () -> OutboxRecord.read(new StreamRecord("record-8", "INSERT", "5", image)));
    }

    /** The FIFO queue needs a message group, and the user is the group: no event is published without one. */
    @ParameterizedTest
    @ValueSource(strings = {"NULL", "blank"})
    void aNullOrBlankUserIsRefusedAsMalformed(String kind) {
        Map<String, Object> image = new HashMap<>(outboxImage());
        image.put("user_id", kind.equals("NULL") ? Map.of("NULL", true) : Map.of("S", " "));

        MalformedRecordException refused = assertThrows(MalformedRecordException.class,
                () -> OutboxRecord.read(new StreamRecord("record-9", "INSERT", "5", image)));
        assertEquals("outbox item without user_id", refused.getMessage());
    }

    private static Map<String, Object> outboxImage() {
        return OutboxRecord.streamImage(USER, "user.deleted", "event-1");
    }
}
