package dev.userservice.cache;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The hot-read cache. It is an optimisation only: every method swallows the cache's failures, so a dead cache
 * makes the service slower, never broken.
 */
public interface Cache {
    Optional<String> get(String key);

    /** Several keys in one round trip, in order; all empty when the cache cannot answer. */
    List<Optional<String>> getAll(String... keys);

    void put(String key, String value, Duration ttl);

    void delete(String... keys);

    /**
     * Adds one to a counter that disappears at {@code expiresAt}, and returns its new value; empty when the cache
     * cannot answer, so the caller counts elsewhere.
     */
    Optional<Long> increment(String key, Instant expiresAt);

    /** A round trip to the cache server, for the health check; false when it does not answer. */
    boolean ping();

    /** No cache at all: every read misses. */
    static Cache none() {
        return NoCache.INSTANCE;
    }
}
