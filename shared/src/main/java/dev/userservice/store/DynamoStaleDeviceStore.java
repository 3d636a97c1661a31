package dev.userservice.store;

import dev.userservice.devices.StaleDeviceStore;
import java.time.Instant;
import java.time.YearMonth;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The stale-device index ({@link Item#GSI3}, keys only): a Query of one month's partition below the cutoff, a page
 * at a time; deactivation goes through {@link DynamoDeviceStore}, so it is the same transaction as any other
 * (device, summary on the version read, outbox event).
 */
public final class DynamoStaleDeviceStore implements StaleDeviceStore {
    private static final int PAGE_SIZE = 100;

    private final DynamoDbClient dynamo;
    private final String table;
    private final DynamoDeviceStore devices;

    public DynamoStaleDeviceStore(DynamoDbClient dynamo, String table, DynamoDeviceStore devices) {
        this.dynamo = dynamo;
        this.table = table;
        this.devices = devices;
    }

    @Override
    public Iterable<Seen> seenBefore(YearMonth month, Instant before) {
        return () -> dynamo.queryPaginator(request -> request.tableName(table).indexName(Item.GSI3).limit(PAGE_SIZE)
                        .keyConditionExpression(Item.GSI3_PK + " = :month AND " + Item.GSI3_SK + " < :before")
                        .expressionAttributeValues(Map.of(
                                ":month", AttributeValue.fromS(Keys.devicesSeenIn(month)),
                                ":before", AttributeValue.fromS(Keys.seenBound(before)))))
                .items().stream()
                .map(item -> new Seen(
                        item.get(Item.PK).s().substring(Keys.user("").length()),
                        item.get(Item.SK).s().substring(Keys.DEVICE_PREFIX.length())))
                .iterator();
    }

    @Override
    public Optional<Boolean> deactivateIfStale(Seen device, Instant cutoff, Instant now) {
        return devices.deactivateIfStale(device.userId(), device.deviceId(), cutoff, now);
    }
}
