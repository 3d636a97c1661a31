package dev.userservice.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.UnaryOperator;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/**
 * The reference of every cold start, measured in the same run: {@code bench/reference}'s plain AWS SDK v2 handler
 * (no framework; one {@code GetItem} behind an API Gateway event, as the AWS serverless-java-frameworks samples'
 * GetProductById), its jar, its table with one product in the benchmark's DynamoDB Local, and its event.
 */
record Reference(Path jar, Map<String, String> environment, String event) {
    static final String NAME = "reference (plain SDK v2 GetItem)";
    static final String HANDLER = "dev.userservice.bench.reference.RuntimeSerialization";
    /** The same handler with SnapStart's hooks, primed as AWS's samples prime: for the restore runs. */
    static final String SNAPSTART_HANDLER = "dev.userservice.bench.reference.SnapStartRuntimeSerialization";
    static final String TABLE = "ReferenceProducts";
    static final String PRODUCT_ID = "reference-1";

    /**
     * Creates the table and its product; {@code functionEnvironment} is any function's (its region, credentials and
     * DynamoDB endpoint are the reference's too), and {@code measuredEnvironment} makes the measured JVM's of it, as
     * for the functions.
     */
    static Reference prepare(Path root, Map<String, String> functionEnvironment, UnaryOperator<Map<String, String>> measuredEnvironment) {
        Path jar = root.resolve("bench/reference/target/reference.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("bench: " + jar + " is missing (./mvnw -B package builds it)");
        }
        try (DynamoDbClient dynamo = Fixtures.dynamoDb(functionEnvironment)) {
            if (!dynamo.listTables().tableNames().contains(TABLE)) {
                dynamo.createTable(table -> table.tableName(TABLE).billingMode(BillingMode.PAY_PER_REQUEST)
                        .attributeDefinitions(key -> key.attributeName("PK").attributeType(ScalarAttributeType.S))
                        .keySchema(key -> key.attributeName("PK").keyType(KeyType.HASH)));
            }
            dynamo.putItem(item -> item.tableName(TABLE).item(Map.of("PK", AttributeValue.fromS(PRODUCT_ID),
                    "name", AttributeValue.fromS("Reference product"), "price", AttributeValue.fromN("9.99"))));
        }
        // What Lambda sets, and where the SDK finds the local DynamoDB without a line of code for it.
        Map<String, String> environment = Map.of(
                "AWS_REGION", functionEnvironment.get("AWS_REGION"),
                "AWS_ACCESS_KEY_ID", functionEnvironment.get("AWS_ACCESS_KEY_ID"),
                "AWS_SECRET_ACCESS_KEY", functionEnvironment.get("AWS_SECRET_ACCESS_KEY"),
                "AWS_LAMBDA_FUNCTION_NAME", "ReferenceGetProductById",
                "AWS_ENDPOINT_URL_DYNAMODB", functionEnvironment.get("DYNAMODB_ENDPOINT"),
                "PRODUCT_TABLE_NAME", TABLE);
        return new Reference(jar, measuredEnvironment.apply(environment), Fixtures.read(root.resolve("bench/reference/get-product-by-id.json")));
    }

    /**
     * The reference as a function run with the same memory flags and timeout as the function it pairs; for a restore
     * run ({@code snapStart}), with its SnapStart hooks.
     */
    Functions.Function function(Functions.Function paired, boolean snapStart) {
        return new Functions.Function(NAME, jar, snapStart ? SNAPSTART_HANDLER : HANDLER, paired.memoryMb(),
                paired.timeoutSeconds(), Path.of("bench/reference/get-product-by-id.json"));
    }
}
