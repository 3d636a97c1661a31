package dev.userservice.store;

import dev.userservice.events.OutboxRecord;
import dev.userservice.events.UserEvent;
import dev.userservice.json.Json;
import java.time.Duration;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

/**
 * The outbox: an event is an item written in the same transaction as its change. The table's stream carries the
 * item to the publisher, which sends it to the {@code user-events} queue. The item expires after the stream's
 * 24-hour retention, with a margin, since the stream and not the item is what gets published; a token mail's item
 * loses its token once published ({@link OutboxTokens}).
 */
public final class Outbox {
    /** The item type the publisher's stream filter selects. */
    public static final String ITEM_TYPE = OutboxRecord.ITEM_TYPE;
    /** The attribute holding the event's JSON. */
    public static final String EVENT = "event";
    static final String SORT_KEY = "EVENT";
    private static final Duration KEPT = Duration.ofDays(2);

    private Outbox() {}

    public static TransactWriteItem put(String table, UserEvent event) {
        Item item = Item.key(Keys.outbox(event.eventId()), SORT_KEY)
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
}
