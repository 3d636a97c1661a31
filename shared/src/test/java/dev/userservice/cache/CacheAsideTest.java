package dev.userservice.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.userservice.testing.InMemoryCache;
import dev.userservice.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class CacheAsideTest {
    private static final String KEY = "view:1";

    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-04T10:00:00Z"));
    private final InMemoryCache cache = new InMemoryCache(clock);
    /** Views are numbers written in decimal; anything else is another layout. */
    private final CacheAside<Integer> views = new CacheAside<>(cache, clock, Duration.ofHours(1), Integer::valueOf, String::valueOf);
    private final AtomicInteger loads = new AtomicInteger();

    private Supplier<Integer> loading(int stored) {
        return () -> {
            loads.incrementAndGet();
            return stored;
        };
    }

    @Test
    void aMissIsLoadedAndStoredForTheNextReaderUntilItsTimeIsUp() {
        assertEquals(7, views.read(KEY, loading(7)));
        assertEquals(7, views.read(KEY, loading(8)), "served from the cache");
        assertEquals(1, loads.get());

        clock.advance(Duration.ofHours(1).plusSeconds(1));
        assertEquals(8, views.read(KEY, loading(8)));
        assertEquals(2, loads.get());
    }

    @Test
    void anEntryOfAnotherLayoutIsAMissAndIsReplaced() {
        cache.put(KEY, "{\"old\":\"layout\"}", Duration.ofHours(1));

        assertEquals(7, views.read(KEY, loading(7)));
        assertEquals(7, views.read(KEY, loading(8)));
        assertEquals(1, loads.get());
    }

    @Test
    void aLoadThatFailsStoresNothing() {
        IllegalStateException notFound = new IllegalStateException("not found");

        assertSame(notFound, assertThrows(IllegalStateException.class, () -> views.read(KEY, () -> {
            throw notFound;
        })));
        assertFalse(cache.contains(KEY));
    }

    @Test
    void aLoadThatRacedAWriteIsAnsweredButNotStored() {
        Integer raced = views.read(KEY, () -> {
            cache.delete(KEY); // a write forgot the view while this read was at the table
            return 7;
        });

        assertEquals(7, raced);
        assertFalse(cache.contains(KEY), "the older version is not put back");
    }

    @Test
    void withTheCacheDownEveryReadLoads() {
        cache.setDown(true);

        assertEquals(7, views.read(KEY, loading(7)));
        assertEquals(8, views.read(KEY, loading(8)));
        assertEquals(2, loads.get());
    }
}
