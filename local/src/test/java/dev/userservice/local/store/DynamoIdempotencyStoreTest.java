package dev.userservice.local.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.userservice.http.IdempotencyStore.Claim;
import dev.userservice.http.IdempotencyStore.Claimed;
import dev.userservice.http.IdempotencyStore.Existing;
import dev.userservice.store.DynamoIdempotencyStore;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The idempotency records' conditions as DynamoDB Local evaluates them, on the template's table. */
class DynamoIdempotencyStoreTest {
    private static final Instant NOW = Instant.parse("2026-11-23T10:00:00Z");
    private static final byte[] RESPONSE = {1, 2, 3};

    private final DynamoIdempotencyStore store = new DynamoIdempotencyStore(DynamoDbLocalTable.client(), DynamoDbLocalTable.TABLE);

    @Test
    void aCompletedRecordIsReplayedUntilItExpires() {
        String id = UUID.randomUUID().toString();
        claim(id, "first", NOW);
        store.complete(id, RESPONSE);

        Existing existing = assertInstanceOf(Existing.class, claim(id, "second", NOW.plus(Duration.ofHours(23))));
        assertEquals("first", existing.fingerprint());
        assertArrayEquals(RESPONSE, existing.response());
    }

    @Test
    void anExpiredRecordThatTtlHasNotDeletedYetCountsAsGone() {
        String id = UUID.randomUUID().toString();
        claim(id, "first", NOW);
        store.complete(id, RESPONSE);

        assertInstanceOf(Claimed.class, claim(id, "second", NOW.plus(Duration.ofHours(25))));
    }

    @Test
    void aRecordInProgressIsHeldUntilItsLeaseRunsOut() {
        String id = UUID.randomUUID().toString();
        claim(id, "first", NOW);

        assertInstanceOf(Existing.class, claim(id, "second", NOW.plusSeconds(30)));
        assertInstanceOf(Claimed.class, claim(id, "second", NOW.plusSeconds(61)));
    }

    private Claim claim(String id, String fingerprint, Instant at) {
        return store.claim(id, fingerprint, at, at.plusSeconds(60), at.plus(Duration.ofHours(24)));
    }
}
