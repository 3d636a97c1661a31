package dev.userservice.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.userservice.events.EventType;
import dev.userservice.events.OutboxRecord;
import dev.userservice.events.UserEvent;
import dev.userservice.triggers.StreamRecord;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Where the outbox puts a user's events. DynamoDB Local streams every change through one shard, so no end-to-end test
 * can see events of one user spread over shards; in AWS each partition has its own, and only a shared partition key
 * keeps one user's events in the order they were stored.
 */
class OutboxKeysTest {
    private static final Clock CLOCK = Clock.systemUTC();

    @Test
    void aUsersEventsShareOnePartitionSoTheStreamKeepsTheirOrder() {
        Map<String, AttributeValue> registered = written(UserEvent.of(EventType.USER_REGISTERED, "user-1", Map.of(), CLOCK));
        Map<String, AttributeValue> updated = written(UserEvent.of(EventType.USER_UPDATED, "user-1", Map.of(), CLOCK));
        Map<String, AttributeValue> another = written(UserEvent.of(EventType.USER_UPDATED, "user-2", Map.of(), CLOCK));

        assertEquals("OUTBOX#user-1", registered.get(Item.PK).s());
        assertEquals(registered.get(Item.PK), updated.get(Item.PK));
        assertNotEquals(registered.get(Item.SK), updated.get(Item.SK), "one item per event");
        assertNotEquals(registered.get(Item.PK), another.get(Item.PK));
    }

    @Test
    void theStreamNamesTheItemTheOutboxWrote() {
        UserEvent event = UserEvent.of(EventType.USER_PASSWORD_RESET_REQUESTED, "user-1", Map.of(), CLOCK);
        Map<String, AttributeValue> item = written(event);
        Map<String, Object> image = new HashMap<>();
        item.forEach((name, value) -> image.put(name, value.s() != null ? Map.of("S", value.s()) : Map.of("N", value.n())));

        OutboxRecord read = OutboxRecord.read(new StreamRecord("1", "INSERT", "5", image)).orElseThrow();

        assertEquals(Outbox.key(event), Map.of(Item.PK, item.get(Item.PK), Item.SK, item.get(Item.SK)));
        assertEquals(item.get(Item.PK).s(), read.partitionKey());
        assertEquals(item.get(Item.SK).s(), read.sortKey());
        assertEquals(event.eventId(), read.eventId());
    }

    private static Map<String, AttributeValue> written(UserEvent event) {
        return Outbox.put("table", event).put().item();
    }
}
