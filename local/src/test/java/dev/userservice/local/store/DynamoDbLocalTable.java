package dev.userservice.local.store;

import com.amazonaws.services.dynamodbv2.local.main.ServerRunner;
import com.amazonaws.services.dynamodbv2.local.server.DynamoDBProxyServer;
import dev.userservice.store.Item;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.UUID;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/**
 * The service's table on DynamoDB Local alone, for the adapters' integration tests: no functions, queues or cache.
 * One in-memory DynamoDB Local serves the whole JVM; each fixture gets a table of its own, so test classes never see
 * each other's items. The table has the template's primary key only: adapters whose requests read an index need
 * the template's whole table, which the local runner creates.
 */
final class DynamoDbLocalTable implements AutoCloseable {
    private static URI endpoint;

    private final DynamoDbClient dynamo;
    private final String name;

    private DynamoDbLocalTable(DynamoDbClient dynamo, String name) {
        this.dynamo = dynamo;
        this.name = name;
    }

    /** A new, empty table with the template's primary key, on the JVM's DynamoDB Local (started on first use). */
    static DynamoDbLocalTable create() {
        DynamoDbClient dynamo = DynamoDbClient.builder()
                .endpointOverride(server())
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .httpClient(UrlConnectionHttpClient.create())
                .build();
        String name = "test-" + UUID.randomUUID();
        dynamo.createTable(request -> request.tableName(name)
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(
                        AttributeDefinition.builder().attributeName(Item.PK).attributeType(ScalarAttributeType.S).build(),
                        AttributeDefinition.builder().attributeName(Item.SK).attributeType(ScalarAttributeType.S).build())
                .keySchema(
                        KeySchemaElement.builder().attributeName(Item.PK).keyType(KeyType.HASH).build(),
                        KeySchemaElement.builder().attributeName(Item.SK).keyType(KeyType.RANGE).build()));
        return new DynamoDbLocalTable(dynamo, name);
    }

    DynamoDbClient client() {
        return dynamo;
    }

    String name() {
        return name;
    }

    @Override
    public void close() {
        dynamo.deleteTable(request -> request.tableName(name));
        dynamo.close();
    }

    /** Started as the local runner starts it, in memory; it stops with the JVM. */
    private static synchronized URI server() {
        if (endpoint == null) {
            try (ServerSocket socket = new ServerSocket(0)) {
                int port = socket.getLocalPort();
                socket.close();
                System.setProperty("sqlite4java.library.path", buildDirectory().resolve("lib").resolve("native").toString());
                System.setProperty("log4j.shutdownHookEnabled", "false");
                DynamoDBProxyServer server = ServerRunner.createServerFromCommandLineArgs(
                        new String[] {"-port", Integer.toString(port), "-inMemory", "-sharedDb", "-disableTelemetry"});
                server.start();
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    try {
                        server.stop();
                    } catch (Exception e) {
                        // the JVM is going away with it
                    }
                }));
                endpoint = URI.create("http://localhost:" + port);
            } catch (Exception e) {
                throw new IllegalStateException("DynamoDB Local did not start: " + e.getMessage(), e);
            }
        }
        return endpoint;
    }

    /** {@code target/}, where the build puts DynamoDB Local's native libraries beside the test classes. */
    private static Path buildDirectory() throws URISyntaxException {
        return Path.of(DynamoDbLocalTable.class.getProtectionDomain().getCodeSource().getLocation().toURI()).getParent();
    }
}
