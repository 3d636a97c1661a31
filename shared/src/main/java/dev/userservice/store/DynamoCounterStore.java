package dev.userservice.store;

import dev.userservice.health.CounterChange;
import dev.userservice.health.CounterStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.Update;

/**
 * The service counters in the single table: one item per counter in the partition {@code METRICS}
 * ({@code COUNTER#<name>}, with {@code count}), so reading them all is one Query; an hourly counter carries the
 * table's TTL. A change is applied with a marker {@code METRICS_APPLIED#<change id>}, written only if absent and kept
 * two days (longer than a stream keeps a record), in the transaction of its counters' {@code ADD}s, so a stream record
 * delivered again changes nothing; a batch's changes share transactions ({@link #applyAll}).
 */
public final class DynamoCounterStore implements CounterStore {
    private static final String PARTITION = "METRICS";
    private static final String COUNTER_PREFIX = "COUNTER#";
    private static final String COUNT = "count";
    private static final Duration MARKER_KEPT = Duration.ofDays(2);
    /** TransactWriteItems' own limit. */
    private static final int ITEMS_PER_WRITE = 100;

    private final DynamoDbClient dynamo;
    private final String table;

    public DynamoCounterStore(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    @Override
    public boolean apply(String changeId, List<Delta> deltas) {
        return applyTogether(List.of(new CounterChange(changeId, deltas)));
    }

    /**
     * The changes in transactions of up to {@link #ITEMS_PER_WRITE} items: their markers and one update per counter
     * with their deltas summed, so a batch of a hundred statuses moves its hour's counter once, not a hundred times
     * (one item takes about 500 transactional writes a second). A transaction that finds a marker (a batch delivered
     * again after a failure part way) is refused whole; its changes are then applied one at a time, each once.
     */
    @Override
    public void applyAll(List<CounterChange> changes) {
        List<CounterChange> chunk = new ArrayList<>();
        Set<String> counters = new HashSet<>();
        for (CounterChange change : changes) {
            Set<String> theirs = change.deltas().stream().map(Delta::counter).collect(Collectors.toSet());
            Set<String> together = new HashSet<>(counters);
            together.addAll(theirs);
            if (!chunk.isEmpty() && chunk.size() + 1 + together.size() > ITEMS_PER_WRITE) {
                applyChunk(chunk);
                chunk = new ArrayList<>();
                together = theirs;
            }
            chunk.add(change);
            counters = together;
        }
        if (!chunk.isEmpty()) {
            applyChunk(chunk);
        }
    }

    private void applyChunk(List<CounterChange> chunk) {
        if (!applyTogether(chunk) && chunk.size() > 1) {
            chunk.forEach(change -> applyTogether(List.of(change)));
        }
    }

    /** One transaction: each change's marker, written only if absent, and the summed deltas; false when a marker was there. */
    private boolean applyTogether(List<CounterChange> changes) {
        Instant markerExpiry = Instant.now().plus(MARKER_KEPT);
        List<TransactWriteItem> writes = new ArrayList<>();
        Map<String, Delta> summed = new LinkedHashMap<>();
        for (CounterChange change : changes) {
            Item marker = Item.key("METRICS_APPLIED#" + change.changeId(), "APPLIED").put(Item.TYPE, "metrics_applied")
                    .expiresAt(markerExpiry);
            writes.add(TransactWriteItem.builder().put(Put.builder().tableName(table).item(marker.values())
                    .conditionExpression("attribute_not_exists(" + Item.PK + ")").build()).build());
            change.deltas().forEach(delta -> summed.merge(delta.counter(), delta, (one, other) ->
                    new Delta(one.counter(), one.by() + other.by(), one.expiresAt())));
        }
        summed.values().forEach(delta -> writes.add(TransactWriteItem.builder().update(update(delta)).build()));
        // Counters are shared by every shard's changes, so concurrent transactions conflict: run again.
        return Cancellation.retryingLostRaces(() -> {
            dynamo.transactWriteItems(request -> request.transactItems(writes));
            return true;
        }, cancellation -> cancellation.anyFailed() ? Optional.of(false) : Optional.empty(), Cancellation.BUSY);
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
