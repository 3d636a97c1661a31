package dev.userservice.cache;

import dev.userservice.metrics.Metrics;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A cache that counts hits and misses of the users' cached views ({@link CacheKeys}: the user, the preferences and
 * the notification inputs) for {@link Metrics}. Other keys (sessions, rate counters) pass uncounted: they are not
 * cache-aside reads whose hit ratio means anything.
 */
public final class MeteredCache implements Cache {
    private final Cache cache;

    public MeteredCache(Cache cache) {
        this.cache = cache;
    }

    @Override
    public Optional<String> get(String key) {
        Optional<String> value = cache.get(key);
        count(key, value.isPresent());
        return value;
    }

    @Override
    public List<Optional<String>> getAll(String... keys) {
        List<Optional<String>> values = cache.getAll(keys);
        for (int i = 0; i < keys.length; i++) {
            count(keys[i], values.get(i).isPresent());
        }
        return values;
    }

    @Override
    public void put(String key, String value, Duration ttl) {
        cache.put(key, value, ttl);
    }

    @Override
    public void putAll(Map<String, String> entries, Duration ttl) {
        cache.putAll(entries, ttl);
    }

    @Override
    public void fill(String key, String value, Duration ttl, Instant readStartedAt) {
        cache.fill(key, value, ttl, readStartedAt);
    }

    @Override
    public void fillAll(Map<String, String> entries, Duration ttl, Instant readStartedAt) {
        cache.fillAll(entries, ttl, readStartedAt);
    }

    @Override
    public boolean delete(String... keys) {
        return cache.delete(keys);
    }

    @Override
    public Optional<Long> increment(String key, Instant expiresAt) {
        return cache.increment(key, expiresAt);
    }

    @Override
    public boolean takesWrites() {
        return cache.takesWrites();
    }

    private static void count(String key, boolean hit) {
        CacheKeys.viewName(key).ifPresent(view -> Metrics.cacheRead(view, hit));
    }
}
