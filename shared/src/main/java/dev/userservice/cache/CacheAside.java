package dev.userservice.cache;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * One kind of cached view, read cache-aside: from the cache when it holds an entry this release can read, otherwise
 * loaded from the table and stored for the next reader for {@code ttl}, unless a write forgot the key while the load
 * ran ({@link Cache#fill}). An entry {@code parse} cannot read (another layout, an older release's) is a miss, and
 * the load replaces it. A miss answers the view as a hit would, read back from what it stores: its caller never meets
 * the loaded value's own types (an {@code Instant} where a hit has its text).
 */
public final class CacheAside<T> {
    private final Cache cache;
    private final Clock clock;
    private final Duration ttl;
    private final Function<String, T> parse;
    private final Function<T, String> write;

    /** {@code parse} throws for an entry it cannot read; {@code write} gives what {@code parse} reads back. */
    public CacheAside(Cache cache, Clock clock, Duration ttl, Function<String, T> parse, Function<T, String> write) {
        this.cache = cache;
        this.clock = clock;
        this.ttl = ttl;
        this.parse = parse;
        this.write = write;
    }

    /** The view under {@code key}; on a miss, {@code load}'s as stored, and {@code load} may throw (a 404) and then store nothing. */
    public T read(String key, Supplier<T> load) {
        Optional<String> entry = cache.get(key);
        if (entry.isPresent()) {
            try {
                return parse.apply(entry.get());
            } catch (RuntimeException anotherLayout) {
                // a miss: the load below replaces it
            }
        }
        Instant readStartedAt = clock.instant();
        String loaded = write.apply(load.get());
        cache.fill(key, loaded, ttl, readStartedAt);
        return parse.apply(loaded);
    }
}
