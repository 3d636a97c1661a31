package dev.userservice.local;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** LocalIamTest's function: one DynamoDB call, answering "ok" or the error code AWS (or the runner) gave. */
public final class ListTablesHandler implements RequestStreamHandler {
    private final DynamoDbClient dynamo;

    public ListTablesHandler(Map<String, String> environment) {
        this.dynamo = LocalService.dynamoDb(URI.create(environment.get("DYNAMODB_ENDPOINT")));
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        String answer;
        try {
            dynamo.listTables();
            answer = "ok";
        } catch (AwsServiceException e) {
            answer = e.awsErrorDetails().errorCode();
        }
        output.write(answer.getBytes(StandardCharsets.UTF_8));
    }
}
