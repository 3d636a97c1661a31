package dev.userservice.bench.reference;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.EnvironmentVariableCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;

/**
 * The reference the benchmark measures every function against: what a plain Java Lambda function with no framework
 * does for {@code GET /products/{id}}, in the style of the AWS serverless-java-frameworks samples: the client and
 * the object mapper built once, one {@code GetItem}, the item as JSON. The table is {@code PRODUCT_TABLE_NAME}; the
 * SDK finds a local DynamoDB through {@code AWS_ENDPOINT_URL_DYNAMODB}, so the code is what would be deployed.
 */
public class GetProductByIdHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {
    private final DynamoDbClient dynamoDb = DynamoDbClient.builder()
            .credentialsProvider(EnvironmentVariableCredentialsProvider.create())
            .region(Region.of(System.getenv("AWS_REGION")))
            .httpClient(UrlConnectionHttpClient.builder().build())
            .build();
    private final ObjectMapper objectMapper = new ObjectMapper();
    private final String table = System.getenv("PRODUCT_TABLE_NAME");

    /** A product as the table holds it. */
    public record Product(String id, String name, String price) {}

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        String id = event.getPathParameters() == null ? null : event.getPathParameters().get("id");
        if (id == null) {
            return answer(400, "{\"message\":\"a product id is required\"}");
        }
        GetItemResponse found = dynamoDb.getItem(request -> request.tableName(table).key(Map.of("PK", AttributeValue.fromS(id))));
        if (!found.hasItem()) {
            return answer(404, "{\"message\":\"no product " + id.replaceAll("[^A-Za-z0-9-]", "") + "\"}");
        }
        Map<String, AttributeValue> item = found.item();
        try {
            return answer(200, objectMapper.writeValueAsString(new Product(id, item.get("name").s(), item.get("price").n())));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the product could not be written as JSON", e);
        }
    }

    private static APIGatewayV2HTTPResponse answer(int status, String body) {
        return APIGatewayV2HTTPResponse.builder().withStatusCode(status)
                .withHeaders(Map.of("Content-Type", "application/json")).withBody(body).build();
    }
}
