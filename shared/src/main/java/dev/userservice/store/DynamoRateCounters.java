package dev.userservice.store;

import dev.userservice.ratelimit.RateCounters;
import java.time.Instant;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;

/** Rate-limit counters in the table, for while the cache is down; TTL removes them after their window. */
public final class DynamoRateCounters implements RateCounters {
    private final DynamoDbClient dynamo;
    private final String table;

    public DynamoRateCounters(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    @Override
    public long increment(String key, Instant expiresAt) {
        Map<String, AttributeValue> updated = dynamo.updateItem(request -> request.tableName(table)
                .key(Item.keyOf(Keys.rateCounter(key), "COUNTER"))
                .updateExpression("ADD #count :one SET " + Item.EXPIRES_AT + " = :expires, #type = :type")
                .expressionAttributeNames(Map.of("#count", "count", "#type", Item.TYPE))
                .expressionAttributeValues(Map.of(
                        ":one", AttributeValue.fromN("1"),
                        ":expires", AttributeValue.fromN(Long.toString(expiresAt.getEpochSecond())),
                        ":type", AttributeValue.fromS("rate_counter")))
                .returnValues(ReturnValue.UPDATED_NEW)).attributes();
        return Long.parseLong(updated.get("count").n());
    }
}
