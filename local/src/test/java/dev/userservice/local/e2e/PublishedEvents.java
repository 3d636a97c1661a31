package dev.userservice.local.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import dev.userservice.aws.AwsClients;
import dev.userservice.config.ServiceConfig;
import dev.userservice.json.Json;
import dev.userservice.local.LocalService;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

/**
 * The {@code user-events} queue as a consumer sees it, read with the AWS SDK from the local runner's SQS. Every
 * message received is checked against the JSON Schema of its type in {@code events/schemas/}, and against the FIFO
 * contract (group = user id, deduplication id = event id), then kept, so a test can wait for the event it caused.
 */
public final class PublishedEvents implements AutoCloseable {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final Path SCHEMAS = dev.userservice.local.LocalOptions.defaults().template().getParent().resolve("events/schemas");
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Map<String, JsonSchema> SCHEMA_BY_TYPE = new ConcurrentHashMap<>();

    private final LocalService service;
    private final SqsClient sqs;
    private final String queueUrl;
    private final List<Map<String, Object>> received = new ArrayList<>();

    public PublishedEvents(LocalService service) {
        this.service = service;
        Map<String, String> environment = service.functionEnvironment("OutboxPublisherFunction");
        this.sqs = AwsClients.sqs(ServiceConfig.from(environment));
        this.queueUrl = environment.get("USER_EVENTS_QUEUE_URL");
    }

    /** The event of this type for this user, waiting for it to be published; fails after a while without it. */
    public synchronized Map<String, Object> await(String type, String userId) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            Optional<Map<String, Object>> found = find(type, userId);
            if (found.isPresent()) {
                return found.get();
            }
            if (System.nanoTime() > deadline) {
                return fail("no " + type + " event for user " + userId + " within " + WAIT + "; received " + summary());
            }
            receive(Duration.ofSeconds(1));
        }
    }

    /** Asserts that no event of this type for this user was published for anything stored so far. */
    public synchronized void assertNone(String type, String userId) {
        receiveEverythingPublished();
        assertTrue(find(type, userId).isEmpty(), () -> "an unexpected " + type + " event for user " + userId);
    }

    /**
     * Receives every event published for the changes stored so far: the stream consumers have caught up with the
     * table, so the outbox publisher has sent what it will send for them, and the queue is read until it is empty.
     */
    public synchronized void receiveEverythingPublished() {
        service.awaitStreamsCaughtUp();
        int received;
        do {
            received = receive(Duration.ZERO);
        } while (received > 0);
    }

    /** Every event received so far for this user, in the order the queue gave them. */
    public synchronized List<Map<String, Object>> receivedFor(String userId) {
        return received.stream().filter(event -> userId.equals(event.get("user_id"))).toList();
    }

    /** Every event received so far, in the order the queue gave them. */
    public synchronized List<Map<String, Object>> receivedAll() {
        return List.copyOf(received);
    }

    /** Every event of this type received so far. */
    public synchronized List<Map<String, Object>> receivedOfType(String type) {
        return received.stream().filter(event -> type.equals(event.get("type"))).toList();
    }

    private Optional<Map<String, Object>> find(String type, String userId) {
        return received.stream().filter(event -> type.equals(event.get("type")) && userId.equals(event.get("user_id"))).findFirst();
    }

    /** Receives one batch, long-polling for at most {@code wait}; answers how many events came. */
    private int receive(Duration wait) {
        List<Message> messages = sqs.receiveMessage(request -> request.queueUrl(queueUrl).maxNumberOfMessages(10)
                .waitTimeSeconds((int) wait.toSeconds())
                .messageSystemAttributeNames(MessageSystemAttributeName.MESSAGE_GROUP_ID,
                        MessageSystemAttributeName.MESSAGE_DEDUPLICATION_ID)).messages();
        for (Message message : messages) {
            Map<String, Object> event = checked(message);
            received.add(event);
            sqs.deleteMessage(request -> request.queueUrl(queueUrl).receiptHandle(message.receiptHandle()));
        }
        return messages.size();
    }

    private static Map<String, Object> checked(Message message) {
        Map<String, Object> event = Json.parseObject(message.body());
        String type = String.valueOf(event.get("type"));
        Set<ValidationMessage> problems = schema(type).validate(readTree(message.body()));
        assertTrue(problems.isEmpty(), () -> type + " does not match events/schemas/" + type + ".json: " + problems + "\n" + message.body());
        assertEquals(event.get("user_id"), message.attributes().get(MessageSystemAttributeName.MESSAGE_GROUP_ID),
                "the message group is the user, so one user's events stay in order");
        assertEquals(event.get("event_id"), message.attributes().get(MessageSystemAttributeName.MESSAGE_DEDUPLICATION_ID),
                "the deduplication id is the event id");
        return event;
    }

    private static JsonSchema schema(String type) {
        return SCHEMA_BY_TYPE.computeIfAbsent(type, name -> {
            Path file = SCHEMAS.resolve(name + ".json");
            assertTrue(Files.isRegularFile(file), () -> "no JSON Schema for event type " + name + " at " + file);
            try (InputStream schema = Files.newInputStream(file)) {
                // Formats asserted, as a consumer that validates the events would: an address is an idn-email.
                return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012)
                        .getSchema(schema, SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build());
            } catch (IOException e) {
                throw new AssertionError("cannot read " + file, e);
            }
        });
    }

    private static JsonNode readTree(String json) {
        try {
            return MAPPER.readTree(json);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + json, e);
        }
    }

    private String summary() {
        return received.stream().map(event -> event.get("type") + "/" + event.get("user_id")).toList().toString();
    }

    @Override
    public void close() {
        sqs.close();
    }
}
