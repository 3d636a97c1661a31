package dev.userservice.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
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
 * The SDK's client is built at the first call, once, and every operation the stores use reaches it, in both of the
 * SDK's forms (a request, or a builder's consumer). The stores' own tests show the operations against DynamoDB Local;
 * this shows the deferral, with a client that records what reaches it.
 */
class FirstUseDynamoDbClientTest {
    private final List<String> reached = new ArrayList<>();
    private int builds;

    @Test
    void theClientIsBuiltAtTheFirstCallOnceAndEveryOperationOfTheStoresReachesIt() {
        FirstUseDynamoDbClient client = new FirstUseDynamoDbClient(() -> {
            builds++;
            return new Recording();
        });
        assertEquals(0, builds, "nothing built before a call");

        client.getItem(request -> request.tableName("t"));
        client.batchGetItem(BatchGetItemRequest.builder().build());
        client.query(request -> request.tableName("t"));
        client.queryPaginator(request -> request.tableName("t")).iterator().next();
        client.putItem(request -> request.tableName("t"));
        client.updateItem(request -> request.tableName("t"));
        client.deleteItem(request -> request.tableName("t"));
        client.batchWriteItem(BatchWriteItemRequest.builder().build());
        client.transactWriteItems(request -> request.clientRequestToken("x"));

        assertEquals(1, builds);
        assertEquals(List.of("getItem", "batchGetItem", "query", "query", "putItem", "updateItem", "deleteItem", "batchWriteItem",
                "transactWriteItems"), reached);
    }

    /** Answers every operation the stores use with an empty response, naming it. */
    private final class Recording implements DynamoDbClient {
        @Override
        public GetItemResponse getItem(GetItemRequest request) {
            reached.add("getItem");
            return GetItemResponse.builder().build();
        }

        @Override
        public BatchGetItemResponse batchGetItem(BatchGetItemRequest request) {
            reached.add("batchGetItem");
            return BatchGetItemResponse.builder().build();
        }

        @Override
        public QueryResponse query(QueryRequest request) {
            reached.add("query");
            return QueryResponse.builder().build();
        }

        @Override
        public PutItemResponse putItem(PutItemRequest request) {
            reached.add("putItem");
            return PutItemResponse.builder().build();
        }

        @Override
        public UpdateItemResponse updateItem(UpdateItemRequest request) {
            reached.add("updateItem");
            return UpdateItemResponse.builder().build();
        }

        @Override
        public DeleteItemResponse deleteItem(DeleteItemRequest request) {
            reached.add("deleteItem");
            return DeleteItemResponse.builder().build();
        }

        @Override
        public BatchWriteItemResponse batchWriteItem(BatchWriteItemRequest request) {
            reached.add("batchWriteItem");
            return BatchWriteItemResponse.builder().build();
        }

        @Override
        public TransactWriteItemsResponse transactWriteItems(TransactWriteItemsRequest request) {
            reached.add("transactWriteItems");
            return TransactWriteItemsResponse.builder().build();
        }

        @Override
        public String serviceName() {
            return SERVICE_NAME;
        }

        @Override
        public void close() {
        }
    }
}
