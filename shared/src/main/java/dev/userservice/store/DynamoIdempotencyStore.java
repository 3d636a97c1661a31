package dev.userservice.store;

import dev.userservice.http.IdempotencyStore;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;

/** Idempotency records in the single table, expiring through its TTL. */
public final class DynamoIdempotencyStore implements IdempotencyStore {
    private static final String SK = "IDEMPOTENCY";

    private final DynamoDbClient dynamo;
    private final String table;

    public DynamoIdempotencyStore(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    /**
     * Claims the key, or answers the record that holds it. The claim carries a value of this call's own: the SDK
     * sends a write again when an attempt's answer is lost (a timeout, a reset connection), and the attempt that
     * committed would otherwise make its own retry fail the condition and answer the caller's request as another's.
     */
    @Override
    public Claim claim(String id, String fingerprint, Instant now, Instant leaseUntil, Instant expiresAt) {
        String claimant = UUID.randomUUID().toString();
        Item record = Item.key(Keys.idempotency(id), SK)
                .put(Item.TYPE, "idempotency")
                .put("status", "in_progress")
                .put("claimant", claimant)
                .put("fingerprint", fingerprint)
                .putNumber("lease_until", leaseUntil.toEpochMilli())
                .expiresAt(expiresAt);
        try {
            dynamo.putItem(request -> request.tableName(table).item(record.values())
                    // TTL deletes expired items only within a day or two; until then they count as gone.
                    .conditionExpression("attribute_not_exists(" + Item.PK + ") OR " + Item.EXPIRES_AT + " <= :now_seconds"
                            + " OR (#status = :in_progress AND lease_until < :now)")
                    .expressionAttributeNames(Map.of("#status", "status"))
                    .expressionAttributeValues(Map.of(
                            ":in_progress", AttributeValue.fromS("in_progress"),
                            ":now", Item.epochMillis(now),
                            ":now_seconds", AttributeValue.fromN(Long.toString(now.getEpochSecond()))))
                    .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD));
            return new Claimed();
        } catch (ConditionalCheckFailedException e) {
            Item existing = Item.of(e.item());
            if (existing.optionalString("claimant").filter(claimant::equals).isPresent()) {
                return new Claimed();
            }
            return new Existing(existing.string("fingerprint"), existing.bytes("response").orElse(null));
        }
    }

    @Override
    public void complete(String id, byte[] response) {
        dynamo.updateItem(request -> request.tableName(table)
                .key(Item.keyOf(Keys.idempotency(id), SK))
                .updateExpression("SET #status = :completed, #response = :response REMOVE lease_until")
                .expressionAttributeNames(Map.of("#status", "status", "#response", "response"))
                .expressionAttributeValues(Map.of(
                        ":completed", AttributeValue.fromS("completed"),
                        ":response", AttributeValue.fromB(software.amazon.awssdk.core.SdkBytes.fromByteArray(response)))));
    }

    @Override
    public void release(String id) {
        dynamo.deleteItem(request -> request.tableName(table).key(Item.keyOf(Keys.idempotency(id), SK)));
    }
}
