package dev.userservice.store;

import dev.userservice.events.OutboxRecord;
import dev.userservice.events.PublishedTokens;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * Takes the token out of a published token mail's outbox item. The item is rewritten only if it still holds the
 * event as written, so an item already expired is not recreated; the change is a MODIFY on the stream, which the
 * outbox's consumers, selecting new items only, never see.
 */
public final class OutboxTokens implements PublishedTokens {
    private final DynamoDbClient dynamo;
    private final String table;

    public OutboxTokens(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    @Override
    public void forget(OutboxRecord published) {
        try {
            dynamo.updateItem(request -> request.tableName(table)
                    .key(Item.keyOf(published.partitionKey(), published.sortKey()))
                    .updateExpression("SET #event = :forgotten")
                    .conditionExpression("#event = :written")
                    .expressionAttributeNames(Map.of("#event", Outbox.EVENT))
                    .expressionAttributeValues(Map.of(
                            ":forgotten", AttributeValue.fromS(published.withoutToken()),
                            ":written", AttributeValue.fromS(published.eventJson()))));
        } catch (ConditionalCheckFailedException gone) {
            // Expired, or forgotten by an earlier attempt: no token left either way.
        }
    }
}
