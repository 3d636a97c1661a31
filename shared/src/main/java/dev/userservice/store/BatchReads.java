package dev.userservice.store;

import dev.userservice.concurrency.OptimisticRetry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;

/** Consistent batch reads of one table, for every store that reads several items by key at once. */
final class BatchReads {
    /** What one {@code BatchGetItem} takes. */
    private static final int KEYS_PER_CALL = 100;

    private BatchReads() {}

    /**
     * Every item of these keys that exists, in no particular order, after retrying the keys DynamoDB left for later
     * (throttling, 16 MB), within {@link OptimisticRetry}'s budget (then a 503).
     */
    static List<Map<String, AttributeValue>> consistent(DynamoDbClient dynamo, String table, List<Map<String, AttributeValue>> keys) {
        List<Map<String, AttributeValue>> found = new ArrayList<>();
        for (int from = 0; from < keys.size(); from += KEYS_PER_CALL) {
            AtomicReference<Map<String, KeysAndAttributes>> pending = new AtomicReference<>(Map.of(table,
                    KeysAndAttributes.builder().keys(keys.subList(from, Math.min(keys.size(), from + KEYS_PER_CALL))).consistentRead(true).build()));
            OptimisticRetry.run(() -> {
                BatchGetItemResponse response = dynamo.batchGetItem(request -> request.requestItems(pending.get()));
                found.addAll(response.responses().getOrDefault(table, List.of()));
                pending.set(response.hasUnprocessedKeys() ? response.unprocessedKeys() : Map.of());
                return pending.get().isEmpty() ? Optional.of(true) : Optional.empty();
            }, "The database is busy; try again shortly");
        }
        return found;
    }
}
