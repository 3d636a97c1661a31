package dev.userservice.local.store;

import dev.userservice.aws.AwsClients;
import dev.userservice.config.ServiceConfig;
import dev.userservice.local.LocalOptions;
import dev.userservice.local.LocalService;
import java.time.Duration;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The template's table in DynamoDB Local, started once for every adapter test of the JVM (the local service in
 * memory, as {@link DynamoIdempotencyStoreTest} starts it) and stopped when the JVM ends. Tests keep apart by
 * using fresh ids and emails, never by emptying the table.
 */
final class DynamoDbLocalTable {
    private static DynamoDbLocalTable shared;

    private final DynamoDbClient dynamo;
    private final ServiceConfig config;

    private DynamoDbLocalTable(DynamoDbClient dynamo, ServiceConfig config) {
        this.dynamo = dynamo;
        this.config = config;
    }

    static synchronized DynamoDbLocalTable get() {
        if (shared == null) {
            LocalService service = LocalService.start(LocalOptions.inMemory());
            ServiceConfig config = ServiceConfig.from(service.functionEnvironment("RegisterFunction"));
            DynamoDbClient dynamo = AwsClients.dynamoDb(config);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                dynamo.close();
                service.close();
            }));
            shared = new DynamoDbLocalTable(dynamo, config);
        }
        return shared;
    }

    DynamoDbClient dynamo() {
        return dynamo;
    }

    String table() {
        return config.tableName();
    }

    Duration sessionIdleTimeout() {
        return config.sessionIdleTimeout();
    }
}
