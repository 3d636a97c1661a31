package dev.userservice.store;

import dev.userservice.concurrency.OptimisticRetry;
import dev.userservice.users.AccountErasure;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.DeleteRequest;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * Erases every item of an account with two queries and batched deletes, never a scan: the user's partition
 * ({@code USER#<id>}: profile, preferences, sessions, devices, ...) and the owner index ({@link Item#OWNER_INDEX}:
 * the email claim, refresh and one-time tokens and whatever else lives outside the partition). Deleting what is
 * already gone is a no-op, so running it twice, or concurrently, is harmless.
 *
 * <p>The markers of the account's notification statuses stay, as tombstones that name only the user's id
 * ({@link DynamoNotificationStore#eraseMarker}), until their 90 days are over. The account's outbox items stay until
 * they expire ({@link Outbox}: two days after their event): the deletion's own {@code user.deleted} is one of them,
 * and an event whose publication failed is replayed from its item.
 */
public final class DynamoAccountErasure implements AccountErasure {
    /** BatchWriteItem's own limit. */
    private static final int BATCH_SIZE = 25;

    private final DynamoDbClient dynamo;
    private final String table;
    private final Clock clock;

    public DynamoAccountErasure(DynamoDbClient dynamo, String table, Clock clock) {
        this.dynamo = dynamo;
        this.table = table;
        this.clock = clock;
    }

    /**
     * Deletes as it pages, so a partition of months of statuses is not read whole before the deadline is looked at.
     * Refuses an account that still exists: only a deletion's {@code user.deleted} should lead here, and a message sent
     * to the erasure queue by mistake (a redrive from another queue, a hand-made one) would otherwise erase a live
     * account without a trace in its events.
     */
    @Override
    public boolean eraseUntil(String userId, Instant deadline) {
        if (accountExists(userId)) {
            throw new IllegalStateException("the account still exists: only a deleted account is erased");
        }
        Iterator<Map<String, AttributeValue>> partition = partition(userId).iterator();
        List<Map<String, AttributeValue>> batch = new ArrayList<>();
        while (partition.hasNext()) {
            Map<String, AttributeValue> item = partition.next();
            batch.add(Map.of(Item.PK, item.get(Item.PK), Item.SK, item.get(Item.SK)));
            if (batch.size() == BATCH_SIZE || !partition.hasNext()) {
                if (!clock.instant().isBefore(deadline)) {
                    return false;
                }
                deleteBatch(batch);
                batch = new ArrayList<>();
            }
        }
        // The partition's own items that carry an owner are gone already; the outbox's stay (above).
        Set<String> skipped = Set.of(Keys.user(userId), Keys.outbox(userId));
        Iterator<Map<String, AttributeValue>> elsewhere = ownedElsewhere(userId)
                .filter(item -> !skipped.contains(item.get(Item.PK).s()))
                .iterator();
        while (elsewhere.hasNext()) {
            if (!clock.instant().isBefore(deadline)) {
                return false;
            }
            Map<String, AttributeValue> item = elsewhere.next();
            if (DynamoNotificationStore.isMarker(item)) {
                DynamoNotificationStore.eraseMarker(dynamo, table, item, userId);
            } else {
                deleteWhileOwned(item, userId);
            }
        }
        return true;
    }

    /**
     * An item outside the partition changes hands (a push token's claim moves to another user): read from an
     * eventually consistent index, or taken since, it is deleted only while it still names this user as its owner,
     * else the new holder would lose it and the token could end up active on two users' devices.
     */
    private void deleteWhileOwned(Map<String, AttributeValue> item, String userId) {
        try {
            dynamo.deleteItem(request -> request.tableName(table)
                    .key(Map.of(Item.PK, item.get(Item.PK), Item.SK, item.get(Item.SK)))
                    .conditionExpression("#owner = :owner")
                    .expressionAttributeNames(Map.of("#owner", Item.OWNER))
                    .expressionAttributeValues(Map.of(":owner", AttributeValue.fromS(Keys.user(userId)))));
        } catch (ConditionalCheckFailedException e) {
            // Another user's now, or gone already: nothing of this account is left in it.
        }
    }

    private boolean accountExists(String userId) {
        return !dynamo.getItem(request -> request.tableName(table).consistentRead(true)
                .key(Item.keyOf(Keys.user(userId), Keys.PROFILE))
                .projectionExpression(Item.PK)).item().isEmpty();
    }

    private Stream<Map<String, AttributeValue>> partition(String userId) {
        return dynamo.queryPaginator(request -> request.tableName(table).consistentRead(true)
                        .keyConditionExpression(Item.PK + " = :pk")
                        .projectionExpression(Item.PK + ", " + Item.SK)
                        .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS(Keys.user(userId)))))
                .items().stream();
    }

    /** The owner index projects keys only, which is all a delete needs. */
    private Stream<Map<String, AttributeValue>> ownedElsewhere(String userId) {
        return dynamo.queryPaginator(request -> request.tableName(table).indexName(Item.OWNER_INDEX)
                        .keyConditionExpression("#owner = :owner")
                        .expressionAttributeNames(Map.of("#owner", Item.OWNER))
                        .expressionAttributeValues(Map.of(":owner", AttributeValue.fromS(Keys.user(userId)))))
                .items().stream();
    }

    /** Deletes one batch, sending again what DynamoDB left unprocessed (throttling) after a growing pause. */
    private void deleteBatch(List<Map<String, AttributeValue>> keys) {
        AtomicReference<List<WriteRequest>> pending = new AtomicReference<>(keys.stream()
                .map(key -> WriteRequest.builder().deleteRequest(DeleteRequest.builder().key(key).build()).build())
                .toList());
        OptimisticRetry.run(() -> {
            Map<String, List<WriteRequest>> unprocessed = dynamo.batchWriteItem(request -> request
                    .requestItems(Map.of(table, pending.get()))).unprocessedItems();
            pending.set(unprocessed == null ? List.of() : unprocessed.getOrDefault(table, List.of()));
            return pending.get().isEmpty() ? Optional.of(true) : Optional.empty();
        }, () -> new IllegalStateException("DynamoDB left " + pending.get().size() + " deletes unprocessed after "
                + OptimisticRetry.MAX_ATTEMPTS + " attempts"));
    }
}
