package dev.userservice.local.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.userservice.health.CounterChange;
import dev.userservice.health.CounterStore;
import dev.userservice.store.DynamoCounterStore;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsResponse;

/** The service counters on DynamoDB Local: a change applied again (a replayed stream record) counts once. */
class DynamoCounterStoreTest {
    private final DynamoCounterStore store = new DynamoCounterStore(DynamoDbLocalTable.client(), DynamoDbLocalTable.TABLE);
    private final String counter = "test." + UUID.randomUUID();

    @Test
    void aReplayedChangeCountsOnce() {
        String changeId = UUID.randomUUID().toString();
        List<CounterStore.Delta> deltas = List.of(new CounterStore.Delta(counter, 1, null));

        assertTrue(store.apply(changeId, deltas));
        assertFalse(store.apply(changeId, deltas), "the same stream record again");
        assertTrue(store.apply(UUID.randomUUID().toString(), List.of(new CounterStore.Delta(counter, -1, null))));
        assertTrue(store.apply(UUID.randomUUID().toString(), deltas));

        assertEquals(1L, store.read().get(counter));
    }

    /**
     * A batch's changes share transactions of up to 100 items, their deltas summed per counter: a hundred and fifty
     * statuses of one hour move its counter in two writes, not a hundred and fifty.
     */
    @Test
    void aBatchMovesEachCounterOncePerTransaction() {
        String other = counter + ".other";
        List<CounterChange> batch = new ArrayList<>();
        for (int i = 0; i < 150; i++) {
            batch.add(new CounterChange(UUID.randomUUID().toString(), i % 2 == 0
                    ? List.of(new CounterStore.Delta(counter, 1, null))
                    : List.of(new CounterStore.Delta(counter, 1, null), new CounterStore.Delta(other, 2, null))));
        }
        AtomicInteger transactions = new AtomicInteger();
        DynamoCounterStore counting = new DynamoCounterStore(countingTransactions(transactions), DynamoDbLocalTable.TABLE);

        counting.applyAll(batch);

        assertEquals(2, transactions.get(), "98 changes' markers and their two counters, then the other 52");
        assertEquals(150L, store.read().get(counter));
        assertEquals(150L, store.read().get(other));
    }

    /** A batch delivered again after a failure part way (some of it applied, some not) counts each change once. */
    @Test
    void aBatchPartlyAppliedBeforeCountsEachChangeOnce() {
        List<CounterChange> batch = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            batch.add(new CounterChange(UUID.randomUUID().toString(), List.of(new CounterStore.Delta(counter, 1, null))));
        }
        store.applyAll(batch.subList(0, 12));

        store.applyAll(batch);
        store.applyAll(batch);

        assertEquals(20L, store.read().get(counter));
    }

    private static DynamoDbClient countingTransactions(AtomicInteger transactions) {
        DynamoDbClient table = DynamoDbLocalTable.client();
        return new DynamoDbClient() {
            @Override
            public TransactWriteItemsResponse transactWriteItems(TransactWriteItemsRequest request) {
                transactions.incrementAndGet();
                return table.transactWriteItems(request);
            }

            @Override
            public String serviceName() {
                return table.serviceName();
            }

            @Override
            public void close() {}
        };
    }
}
