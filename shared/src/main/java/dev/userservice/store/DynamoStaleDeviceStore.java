package dev.userservice.store;

import dev.userservice.devices.StaleDeviceStore;
import java.time.Instant;
import java.time.YearMonth;
import java.util.Collections;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The stale-device index ({@link Item#GSI3}, keys only): a Query of each of one month's partitions below the cutoff,
 * a page at a time; deactivation goes through {@link DynamoDeviceStore}, so it is the same transaction as any other
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
        // An iterator over the partitions, not Stream.flatMap: an iterator over a flatMap reads each partition whole.
        return () -> new Iterator<>() {
            private final Iterator<String> partitions = Keys.devicesSeenIn(month).iterator();
            private Iterator<Seen> partition = Collections.emptyIterator();

            @Override
            public boolean hasNext() {
                while (!partition.hasNext() && partitions.hasNext()) {
                    partition = seenBefore(partitions.next(), before);
                }
                return partition.hasNext();
            }

            @Override
            public Seen next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return partition.next();
            }
        };
    }

    /** One partition's devices, a page at a time: the next page is read only when the pruning gets to it. */
    private Iterator<Seen> seenBefore(String partition, Instant before) {
        return dynamo.queryPaginator(request -> request.tableName(table).indexName(Item.GSI3).limit(PAGE_SIZE)
                        .keyConditionExpression(Item.GSI3_PK + " = :partition AND " + Item.GSI3_SK + " < :before")
                        .expressionAttributeValues(Map.of(
                                ":partition", AttributeValue.fromS(partition),
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
