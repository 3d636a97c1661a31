package dev.userservice.functions.users;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import dev.userservice.Services;
import dev.userservice.events.EventType;
import dev.userservice.json.Json;
import dev.userservice.logging.Log;
import dev.userservice.snapstart.SnapStartFunction;
import dev.userservice.store.Item;
import dev.userservice.store.Outbox;
import dev.userservice.users.AccountErasure;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Finishes account deletions from the table's stream: for each {@code user.deleted} outbox item inserted (the
 * template's filter sends only those), erases whatever of the account is left, so a deletion whose function died
 * right after its transaction still completes. Erasure is idempotent: after a deletion that did finish, this finds
 * nothing to do.
 *
 * <p>Input: Lambda's DynamoDB stream event; output: the partial batch response, naming the first record that
 * failed, so Lambda retries from it ({@code {"batchItemFailures": []}} when all went well). A record that is not a
 * {@code user.deleted} outbox item is skipped: retrying it could never help.
 * <pre>
 * java -jar local/target/local-api.jar invoke AccountEraserFunction events/account-eraser.json
 * </pre>
 */
public final class AccountEraserHandler extends SnapStartFunction implements RequestStreamHandler {
    private final AccountErasure erasure;

    public AccountEraserHandler() {
        this(System.getenv());
    }

    public AccountEraserHandler(Map<String, String> environment) {
        this(Services.of(environment));
    }

    AccountEraserHandler(Services services) {
        super(services);
        this.erasure = services.accountErasure();
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        Map<String, Object> event = Json.parseObject(new String(input.readAllBytes(), StandardCharsets.UTF_8));
        List<Map<String, String>> failures = new ArrayList<>();
        for (Deletion deletion : deletions(event)) {
            try {
                erasure.erase(deletion.userId());
                Log.info("account erased", Map.of("user_id", deletion.userId()));
            } catch (RuntimeException e) {
                Log.error("account erasure failed", Map.of("user_id", deletion.userId()), e);
                failures.add(Map.of("itemIdentifier", deletion.sequenceNumber()));
                break;
            }
        }
        Map<String, Object> response = new LinkedHashMap<>();
        response.put("batchItemFailures", failures);
        Json.write(response, output);
    }

    /**
     * A stream event deleting an account that never existed: read as a real one, and erased, which queries the
     * user's items, finds none and deletes nothing. No log line, and no warm-up beyond that: this function may
     * only query the table.
     */
    @Override
    protected void prime() {
        Map<String, Object> image = Map.of(
                Item.TYPE, Map.of("S", Outbox.ITEM_TYPE),
                "event_type", Map.of("S", EventType.USER_DELETED.wireName()),
                "user_id", Map.of("S", UUID.randomUUID().toString()));
        byte[] event = Json.writeBytes(Map.of("Records", List.of(Map.of("eventName", "INSERT",
                "dynamodb", Map.of("SequenceNumber", "0", "NewImage", image)))));
        for (Deletion deletion : deletions(Json.parseObject(new String(event, StandardCharsets.UTF_8)))) {
            erasure.erase(deletion.userId());
        }
    }

    /** An account to erase, and the stream record that asked for it. */
    private record Deletion(String userId, String sequenceNumber) {}

    /** The {@code user.deleted} outbox items of a stream event, in stream order. */
    private static List<Deletion> deletions(Map<String, Object> event) {
        List<Deletion> deletions = new ArrayList<>();
        for (Object record : list(event.get("Records"))) {
            Map<String, Object> fields = map(record);
            Map<String, Object> dynamodb = map(fields.get("dynamodb"));
            deletedUser(fields, map(dynamodb.get("NewImage"))).ifPresent(userId ->
                    deletions.add(new Deletion(userId, String.valueOf(dynamodb.get("SequenceNumber")))));
        }
        return deletions;
    }

    /** The user id of an inserted {@code user.deleted} outbox item, in DynamoDB's JSON ({@code {"S": "..."}}). */
    private static Optional<String> deletedUser(Map<String, Object> record, Map<String, Object> image) {
        boolean deletion = "INSERT".equals(record.get("eventName"))
                && Optional.of(Outbox.ITEM_TYPE).equals(string(image, Item.TYPE))
                && Optional.of(EventType.USER_DELETED.wireName()).equals(string(image, "event_type"));
        if (!deletion) {
            return Optional.empty();
        }
        Optional<String> userId = string(image, "user_id").filter(id -> !id.isBlank());
        if (userId.isEmpty()) {
            Log.warn("user.deleted outbox item without user_id skipped", Map.of("event_id", String.valueOf(record.get("eventID"))));
        }
        return userId;
    }

    private static Optional<String> string(Map<String, Object> image, String attribute) {
        return map(image.get(attribute)).get("S") instanceof String text ? Optional.of(text) : Optional.empty();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        return value instanceof Map<?, ?> map ? (Map<String, Object>) map : Map.of();
    }

    private static List<?> list(Object value) {
        return value instanceof List<?> list ? list : List.of();
    }
}
