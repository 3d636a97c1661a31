package dev.userservice.store;

import dev.userservice.health.CounterStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.Update;

/**
 * The service counters in the single table: one item per counter in the partition {@code METRICS}
 * ({@code COUNTER#<name>}, with {@code count}), so reading them all is one Query; an hourly counter carries the
 * table's TTL. A change is one transaction of its counters' {@code ADD}s and a marker
 * {@code METRICS_APPLIED#<change id>} written only if absent and kept two days (longer than a stream keeps a record),
 * so a stream record delivered again changes nothing.
 */
public final class DynamoCounterStore implements CounterStore {
    private static final String PARTITION = "METRICS";
    private static final String COUNTER_PREFIX = "COUNTER#";
    private static final String COUNT = "count";
    private static final Duration MARKER_KEPT = Duration.ofDays(2);
    private static final int MARKER = 0;

    private final DynamoDbClient dynamo;
    private final String table;

    public DynamoCounterStore(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    @Override
    public boolean apply(String changeId, List<Delta> deltas) {
        Item marker = Item.key("METRICS_APPLIED#" + changeId, "APPLIED").put(Item.TYPE, "metrics_applied")
                .expiresAt(Instant.now().plus(MARKER_KEPT));
        List<TransactWriteItem> writes = new ArrayList<>();
        writes.add(TransactWriteItem.builder().put(Put.builder().tableName(table).item(marker.values())
                .conditionExpression("attribute_not_exists(" + Item.PK + ")").build()).build());
        deltas.forEach(delta -> writes.add(TransactWriteItem.builder().update(update(delta)).build()));
        // Every change moving a counter writes its one item, so concurrent shards' changes conflict: run again.
        return Cancellation.retryingLostRaces(() -> {
            dynamo.transactWriteItems(request -> request.transactItems(writes));
            return true;
        }, cancellation -> cancellation.failedAt(MARKER) ? Optional.of(false) : Optional.empty(), Cancellation.BUSY);
    }

    /**
     * A transaction of one counter's update, conditioned on the existence of a counter that cannot exist: DynamoDB
     * refuses it after the whole round trip (connection, request, the cancellation's answer) and writes nothing. A
     * dry run would stop before the connection, and the function may not read the table to open one.
     */
    @Override
    public void prime() {
        Update refused = update(new Delta("priming-" + UUID.randomUUID(), 0, null)).toBuilder()
                .conditionExpression("attribute_exists(" + Item.PK + ")").build();
        if (Cancellation.commitsUnlessChanged(() -> dynamo.transactWriteItems(
                request -> request.transactItems(TransactWriteItem.builder().update(refused).build())))) {
            throw new IllegalStateException("priming's update of a counter that cannot exist was not refused");
        }
    }

    private Update update(Delta delta) {
        Map<String, String> names = new HashMap<>(Map.of("#count", COUNT, "#type", Item.TYPE));
        Map<String, AttributeValue> values = new HashMap<>(Map.of(
                ":by", AttributeValue.fromN(Long.toString(delta.by())), ":type", AttributeValue.fromS("metric")));
        String expression = "ADD #count :by SET #type = :type";
        if (delta.expiresAt() != null) {
            names.put("#expires", Item.EXPIRES_AT);
            values.put(":expires", AttributeValue.fromN(Long.toString(delta.expiresAt().getEpochSecond())));
            expression += ", #expires = :expires";
        }
        return Update.builder().tableName(table).key(Item.keyOf(PARTITION, COUNTER_PREFIX + delta.counter()))
                .updateExpression(expression).expressionAttributeNames(names).expressionAttributeValues(values).build();
    }

    @Override
    public Map<String, Long> read() {
        Map<String, Long> counters = new HashMap<>();
        Map<String, AttributeValue> start = null;
        do {
            Map<String, AttributeValue> from = start;
            QueryResponse page = dynamo.query(request -> request.tableName(table)
                    .keyConditionExpression(Item.PK + " = :pk AND begins_with(" + Item.SK + ", :prefix)")
                    .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS(PARTITION),
                            ":prefix", AttributeValue.fromS(COUNTER_PREFIX)))
                    .exclusiveStartKey(from));
            page.items().forEach(item -> counters.put(item.get(Item.SK).s().substring(COUNTER_PREFIX.length()),
                    Long.parseLong(item.get(COUNT).n())));
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null);
        return counters;
    }
}
