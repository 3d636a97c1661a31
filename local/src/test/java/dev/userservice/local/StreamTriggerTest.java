package dev.userservice.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.userservice.json.Json;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The runner's stream triggers behave as Lambda's event source mapping does: a record a partial batch response keeps
 * naming is retried, with the records after it in its batch, MaximumRetryAttempts times (no bisection: the response
 * already says where the batch failed), then those records' failure record goes to the on-failure destination.
 */
class StreamTriggerTest {

    @Test
    void aRecordThatKeepsFailingIsRetriedThenGoesToTheFailureDestination() throws Exception {
        RecordingStreamHandler.PROCESSED.clear();
        RecordingStreamHandler.FAILED.clear();
        try (LocalService service = LocalService.start(LocalOptions.inMemory().withTemplate(template()));
             DynamoDbClient dynamo = LocalService.dynamoDb(service.dynamoDbEndpoint());
             SqsClient sqs = LocalService.sqs(service.sqsEndpoint())) {
            dynamo.batchWriteItem(request -> request.requestItems(Map.of("WorkTable", List.of("first", "bad one", "after").stream()
                    .map(pk -> WriteRequest.builder().putRequest(PutRequest.builder().item(Map.of("pk", AttributeValue.fromS(pk))).build()).build())
                    .toList())));
            String failures = sqs.getQueueUrl(request -> request.queueName("WorkFailuresQueue")).queueUrl();

            List<Map<String, Object>> records = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (records.isEmpty() && System.nanoTime() < deadline) {
                sqs.receiveMessage(request -> request.queueUrl(failures).maxNumberOfMessages(10).waitTimeSeconds(1))
                        .messages().forEach(message -> records.add(Json.parseObject(message.body())));
            }

            assertEquals(1, records.size(), "failure records: " + records);
            Map<?, ?> context = (Map<?, ?>) records.getFirst().get("requestContext");
            Map<?, ?> batch = (Map<?, ?>) records.getFirst().get("DDBStreamBatchInfo");
            assertEquals("RetryAttemptsExhausted", context.get("condition"));
            assertTrue(String.valueOf(context.get("functionArn")).matches("arn:aws:lambda:[a-z0-9-]+:\\d{12}:function:RecorderFunction"),
                    String.valueOf(context.get("functionArn")));
            List<String> failed = List.copyOf(RecordingStreamHandler.FAILED);
            assertEquals(3, failed.size(), "delivered once and retried twice: " + failed);
            assertEquals(1, failed.stream().distinct().count());
            assertEquals(failed.getFirst(), batch.get("startSequenceNumber"));
            assertEquals("first", RecordingStreamHandler.PROCESSED.peek());
        }
    }

    private static Path template() throws URISyntaxException {
        return Path.of(Objects.requireNonNull(StreamTriggerTest.class.getResource("/stream-trigger-template.yaml")).toURI());
    }
}
