package dev.userservice.triggers;

import static dev.userservice.testing.LambdaContexts.withRemaining;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.Context;
import dev.userservice.concurrency.InvocationDeadline;
import dev.userservice.json.Json;
import dev.userservice.logging.CapturedLog;
import dev.userservice.snapstart.Wiring;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.ToIntFunction;
import org.junit.jupiter.api.Test;

class StreamFunctionTest {

    /** Reads the {@code name} of inserted items; consumes one at a time unless given a batch consumer. */
    private static final class Consumer extends StreamFunction<String> {
        final List<String> consumed = new ArrayList<>();
        final List<String> primed = new ArrayList<>();
        /** Set aside unreadable records (their sequence number and why) when told to; null: it does not. */
        List<String> parked;
        boolean parkingFails;
        private final ToIntFunction<List<String>> batches;

        Consumer(ToIntFunction<List<String>> batches) {
            super(Wiring.none(), "test");
            this.batches = batches;
        }

        Consumer() {
            this(null);
        }

        @Override
        protected Optional<String> read(StreamRecord record) {
            Optional<String> name = record.isInsert() ? record.string("name") : Optional.empty();
            if (name.filter(value -> value.startsWith("malformed")).isPresent()) {
                throw new MalformedRecordException("test item without size");
            }
            if (name.filter(value -> value.startsWith("unreadable")).isPresent()) {
                throw new IllegalArgumentException("the reader chokes on " + name.get());
            }
            return name;
        }

        @Override
        protected int consumeInOrder(List<String> records) {
            return batches != null ? batches.applyAsInt(records) : oneAtATime(records, name -> {
                if (name.startsWith("failing")) {
                    throw new IllegalStateException("cannot consume " + name);
                }
                consumed.add(name);
            });
        }

        @Override
        protected boolean parkUnreadable(StreamRecord record, String reason) {
            if (parked == null || parkingFails) {
                return false;
            }
            // What was consumed before it is consumed first: the order shows in one list.
            consumed.add("parked " + record.sequenceNumber());
            parked.add(record.sequenceNumber() + ": " + reason);
            return true;
        }

        @Override
        protected Map<String, Object> primingImage() {
            return Map.of("name", Map.of("S", "priming"));
        }

        @Override
        protected void primeWith(List<String> records) {
            primed.addAll(records);
        }
    }

    @Test
    void aBatchStopsAtTheFirstFailureAndNamesItsSequenceNumber() throws IOException {
        Consumer consumer = new Consumer();
        Map<String, Object> answer;
        try (CapturedLog log = new CapturedLog()) {
            answer = handle(consumer, insert("100", "first"), remove("101"), insert("102", "second"),
                    insert("103", "failing"), insert("104", "after"), insert("105", "failing too"));

            Map<String, Object> failed = log.line("test record failed");
            assertEquals("ERROR", failed.get("level"));
            assertTrue(String.valueOf(failed.get("stack_trace")).contains("cannot consume failing"));
            assertEquals("103", log.line("test records consumed").get("failed_from"));
        }

        assertEquals(List.of("first", "second"), consumer.consumed, "nothing after the failure is consumed");
        assertEquals(failure("103"), answer);
    }

    @Test
    void aBatchConsumedWholeNamesNothing() throws IOException {
        Consumer consumer = new Consumer();
        try (CapturedLog log = new CapturedLog()) {
            assertEquals(Map.of("batchItemFailures", List.of()), handle(consumer, insert("1", "a"), insert("2", "b")));
        }
        assertEquals(List.of("a", "b"), consumer.consumed);
    }

    @Test
    void skippedRecordsAreNeitherConsumedNorNamed() throws IOException {
        Consumer consumer = new Consumer();
        try (CapturedLog log = new CapturedLog()) {
            assertEquals(Map.of("batchItemFailures", List.of()),
                    handle(consumer, remove("7"), Map.of("eventName", "INSERT", "dynamodb", Map.of("SequenceNumber", "8")), Map.of()));
        }
        assertEquals(List.of(), consumer.consumed);
    }

