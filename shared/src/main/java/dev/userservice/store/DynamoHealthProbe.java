package dev.userservice.store;

import dev.userservice.health.HealthCheck;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** The health check's database probe: a read of a key no item has, which proves the table answers without reading data. */
public final class DynamoHealthProbe implements HealthCheck.Probe {
    private static final String PROBE_KEY = "HEALTH";

    private final DynamoDbClient dynamo;
    private final String table;

    public DynamoHealthProbe(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    @Override
    public boolean call() {
        dynamo.getItem(request -> request.tableName(table).key(Item.keyOf(PROBE_KEY, PROBE_KEY)));
        return true;
    }
}
