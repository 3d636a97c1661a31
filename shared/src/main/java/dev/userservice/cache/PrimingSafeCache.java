package dev.userservice.cache;

import dev.userservice.snapstart.Priming;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A cache that reads as usual but drops the writes of a thread that is priming its function for a SnapStart
 * snapshot ({@link Priming}): a primed request is refused, yet on the way it may still store a marker (the session
 * check remembers a session it did not find) that must not outlive the snapshot. Dropping a write is always safe
 * here, as the cache is an optimisation every reader does without. Counters are not dropped but refused: a priming
 * path never counts a rate limit, and an empty answer would send the count to the table instead.
 */
public final class PrimingSafeCache implements Cache {
    private final Cache cache;

    public PrimingSafeCache(Cache cache) {
        this.cache = cache;
    }

    @Override
    public Optional<String> get(String key) {
        return cache.get(key);
    }

    @Override
    public List<Optional<String>> getAll(String... keys) {
        return cache.getAll(keys);
    }

    @Override
    public void put(String key, String value, Duration ttl) {
        if (!Priming.active()) {
            cache.put(key, value, ttl);
        }
    }

    @Override
    public void putAll(Map<String, String> entries, Duration ttl) {
        if (!Priming.active()) {
            cache.putAll(entries, ttl);
        }
    }

    @Override
    public void fill(String key, String value, Duration ttl, Instant readStartedAt) {
        if (!Priming.active()) {
            cache.fill(key, value, ttl, readStartedAt);
        }
    }

    @Override
    public void fillAll(Map<String, String> entries, Duration ttl, Instant readStartedAt) {
        if (!Priming.active()) {
            cache.fillAll(entries, ttl, readStartedAt);
        }
    }

    @Override
    public boolean delete(String... keys) {
        return Priming.active() || cache.delete(keys);
    }

    @Override
    public Optional<Long> increment(String key, Instant expiresAt) {
        if (Priming.active()) {
            throw new IllegalStateException("A priming path reached a rate limit; it must be refused before any counts");
        }
        return cache.increment(key, expiresAt);
    }

    /**
     * While priming, the probe's round trip is a read of its key: the same connection and command path, with nothing
     * written to outlive the snapshot. What it answers then is no one's concern.
     */
    @Override
    public boolean takesWrites() {
        if (Priming.active()) {
            cache.get(RedisCache.WRITE_PROBE_KEY);
            return true;
        }
        return cache.takesWrites();
    }
}