    /** A heartbeat only proves the stream is read: it is counted in the log, and neither consumed nor named. */
    @Test
    void aHeartbeatIsCountedAndNeitherConsumedNorNamed() throws IOException {
        Consumer consumer = new Consumer();
        Map<String, Object> heartbeat = Map.of("eventID", "e31", "eventName", "INSERT", "dynamodb", Map.of("SequenceNumber", "31",
                "NewImage", Map.of("name", Map.of("S", "beat"), "type", Map.of("S", StreamHeartbeat.ITEM_TYPE))));
        try (CapturedLog log = new CapturedLog()) {
            assertEquals(Map.of("batchItemFailures", List.of()), handle(consumer, insert("30", "a"), heartbeat, insert("32", "b")));

            assertEquals(1L, log.line("test records consumed").get("heartbeats"));
            assertEquals(2L, log.line("test records consumed").get("records"));
        }
        assertEquals(List.of("a", "b"), consumer.consumed);
    }

    @Test
    void aFunctionWorkingInBatchesNamesTheFirstRecordItDidNotDo() throws IOException {
        try (CapturedLog log = new CapturedLog()) {
            assertEquals(failure("12"), handle(new Consumer(records -> 2), insert("10", "a"), insert("11", "b"), insert("12", "c")));
        }
    }

    /** A call or retry loop inside the invocation must end a second before it does, and outside one none is set. */
    @Test
    void theInvocationsCallsMustEndBeforeItDoes() throws IOException {
        List<Duration> seen = new ArrayList<>();
        Consumer consumer = new Consumer(records -> {
            seen.add(InvocationDeadline.left().orElseThrow());
            return records.size();
        });

        handle(consumer, withRemaining(5_000), insert("12", "c"));

        long left = seen.getFirst().toMillis();
        assertTrue(left > 3_500 && left <= 5_000 - InvocationDeadline.ANSWER_TIME.toMillis(), "left: " + left);
        assertEquals(Optional.empty(), InvocationDeadline.left(), "none once the invocation is over");
    }

    /** A function working in steps stops before the next one when the invocation has little time left. */
    @Test
    void timeIsShortWhenTheInvocationHasLessThanItKeepsForTheWorkBegun() throws IOException {
        List<Boolean> seen = new ArrayList<>();
        Consumer[] consumer = new Consumer[1];
        consumer[0] = new Consumer(records -> {
            seen.add(consumer[0].timeIsShort());
            return seen.getLast() ? 0 : records.size();
        });
        long kept = StreamFunction.KEPT_FOR_THE_WORK_BEGUN.toMillis();
        try (CapturedLog log = new CapturedLog()) {
            assertEquals(failure("10"), handle(consumer[0], withRemaining(kept - 1_000), insert("10", "a")));
            assertEquals(Map.of("batchItemFailures", List.of()), handle(consumer[0], withRemaining(kept + 20_000), insert("11", "b")));
        }
        assertEquals(List.of(true, false), seen);
        assertFalse(consumer[0].timeIsShort(), "outside an invocation");
    }

    @Test
    void aBatchThatThrowsNamesItsFirstRecord() throws IOException {
        try (CapturedLog log = new CapturedLog()) {
            Map<String, Object> answer = handle(new Consumer(records -> {
                throw new IllegalStateException("the queue is down");
            }), insert("10", "a"), insert("11", "b"));

            assertEquals(failure("10"), answer);
            assertEquals("ERROR", log.line("test batch failed").get("level"));
        }
    }

    @Test
    void aRecordItCannotReadFailsInItsPlaceAfterTheRecordsBeforeItAreConsumed() throws IOException {
        Consumer consumer = new Consumer();
        Map<String, Object> answer;
        try (CapturedLog log = new CapturedLog()) {
            answer = handle(consumer, insert("20", "first"), insert("21", "malformed secret-value"), insert("22", "after"));

            Map<String, Object> unreadable = log.line("test record unreadable");
            assertEquals("WARN", unreadable.get("level"));
            assertEquals("21", unreadable.get("sequence_number"));
            assertEquals("test item without size", unreadable.get("reason"));
            assertFalse(log.text().contains("secret-value"), "the log names the record, never its values");
            assertEquals("21", log.line("test records consumed").get("failed_from"));
        }

        assertEquals(List.of("first"), consumer.consumed, "nothing after the unreadable record is consumed");
        assertEquals(failure("21"), answer);
    }

