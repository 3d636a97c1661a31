package dev.userservice.local.e2e;

import static dev.userservice.local.e2e.Accounts.uniqueEmail;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.userservice.aws.AwsClients;
import dev.userservice.config.ServiceConfig;
import dev.userservice.json.Json;
import dev.userservice.logging.Log;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * A poison outbox record, one the publisher can never publish, on the table's stream: the publisher parks it in
 * {@code OutboxFailuresQueue} itself, by its keys, and goes on, so the events after it (a password reset mail) still
 * go out promptly, while any other failure is retried until the stream drops the record. The poison records are
 * written to the table directly, as no route writes them. A service of its own, so the failure queue holds only this
 * test's records.
 */
class OutboxFailuresEndToEndTest {
    private static final String RESET_REQUESTED = "user.password_reset_requested";
    private static final Duration PROMPTLY = Duration.ofSeconds(20);

    @RegisterExtension
    static final RunningService running = RunningService.start();
    private static final SqsClient sqs = AwsClients.sqs(ServiceConfig.from(running.service().functionEnvironment("OutboxPublisherFunction")));

    @AfterAll
    static void closeQueueClient() {
        sqs.close();
    }

    @Test
    void poisonOutboxRecordsEndInTheFailureQueueAndLaterEventsArePublishedPromptly() {
        String email = uniqueEmail("poison");
        String userId = running.accounts().register(email).id();
        // SQS refuses U+FFFF in a message body: this event can never be sent, however often it is retried (the
        // publisher finds it before sending, as an event written before the JSON writer escaped it would be).
        String secret = "reset-token-" + UUID.randomUUID();
        outboxItem(userId, "{\"token\":\"" + secret + "\",\"name\":\"\uFFFF\"}");
        // No user: the FIFO queue needs a message group, so it cannot be published either.
        outboxItem(null, "{}");
        Instant asked = Instant.now();

        ByteArrayOutputStream log = new ByteArrayOutputStream();
        Log.redirect(new PrintStream(new TeeOutputStream(System.out, log), true, StandardCharsets.UTF_8));
        try {
            Api.Response requested = running.api().post("/api/v1/auth/password-reset/request", Map.of("email", email));

            assertEquals(202, requested.status(), requested.text());
            running.events().await(RESET_REQUESTED, userId);
        } finally {
            Log.redirect(System.out);
        }
        Duration waited = Duration.between(asked, Instant.now());
        assertTrue(waited.compareTo(PROMPTLY) < 0, "the reset mail waited " + waited + " behind the poison records");
        List<Map<String, Object>> parked = failureRecords(2);
        assertEquals(Set.of("not publishable: a character the queue refuses", "unreadable: outbox item without user_id"),
                parked.stream().map(record -> String.valueOf(record.get("reason"))).collect(Collectors.toSet()));
        assertTrue(parked.stream().allMatch(record -> String.valueOf(record.get("pk")).startsWith("OUTBOX#")
                && String.valueOf(record.get("sk")).startsWith("EVENT#")), "each names its outbox item, to replay it from: " + parked);
        assertFalse(parked.toString().contains(secret), "the event, which may hold a token, is not in the failure queue");
        assertTrue(running.events().receivedFor(userId).stream().noneMatch(event -> "user.updated".equals(event.get("type"))),
                "neither poison event was published");
        assertFalse(log.toString(StandardCharsets.UTF_8).contains(secret), "the event is never logged");
        assertTrue(log.toString(StandardCharsets.UTF_8).contains("outbox record parked"));
    }

    /** A {@code user.updated} outbox item as {@code store.Outbox} writes one, of this user (none when null) and data. */
    private static void outboxItem(String userId, String dataJson) {
        String eventId = UUID.randomUUID().toString();
        String eventJson = "{\"event_id\":\"" + eventId + "\",\"type\":\"user.updated\",\"occurred_at\":\"" + Instant.now()
                + "\",\"user_id\":" + (userId == null ? "null" : "\"" + userId + "\"") + ",\"data\":" + dataJson + "}";
        Map<String, AttributeValue> item = new LinkedHashMap<>();
        item.put("pk", AttributeValue.fromS("OUTBOX#" + (userId == null ? eventId : userId)));
        item.put("sk", AttributeValue.fromS("EVENT#" + eventId));
        item.put("type", AttributeValue.fromS("outbox"));
        item.put("user_id", userId == null ? AttributeValue.fromNul(true) : AttributeValue.fromS(userId));
        item.put("event_type", AttributeValue.fromS("user.updated"));
        item.put("event", AttributeValue.fromS(eventJson));
        running.dynamo().putItem(request -> request.tableName(running.table()).item(item));
    }

    /** The first {@code count} messages of the failure queue, waiting for them. */
    private static List<Map<String, Object>> failureRecords(int count) {
        String queueUrl = sqs.getQueueUrl(request -> request.queueName("OutboxFailuresQueue")).queueUrl();
        List<Map<String, Object>> records = new ArrayList<>();
        long deadline = System.nanoTime() + PROMPTLY.toNanos();
        while (records.size() < count && System.nanoTime() < deadline) {
            for (Message message : sqs.receiveMessage(request -> request.queueUrl(queueUrl).maxNumberOfMessages(10).waitTimeSeconds(1)).messages()) {
                records.add(Json.parseObject(message.body()));
            }
        }
        assertEquals(count, records.size(), "failure records: " + records);
        return records;
    }


    /** Writes to both streams: the test reads the log while the console still shows it. */
    private static final class TeeOutputStream extends OutputStream {
        private final OutputStream first;
        private final OutputStream second;

        TeeOutputStream(OutputStream first, OutputStream second) {
            this.first = first;
            this.second = second;
        }

        @Override
        public void write(int b) throws IOException {
            first.write(b);
            second.write(b);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            first.write(bytes, offset, length);
            second.write(bytes, offset, length);
        }
    }
}
