package dev.userservice.local.store;

import dev.userservice.local.LocalDynamoDb;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * DynamoDB Local alone with the template's table, started once per JVM and shared by the adapters' integration
 * tests (each test writes under ids of its own, so they need no clean table).
 */
public final class DynamoDbLocalTable {
    /** The table's logical id in {@code template.yaml}, which is its name locally. */
    public static final String TABLE = "Table";

    private static LocalDynamoDb started;

    private DynamoDbLocalTable() {}

    /** A client of the shared DynamoDB Local, started on first use and stopped when the JVM exits. */
    public static synchronized DynamoDbClient client() {
        if (started == null) {
            LocalDynamoDb dynamo = LocalDynamoDb.start();
            Runtime.getRuntime().addShutdownHook(new Thread(dynamo::close));
            started = dynamo;
        }
        return started.client();
    }
}
