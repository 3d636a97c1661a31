package dev.userservice.store;

import dev.userservice.health.StreamHeartbeats;
import dev.userservice.triggers.StreamHeartbeat;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/** The stream's heartbeats in the table: one item a beat, {@code HEARTBEAT} / its instant, gone a day later by TTL. */
public final class DynamoStreamHeartbeats implements StreamHeartbeats {
    private final DynamoDbClient dynamo;
    private final String table;

    public DynamoStreamHeartbeats(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    @Override
    public void beat(Instant at) {
        dynamo.putItem(request -> request.tableName(table).item(item(at.toString(), at)));
    }

    /**
     * A beat conditioned on its item existing already, under a key no beat has: DynamoDB refuses it after the whole
     * round trip and writes nothing. A dry run would stop before the connection, and the function may not read the
     * table to open one.
     */
    @Override
    public void prime() {
        try {
            dynamo.putItem(request -> request.tableName(table).item(item("priming-" + UUID.randomUUID(), Instant.now()))
                    .conditionExpression("attribute_exists(" + Item.PK + ")"));
        } catch (ConditionalCheckFailedException refused) {
            return;
        }
        throw new IllegalStateException("priming's beat under a key that cannot exist was not refused");
    }

    private static Map<String, AttributeValue> item(String sortKey, Instant at) {
        return Item.key(Keys.HEARTBEAT, sortKey)
                .put(Item.TYPE, StreamHeartbeat.ITEM_TYPE)
                .expiresAt(at.plus(StreamHeartbeat.KEPT))
                .values();
    }
}
