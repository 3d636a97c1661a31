package dev.userservice.store;

import dev.userservice.events.OutboxRecord;
import dev.userservice.events.UserEvent;
import dev.userservice.json.Json;
import java.time.Duration;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

/**
 * The outbox: an event is an item written in the same transaction as its change. The table's stream carries the
 * item to the publisher, which sends it to the {@code user-events} queue. The item expires after the stream's
 * 24-hour retention, with a margin, since the stream and not the item is what gets published; a token mail's item
 * loses its token once published ({@link OutboxTokens}).
 *
 * <p>A user's outbox items share one partition key, {@code OUTBOX#<user id>}, one item per event beneath it. The
 * stream keeps the order of changes only within a partition: each partition has its own shard, and Lambda reads
 * the shards side by side. Keyed by event, one user's events would spread over the table's partitions and reach the
 * publisher, and the FIFO queue, in whatever order the shards were read.
 */
public final class Outbox {
    /** The item type the publisher's stream filter selects. */
    public static final String ITEM_TYPE = OutboxRecord.ITEM_TYPE;
    /** The attribute holding the event's JSON. */
    public static final String EVENT = "event";
    private static final String SORT_KEY_PREFIX = "EVENT#";
    private static final Duration KEPT = Duration.ofDays(2);

    private Outbox() {}

    public static TransactWriteItem put(String table, UserEvent event) {
        Item item = Item.of(key(event))
                .put(Item.TYPE, ITEM_TYPE)
                .put("user_id", event.userId())
                .put("event_type", event.type().wireName())
                .ownedBy(event.userId())
                .put(EVENT, Json.write(event))
                .expiresAt(event.occurredAt().plus(KEPT));
        return TransactWriteItem.builder()
                .put(Put.builder().tableName(table).item(item.values()).conditionExpression("attribute_not_exists(" + Item.PK + ")").build())
                .build();
    }

    /** The key of {@code event}'s outbox item. */
    public static Map<String, AttributeValue> key(UserEvent event) {
        return Item.keyOf(Keys.outbox(event.userId()), SORT_KEY_PREFIX + event.eventId());
    }
}
