package dev.userservice.local.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.userservice.store.DynamoPublishedKeySet;
import dev.userservice.store.Item;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** The published key set's item against DynamoDB Local: only a set read later replaces the one published. */
class DynamoPublishedKeySetTest {
    private static final Instant READ_AT = Instant.parse("2026-12-05T20:00:00.500Z");

    private final DynamoDbClient dynamo = DynamoDbLocalTable.client();
    private final DynamoPublishedKeySet published = new DynamoPublishedKeySet(dynamo, DynamoDbLocalTable.TABLE);

    @BeforeEach
    void nothingPublished() {
        dynamo.deleteItem(request -> request.tableName(DynamoDbLocalTable.TABLE).key(Item.keyOf("KEYSET", "PUBLISHED")));
    }

    @Test
    void beforeTheFirstPublicationThereIsNothingToRead() {
        assertEquals(Optional.empty(), published.read());
    }

    @Test
    void aSetReadLaterReplacesThePublishedOne() {
        assertTrue(published.publish("first", READ_AT));
        assertTrue(published.publish("second", READ_AT.plusMillis(1)));

        assertEquals(Optional.of("second"), published.read());
    }

    @Test
    void aSetReadEarlierOrAtTheSameInstantDoesNot() {
        assertTrue(published.publish("newer", READ_AT));

        assertFalse(published.publish("older", READ_AT.minusMillis(1)));
        assertFalse(published.publish("same instant", READ_AT));
        assertEquals(Optional.of("newer"), published.read());
    }
}
