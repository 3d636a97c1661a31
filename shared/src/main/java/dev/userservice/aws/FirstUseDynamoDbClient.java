package dev.userservice.aws;

import dev.userservice.concurrency.Once;
import java.util.function.Supplier;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemResponse;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsResponse;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemResponse;

/**
 * The SDK's DynamoDB client, built at its first call rather than when the stores holding it are. Building it loads
 * about 900 classes and takes a third of a cold start; a request the cache answers whole (a session marker and a
 * cached view) never needs it, so a function's cold start pays for it only when a request reaches the table.
 * SnapStart's priming calls it, so a snapshot holds it built. It answers the operations the stores use (the
 * interface's other methods, and the {@code Consumer<Builder>} forms, which build a request and come here, are the
 * SDK's defaults); any other operation is the SDK's {@code UnsupportedOperationException}, which a test meets first.
 */
public final class FirstUseDynamoDbClient implements DynamoDbClient {
    private final Supplier<DynamoDbClient> builder;
    private final Once<DynamoDbClient> client = new Once<>();

    public FirstUseDynamoDbClient(Supplier<DynamoDbClient> builder) {
        this.builder = builder;
    }

    private DynamoDbClient client() {
        return client.get(builder);
    }

    @Override
    public GetItemResponse getItem(GetItemRequest request) {
        return client().getItem(request);
    }

    @Override
    public BatchGetItemResponse batchGetItem(BatchGetItemRequest request) {
        return client().batchGetItem(request);
    }

    @Override
    public QueryResponse query(QueryRequest request) {
        return client().query(request);
    }

    @Override
    public PutItemResponse putItem(PutItemRequest request) {
        return client().putItem(request);
    }

    @Override
    public UpdateItemResponse updateItem(UpdateItemRequest request) {
        return client().updateItem(request);
    }

    @Override
    public DeleteItemResponse deleteItem(DeleteItemRequest request) {
        return client().deleteItem(request);
    }

    @Override
    public BatchWriteItemResponse batchWriteItem(BatchWriteItemRequest request) {
        return client().batchWriteItem(request);
    }

    @Override
    public TransactWriteItemsResponse transactWriteItems(TransactWriteItemsRequest request) {
        return client().transactWriteItems(request);
    }

    @Override
    public String serviceName() {
        return SERVICE_NAME;
    }

    @Override
    public void close() {
        client.ifBuilt(DynamoDbClient::close);
    }
}
