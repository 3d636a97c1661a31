package dev.userservice.store;

import dev.userservice.auth.PublishedKeySetStore;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * The published key set as one item, {@code KEYSET}/{@code PUBLISHED}: the signed set and the instant its signing
 * set was read (in milliseconds, so a later read always wins), which the conditional put compares.
 */
public final class DynamoPublishedKeySet implements PublishedKeySetStore {
    private static final String PARTITION = "KEYSET";
    private static final String SORT_KEY = "PUBLISHED";
    private static final String SIGNED_SET = "signed_set";
    private static final String READ_AT = "read_at_ms";

    private final DynamoDbClient dynamo;
    private final String table;

    public DynamoPublishedKeySet(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    @Override
    public Optional<String> read() {
        Map<String, AttributeValue> item = dynamo.getItem(request -> request.tableName(table)
                .key(Item.keyOf(PARTITION, SORT_KEY)).consistentRead(true)).item();
        return item == null || item.isEmpty() ? Optional.empty() : Item.of(item).optionalString(SIGNED_SET);
    }

    @Override
    public boolean publish(String signedSet, Instant readAt) {
        Item item = Item.key(PARTITION, SORT_KEY).put(Item.TYPE, "published_key_set").put(SIGNED_SET, signedSet)
                .putNumber(READ_AT, readAt.toEpochMilli());
        try {
            dynamo.putItem(request -> request.tableName(table).item(item.values())
                    .conditionExpression("attribute_not_exists(" + Item.PK + ") OR #readAt < :readAt")
                    .expressionAttributeNames(Map.of("#readAt", READ_AT))
                    .expressionAttributeValues(Map.of(":readAt", Item.epochMillis(readAt))));
            return true;
        } catch (ConditionalCheckFailedException newerPublished) {
            return false;
        }
    }
}
