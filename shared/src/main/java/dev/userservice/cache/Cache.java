package dev.userservice.cache;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The hot-read cache. It is an optimisation only: every method swallows the cache's failures, so a dead cache
 * makes the service slower, never broken.
 */
public interface Cache {
    Optional<String> get(String key);

    /** Several keys in one round trip, in order; all empty when the cache cannot answer. */
    List<Optional<String>> getAll(String... keys);

    /** Stores a value the caller decided on (a marker), whatever the key held. */
    void put(String key, String value, Duration ttl);

    /** {@link #put} for several markers at once; a server may write them in one round trip. */
    default void putAll(Map<String, String> entries, Duration ttl) {
        entries.forEach((key, value) -> put(key, value, ttl));
    }

    /**
     * Cache-aside: stores what was read from the table at {@code readStartedAt}, unless the key was forgotten since
     * that read began, so a read that lost a race with a write cannot put the old version back.
     */
    void fill(String key, String value, Duration ttl, Instant readStartedAt);

    /** {@link #fill} for several entries read together; a server may write them in one round trip. */
    default void fillAll(Map<String, String> entries, Duration ttl, Instant readStartedAt) {
        entries.forEach((key, value) -> fill(key, value, ttl, readStartedAt));
    }

    /**
     * Forgets the keys, after a write changed what they hold; fills of older reads are refused for a while. Never
     * skipped to save time, as a read may be: a forget left undone serves the old version for its whole TTL. Answers
     * whether the keys are gone: false when the cache could not be reached (a request has nothing better to do than go
     * on; the table's stream consumer tries again until it is true).
     */
    boolean delete(String... keys);

    /**
     * Adds one to a counter that disappears at {@code expiresAt}, and returns its new value; empty when the cache
     * cannot answer, so the caller counts elsewhere.
     */
    Optional<Long> increment(String key, Instant expiresAt);

    /**
     * Whether the cache server answers and takes a write, for the health check: false when it does not answer, and
     * when it answers reads but refuses writes (a replica, a failover's pause), since then it cannot forget changed
     * views and serves the old ones until it takes writes again.
     */
    boolean takesWrites();

    /** No cache at all: every read misses. */
    static Cache none() {
        return NoCache.INSTANCE;
    }
}
