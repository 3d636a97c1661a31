package dev.userservice.local;

import com.amazonaws.services.dynamodbv2.local.server.DynamoDBProxyServer;
import java.net.URI;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * DynamoDB Local alone, in memory on a free port, with the tables of {@code template.yaml} (named by their logical
 * ids, as the local runner names them): what an adapter's integration test needs, without queues, cache or functions.
 */
public final class LocalDynamoDb implements AutoCloseable {
    private final DynamoDBProxyServer server;
    private final DynamoDbClient client;

    private LocalDynamoDb(DynamoDBProxyServer server, DynamoDbClient client) {
        this.server = server;
        this.client = client;
    }

    /** Starts it with the tables of this checkout's template. */
    public static LocalDynamoDb start() {
        Template template = Template.load(LocalOptions.findTemplate());
        int port = Ports.preferred("127.0.0.1", 0);
        DynamoDBProxyServer server;
        try {
            server = LocalServers.startDynamoDb("127.0.0.1", port, Optional.empty());
        } catch (Exception e) {
            throw new IllegalStateException("DynamoDB Local did not start: " + e.getMessage(), e);
        }
        DynamoDbClient client = LocalService.dynamoDb(URI.create("http://localhost:" + port));
        LocalDeployment.createTables(template, client);
        return new LocalDynamoDb(server, client);
    }

    /** A client of it; closed with it. */
    public DynamoDbClient client() {
        return client;
    }

    @Override
    public void close() {
        client.close();
        try {
            server.stop();
        } catch (Exception e) {
            System.err.println("local: DynamoDB Local did not stop cleanly: " + e.getMessage());
        }
    }
}
