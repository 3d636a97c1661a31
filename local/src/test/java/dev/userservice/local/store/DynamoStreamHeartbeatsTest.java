package dev.userservice.local.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.userservice.store.DynamoStreamHeartbeats;
import dev.userservice.store.Item;
import dev.userservice.store.Keys;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The heartbeat items against DynamoDB Local: each beat a new item (an insert, which the consumers' filters pass;
 * an overwrite would reach the stream as a change they do not), typed for those filters and expiring by the table's
 * TTL a day later; priming writes none.
 */
class DynamoStreamHeartbeatsTest {
    private final DynamoDbClient dynamo = DynamoDbLocalTable.client();
    private final DynamoStreamHeartbeats heartbeats = new DynamoStreamHeartbeats(dynamo, DynamoDbLocalTable.TABLE);

    @Test
    void eachBeatIsAnItemOfItsOwnThatExpiresADayLater() {
        Instant first = Instant.now();
        Instant second = first.plus(Duration.ofMinutes(15));

        heartbeats.beat(first);
        heartbeats.beat(second);

        for (Instant at : new Instant[] {first, second}) {
            assertEquals(Map.of(Item.PK, AttributeValue.fromS(Keys.HEARTBEAT), Item.SK, AttributeValue.fromS(at.toString()),
                            Item.TYPE, AttributeValue.fromS("heartbeat"),
                            Item.EXPIRES_AT, AttributeValue.fromN(Long.toString(at.plus(Duration.ofDays(1)).getEpochSecond()))),
                    dynamo.getItem(request -> request.tableName(DynamoDbLocalTable.TABLE)
                            .key(Item.keyOf(Keys.HEARTBEAT, at.toString())).consistentRead(true)).item());
        }
    }

    @Test
    void primingWritesNoBeat() {
        int before = beats();

        heartbeats.prime();

        assertEquals(before, beats());
    }

    private int beats() {
        return dynamo.query(request -> request.tableName(DynamoDbLocalTable.TABLE).consistentRead(true)
                .keyConditionExpression(Item.PK + " = :beats")
                .expressionAttributeValues(Map.of(":beats", AttributeValue.fromS(Keys.HEARTBEAT)))).count();
    }
}
