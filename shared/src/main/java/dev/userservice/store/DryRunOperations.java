package dev.userservice.store;

import dev.userservice.aws.DryRun;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.ConditionCheck;
import software.amazon.awssdk.services.dynamodb.model.Delete;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.DeleteRequest;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.PutItemResponse;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsResponse;
import software.amazon.awssdk.services.dynamodb.model.Update;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemResponse;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * Every table operation the stores make but {@code GetItem} (which priming sends for real, to open the connection),
 * each as a {@link DryRun} on items of a user that cannot exist, in the forms the stores use them (conditions,
 * update expressions, a transaction of each kind of write, a paginated query of an index). The SDK's request path of
 * each operation is a few dozen to a hundred classes; run here before a snapshot, a restored copy's first write or
 * list does not load them. Nothing is sent, so this changes nothing and needs no permission.
 */
public final class DryRunOperations {
    private DryRunOperations() {}

    public static void prepare(DynamoDbClient dynamo, String table, String nobody) {
        String partition = Keys.user(nobody);
        Map<String, AttributeValue> profile = Item.keyOf(partition, Keys.PROFILE);
        Map<String, AttributeValue> device = Item.keyOf(partition, Keys.device(nobody));
        Map<String, AttributeValue> item = Item.key(partition, Keys.PREFERENCES).put(Item.TYPE, "priming").values();
        String absent = "attribute_not_exists(" + Item.PK + ")";
        String present = "attribute_exists(" + Item.PK + ")";
        Map<String, AttributeValue> values = Map.of(":now", AttributeValue.fromN("0"), ":type", AttributeValue.fromS("priming"));

        DryRun.prepare(() -> dynamo.queryPaginator(request -> request.tableName(table).indexName(Item.OWNER_INDEX)
                        .keyConditionExpression(Item.OWNER + " = :owner")
                        .expressionAttributeValues(Map.of(":owner", AttributeValue.fromS(partition)))
                        .projectionExpression(Item.PK + ", " + Item.SK).scanIndexForward(false).limit(1))
                .items().iterator().hasNext());
        DryRun.prepare(() -> dynamo.transactWriteItems(request -> request.transactItems(
                        TransactWriteItem.builder().put(Put.builder().tableName(table).item(item)
                                .conditionExpression(absent).build()).build(),
                        TransactWriteItem.builder().update(Update.builder().tableName(table).key(profile)
                                .updateExpression("SET #type = :type, updated_at = :now REMOVE " + Item.EXPIRES_AT)
                                .conditionExpression(present).expressionAttributeNames(Map.of("#type", Item.TYPE))
                                .expressionAttributeValues(values).build()).build(),
                        TransactWriteItem.builder().delete(Delete.builder().tableName(table).key(device)
                                .conditionExpression(present).build()).build(),
                        TransactWriteItem.builder().conditionCheck(ConditionCheck.builder().tableName(table)
                                .key(Item.keyOf(partition, Keys.DISPLAY_PROFILE)).conditionExpression(absent).build()).build())));
        DryRun.prepare(() -> dynamo.batchWriteItem(request -> request.requestItems(Map.of(table, List.of(
                        WriteRequest.builder().putRequest(PutRequest.builder().item(item).build()).build(),
                        WriteRequest.builder().deleteRequest(DeleteRequest.builder().key(device).build()).build())))));
        DryRun.prepare(() -> dynamo.batchGetItem(request -> request.requestItems(Map.of(table,
                        KeysAndAttributes.builder().keys(profile, device).consistentRead(true).build()))));
        DryRun.prepare(() -> dynamo.putItem(request -> request.tableName(table).item(item).conditionExpression(absent)
                .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD)));
        DryRun.prepare(() -> dynamo.updateItem(request -> request.tableName(table).key(profile)
                .updateExpression("ADD hits :now").expressionAttributeValues(Map.of(":now", AttributeValue.fromN("0")))
                .returnValues(ReturnValue.UPDATED_NEW)));
        DryRun.prepare(() -> dynamo.deleteItem(request -> request.tableName(table).key(device).conditionExpression(present)));

        // A dry run unmarshals no answer: the answers' classes are built here, as an unmarshaller fills them.
        QueryResponse.builder().items(List.of(item)).count(1).lastEvaluatedKey(profile).build();
        TransactWriteItemsResponse.builder().itemCollectionMetrics(Map.of()).build();
        BatchWriteItemResponse.builder().unprocessedItems(Map.of()).build();
        BatchGetItemResponse.builder().responses(Map.of(table, List.of(item))).unprocessedKeys(Map.of()).build();
        PutItemResponse.builder().attributes(item).build();
        UpdateItemResponse.builder().attributes(item).build();
        DeleteItemResponse.builder().attributes(item).build();
    }
}
