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
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemResponse;

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

    /**
     * The SDK sends a write again when an attempt's answer is lost: here the claim's first attempt commits and its
     * answer is lost, and the retry meets the record it wrote. The call is the claimant, not another request.
     */
    @Test
    void aClaimWhoseRetryMeetsItsOwnCommittedAttemptIsClaimed() {
        DynamoDbClient table = DynamoDbLocalTable.client();
        DynamoDbClient answerLostOnce = new DynamoDbClient() {
            @Override
            public PutItemResponse putItem(PutItemRequest request) {
                table.putItem(request);
                return table.putItem(request);
            }

            @Override
            public String serviceName() {
                return table.serviceName();
            }

            @Override
            public void close() {}
        };
        String id = UUID.randomUUID().toString();

        assertInstanceOf(Claimed.class, new DynamoIdempotencyStore(answerLostOnce, DynamoDbLocalTable.TABLE)
                .claim(id, "first", NOW, NOW.plusSeconds(60), NOW.plus(Duration.ofHours(24))));
        assertInstanceOf(Existing.class, claim(id, "first", NOW.plusSeconds(1)), "another request with the key still waits");
    }

    private Claim claim(String id, String fingerprint, Instant at) {
        return store.claim(id, fingerprint, at, at.plusSeconds(60), at.plus(Duration.ofHours(24)));
    }
}
