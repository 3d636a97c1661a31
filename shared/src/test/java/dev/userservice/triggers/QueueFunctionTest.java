package dev.userservice.triggers;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.Context;
import dev.userservice.concurrency.OptimisticRetry;
import dev.userservice.errors.FieldError;
import dev.userservice.errors.ServiceException;
import dev.userservice.json.Json;
import dev.userservice.logging.CapturedLog;
import dev.userservice.snapstart.Wiring;
import dev.userservice.testing.LambdaContexts;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class QueueFunctionTest {
    private static final String SECRET_VALUE = "alice@example.com";
    private static final String SENDERS_FIELD = "sender_chosen_name";

    /** Consumes a body by its {@code "outcome"}: ok, refused (a known and an unknown field), or a failure. */
    private static final class Consumer extends QueueFunction {
        final List<String> consumed = new ArrayList<>();
        int primedWith;

        Consumer() {
            super(Wiring.none(), "test");
        }

        @Override
        protected void consume(QueueMessage message) {
            Map<String, Object> body = message.jsonBody();
            switch (String.valueOf(body.get("outcome"))) {
                case "refused" -> throw ServiceException.validation(List.of(
                        new FieldError("email", "must be an email such as " + SECRET_VALUE), FieldError.unknown(SENDERS_FIELD)));
                case "fails" -> throw new IllegalStateException("the store said " + SECRET_VALUE);
                case "slow" -> {
                    while (Instant.now().isBefore(message.deadline())) {
                        Thread.onSpinWait();
                    }
                    throw new Unfinished();
                }
                case "contended" -> OptimisticRetry.run(() -> {
                    try {
                        Thread.sleep(50);
                    } catch (InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                    return Optional.empty();
                }, "The item is busy");
                case "priming" -> {
                    primedWith++;
                    throw ServiceException.validation("outcome", "is required");
                }
                default -> consumed.add(message.id());
            }
        }

        @Override
        protected Map<String, Object> refusedBody() {
            return Map.of("outcome", "priming");
        }
    }

    @Test
    void aBatchNamesEachMessageNotConsumedAndKeepsTheOthers() throws IOException {
        Consumer consumer = new Consumer();
        Map<String, Object> answer;
        try (CapturedLog log = new CapturedLog()) {
            answer = handle(consumer, List.of(
                    message("1", Json.write(Map.of("outcome", "ok"))),
                    message("2", Json.write(Map.of("outcome", "refused", "email", SECRET_VALUE, SENDERS_FIELD, 1))),
                    message("3", "{\"outcome\": " + SECRET_VALUE),
                    message("4", Json.write(Map.of("outcome", "fails"))),
                    message("5", null),
                    message("6", Json.write(Map.of("outcome", "ok")))));

            Map<String, Object> summary = log.line("test messages consumed");
            assertEquals(6L, summary.get("messages"));
            assertEquals(4L, summary.get("failed"));
        }

        assertEquals(List.of("1", "6"), consumer.consumed);
        assertEquals(failures("2", "3", "4", "5"), answer);
    }

    @Test
    void aRefusalIsLoggedWithItsCodeAndKnownFieldsButNoValueNorUnknownFieldName() throws IOException {
        try (CapturedLog log = new CapturedLog()) {
            handle(new Consumer(), List.of(message("2", Json.write(Map.of("outcome", "refused", "email", SECRET_VALUE)))));

            Map<String, Object> line = log.line("test message refused");
            assertEquals("WARN", line.get("level"));
            assertEquals("2", line.get("message_id"));
            assertEquals("validation_failed (email,(unknown field))", line.get("reason"));
            assertFalse(log.text().contains(SECRET_VALUE), log.text());
            assertFalse(log.text().contains(SENDERS_FIELD), log.text());
        }
    }

    @Test
    void aMalformedBodyOrNoBodyIsRefusedAsMalformedJsonWithoutItsText() throws IOException {
        try (CapturedLog log = new CapturedLog()) {
            Map<String, Object> answer = handle(new Consumer(), List.of(message("3", "{\"outcome\": " + SECRET_VALUE), message("5", null)));

            assertEquals(failures("3", "5"), answer);
            List<Map<String, Object>> refused = log.lines().stream().filter(line -> "test message refused".equals(line.get("message"))).toList();
            assertEquals(List.of("malformed_json", "malformed_json"), refused.stream().map(line -> line.get("reason")).toList());
            assertFalse(log.text().contains(SECRET_VALUE), log.text());
        }
    }

    @Test
    void anUnexpectedFailureIsLoggedAsAnErrorWithItsException() throws IOException {
        try (CapturedLog log = new CapturedLog()) {
            Map<String, Object> answer = handle(new Consumer(), List.of(message("4", Json.write(Map.of("outcome", "fails")))));

            assertEquals(failures("4"), answer);
            Map<String, Object> line = log.line("test message failed");
            assertEquals("ERROR", line.get("level"));
            assertEquals("IllegalStateException", line.get("reason"));
            assertEquals(IllegalStateException.class.getName(), line.get("error_type"));
            assertTrue(String.valueOf(line.get("stack_trace")).contains("QueueFunctionTest"), log.text());
        }
    }

    /**
     * A message's work outlasts the invocation's time, less the reserve for answering: it stops with its work kept,
     * and it and the messages after it come back at their next receive, rather than the whole batch at a timeout.
     */
    @Test
    void aBatchPastItsDeadlineLeavesTheRestForTheirNextReceive() throws IOException {
        Consumer consumer = new Consumer();
        Context context = LambdaContexts.withRemaining(QueueFunction.RESERVE.plusMillis(2000).toMillis());
        Map<String, Object> answer;
        try (CapturedLog log = new CapturedLog()) {
            ByteArrayOutputStream output = new ByteArrayOutputStream();
            consumer.handleRequest(new ByteArrayInputStream(Json.writeBytes(Map.of("Records", List.of(
                    message("1", Json.write(Map.of("outcome", "ok"))),
                    message("2", Json.write(Map.of("outcome", "slow"))),
                    message("3", Json.write(Map.of("outcome", "ok"))))))), output, context);
            answer = Json.parseObject(output.toString(UTF_8));

            assertEquals("INFO", log.line("test message consumed in part; the rest at its next receive").get("level"));
        }

        assertEquals(List.of("1"), consumer.consumed);
        assertEquals(failures("2", "3"), answer);
    }

    /** A message whose writes keep losing to others is given up in time to answer the batch, and comes back. */
    @Test
    void aContendedMessageIsGivenUpBeforeTheFunctionsTimeout() throws IOException {
        Consumer consumer = new Consumer();
        // The batch's reserve is longer than the time kept for answering after the last call.
        Context context = LambdaContexts.withRemaining(QueueFunction.RESERVE.plusMillis(300).toMillis());
        ByteArrayOutputStream output = new ByteArrayOutputStream();

        long started = System.nanoTime();
        try (CapturedLog log = new CapturedLog()) {
            consumer.handleRequest(new ByteArrayInputStream(Json.writeBytes(Map.of("Records", List.of(
                    message("1", Json.write(Map.of("outcome", "contended"))))))), output, context);
        }

        long tookMillis = (System.nanoTime() - started) / 1_000_000;
        // Forty attempts of 50 ms would take more than two seconds; the invocation had 1.3 for calls.
        assertTrue(tookMillis < 2_000, "answered after " + tookMillis + " ms");
        assertEquals(failures("1"), Json.parseObject(output.toString(UTF_8)));
    }

    @Test
    void primingConsumesTheRefusedBodyWithoutALogLine() {
        Consumer consumer = new Consumer();
        try (CapturedLog log = new CapturedLog()) {
            consumer.prime();

            assertEquals("", log.text());
        }
        assertEquals(1, consumer.primedWith);
    }

    private static Map<String, Object> message(String id, String body) {
        Map<String, Object> message = new LinkedHashMap<>();
        message.put("messageId", id);
        message.put("body", body);
        message.put("eventSource", "aws:sqs");
        return message;
    }

    private static Map<String, Object> failures(String... ids) {
        return Map.of("batchItemFailures", List.of(ids).stream().map(id -> Map.of("itemIdentifier", id)).toList());
    }

    private static Map<String, Object> handle(QueueFunction function, List<Map<String, Object>> messages) throws IOException {
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        function.handleRequest(new ByteArrayInputStream(Json.writeBytes(Map.of("Records", messages))), output, null);
        return Json.parseObject(output.toString(UTF_8));
    }
}