    @Test
    void aReaderThatThrowsAnythingFailsThatRecordAndLogsOnlyTheExceptionType() throws IOException {
        Consumer consumer = new Consumer();
        try (CapturedLog log = new CapturedLog()) {
            assertEquals(failure("31"), handle(consumer, insert("30", "first"), insert("31", "unreadable secret-value")));

            assertEquals(IllegalArgumentException.class.getName(), log.line("test record unreadable").get("reason"));
            assertFalse(log.text().contains("secret-value"));
        }
        assertEquals(List.of("first"), consumer.consumed);
    }

    /** A function that parks what it cannot read consumes the records before it first, then the records behind it. */
    @Test
    void anUnreadableRecordParkedInItsTurnLetsTheRecordsBehindItGoOn() throws IOException {
        Consumer consumer = new Consumer();
        consumer.parked = new ArrayList<>();
        try (CapturedLog log = new CapturedLog()) {
            assertEquals(Map.of("batchItemFailures", List.of()),
                    handle(consumer, insert("50", "first"), insert("51", "malformed"), insert("52", "after"), insert("53", "unreadable")));
        }
        assertEquals(List.of("first", "parked 51", "after", "parked 53"), consumer.consumed);
        assertEquals(List.of("51: test item without size", "53: " + IllegalArgumentException.class.getName()), consumer.parked);
    }

    @Test
    void anUnreadableRecordThatCannotBeParkedFailsInItsPlace() throws IOException {
        Consumer consumer = new Consumer();
        consumer.parked = new ArrayList<>();
        consumer.parkingFails = true;
        try (CapturedLog log = new CapturedLog()) {
            assertEquals(failure("61"), handle(consumer, insert("60", "first"), insert("61", "malformed"), insert("62", "after")));
        }
        assertEquals(List.of("first"), consumer.consumed);
    }

    @Test
    void aConsumptionFailureBeforeAnUnreadableRecordIsNamedFirst() throws IOException {
        Consumer consumer = new Consumer();
        try (CapturedLog log = new CapturedLog()) {
            assertEquals(failure("41"), handle(consumer, insert("40", "first"), insert("41", "failing"), insert("42", "malformed")));
        }
        assertEquals(List.of("first"), consumer.consumed);
    }

    @Test
    void primingHandsTheRecordReadFromThePrimingImageOver() {
        Consumer consumer = new Consumer();
        try (CapturedLog log = new CapturedLog()) {
            consumer.prime();
            assertEquals("", log.text());
        }
        assertEquals(List.of("priming"), consumer.primed);
        assertEquals(List.of(), consumer.consumed);
    }

    private static Map<String, Object> insert(String sequenceNumber, String name) {
        return Map.of("eventID", "e" + sequenceNumber, "eventName", "INSERT",
                "dynamodb", Map.of("SequenceNumber", sequenceNumber, "NewImage", Map.of("name", Map.of("S", name))));
    }

    private static Map<String, Object> remove(String sequenceNumber) {
        return Map.of("eventID", "e" + sequenceNumber, "eventName", "REMOVE", "dynamodb", Map.of("SequenceNumber", sequenceNumber));
    }

    private static Map<String, Object> failure(String sequenceNumber) {
        return Map.of("batchItemFailures", List.of(Map.of("itemIdentifier", sequenceNumber)));
    }

    @SafeVarargs
    private static Map<String, Object> handle(StreamFunction<String> function, Map<String, Object>... records) throws IOException {
        return handle(function, null, records);
    }

    @SafeVarargs
    private static Map<String, Object> handle(StreamFunction<String> function, Context context, Map<String, Object>... records) throws IOException {
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        function.handleRequest(new ByteArrayInputStream(Json.writeBytes(Map.of("Records", List.of(records)))), output, context);
        return Json.parseObject(output.toString(UTF_8));
    }
}
