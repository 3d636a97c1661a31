package dev.userservice.local.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.userservice.store.DynamoRateCounters;
import dev.userservice.store.Item;
import dev.userservice.store.Keys;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** The rate limiter's durable counters, used while the cache is down, as DynamoDB Local applies their updates. */
class DynamoRateCountersTest {
    private static final Instant WINDOW_END = Instant.parse("2026-11-23T11:00:00Z");

    private final DynamoDbClient dynamo = DynamoDbLocalTable.client();
    private final DynamoRateCounters counters = new DynamoRateCounters(dynamo, DynamoDbLocalTable.TABLE);
    private final String key = "rate:login_email:" + UUID.randomUUID();

    @Test
    void eachIncrementReturnsTheCountAfterIt() {
        assertEquals(1, counters.increment(key, WINDOW_END));
        assertEquals(2, counters.increment(key, WINDOW_END));
        assertEquals(3, counters.increment(key, WINDOW_END));
    }

    @Test
    void keysCountApart() {
        String other = key + ":other";
        counters.increment(key, WINDOW_END);
        counters.increment(key, WINDOW_END);

        assertEquals(1, counters.increment(other, WINDOW_END));
        assertEquals(3, counters.increment(key, WINDOW_END));
    }

    @Test
    void theCounterIsATypedItemThatTimeToLiveDeletesAtTheWindowsEnd() {
        counters.increment(key, WINDOW_END);

        Map<String, AttributeValue> item = dynamo.getItem(request -> request.tableName(DynamoDbLocalTable.TABLE)
                .consistentRead(true).key(Item.keyOf(Keys.rateCounter(key), "COUNTER"))).item();
        assertEquals("1", item.get("count").n());
        assertEquals("rate_counter", item.get(Item.TYPE).s(), "the tests' item counts leave counters out by this type");
        assertEquals(Long.toString(WINDOW_END.getEpochSecond()), item.get(Item.EXPIRES_AT).n());
    }

    @Test
    void concurrentIncrementsAreAllCountedAndEachSeesADifferentCount() throws Exception {
        int threads = 8;
        int each = 5;
        List<Future<List<Long>>> results = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            Callable<List<Long>> increments = () -> {
                List<Long> seen = new ArrayList<>();
                for (int i = 0; i < each; i++) {
                    seen.add(counters.increment(key, WINDOW_END));
                }
                return seen;
            };
            for (int i = 0; i < threads; i++) {
                results.add(pool.submit(increments));
            }
            List<Long> seen = new ArrayList<>();
            for (Future<List<Long>> result : results) {
                seen.addAll(result.get());
            }

            assertEquals(threads * each, seen.stream().distinct().count(), "no two increments saw the same count");
            assertEquals(threads * each + 1, counters.increment(key, WINDOW_END));
        } finally {
            pool.shutdownNow();
        }
    }
}
