package dev.userservice.local.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.userservice.health.CounterStore;
import dev.userservice.store.DynamoCounterStore;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

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
}
