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

    /** A caller that reads a field as the cache gives it (an instant's text) must not fail on the load's own type. */
    @Test
    void aMissAnswersTheViewAsAHitWould() {
        CacheAside<java.util.Map<String, Object>> devices = new CacheAside<>(cache, clock, Duration.ofHours(1),
                dev.userservice.json.Json::parseObject, dev.userservice.json.Json::write);
        java.util.Map<String, Object> loaded = java.util.Map.of("last_seen_at", clock.instant());

        java.util.Map<String, Object> missed = devices.read(KEY, () -> loaded);
        java.util.Map<String, Object> hit = devices.read(KEY, () -> loaded);

        assertEquals(hit, missed);
        assertEquals(clock.instant().toString(), missed.get("last_seen_at"));
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
