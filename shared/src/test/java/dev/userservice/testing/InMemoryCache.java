package dev.userservice.testing;

import dev.userservice.cache.Cache;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A cache with RedisCache's semantics (fills refused after a later forget) that can be taken down, as a dead cache
 * answers nothing and stores nothing.
 */
public final class InMemoryCache implements Cache {
    private record Entry(String value, Instant expiresAt) {}

    private final Map<String, Entry> entries = new HashMap<>();
    private final Map<String, Instant> forgottenAt = new HashMap<>();
    private final Clock clock;
    private boolean down;

    public InMemoryCache(Clock clock) {
        this.clock = clock;
    }

    public synchronized void setDown(boolean isDown) {
        this.down = isDown;
    }

    public synchronized boolean contains(String key) {
        return get(key).isPresent();
    }

    @Override
    public synchronized Optional<String> get(String key) {
        Entry entry = entries.get(key);
        if (down || entry == null || !clock.instant().isBefore(entry.expiresAt())) {
            return Optional.empty();
        }
        return Optional.of(entry.value());
    }

    @Override
    public synchronized List<Optional<String>> getAll(String... keys) {
        return Arrays.stream(keys).map(this::get).toList();
    }

    @Override
    public synchronized void put(String key, String value, Duration ttl) {
        if (!down) {
            entries.put(key, new Entry(value, clock.instant().plus(ttl)));
        }
    }

    @Override
    public synchronized void fill(String key, String value, Duration ttl, Instant readStartedAt) {
        Instant forgotten = forgottenAt.get(key);
        if (forgotten == null || forgotten.isBefore(readStartedAt)) {
            put(key, value, ttl);
        }
    }

    @Override
    public synchronized boolean delete(String... keys) {
        if (down) {
            return false;
        }
        for (String key : keys) {
            entries.remove(key);
            forgottenAt.put(key, clock.instant());
        }
        return true;
    }

    @Override
    public synchronized Optional<Long> increment(String key, Instant expiresAt) {
        if (down) {
            return Optional.empty();
        }
        Optional<String> current = get(key);
        Instant expiry = current.isPresent() ? entries.get(key).expiresAt() : expiresAt;
        long next = current.map(Long::parseLong).orElse(0L) + 1;
        entries.put(key, new Entry(Long.toString(next), expiry));
        return Optional.of(next);
    }

    @Override
    public synchronized boolean takesWrites() {
        return !down;
    }
}
