package dev.userservice.store;

import dev.userservice.health.HealthCheck;
import java.util.function.Supplier;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** The health check's database probe: a read of a key no item has, which proves the table answers without reading data. */
public final class DynamoHealthProbe {
    private static final String PROBE_KEY = "HEALTH";

    private DynamoHealthProbe() {}

    /** {@code dynamo} is asked for its client only when the probe runs. */
    public static HealthCheck.Probe of(Supplier<DynamoDbClient> dynamo, String table) {
        return () -> {
            dynamo.get().getItem(request -> request.tableName(table).key(Item.keyOf(PROBE_KEY, PROBE_KEY)));
            return true;
        };
    }
}
