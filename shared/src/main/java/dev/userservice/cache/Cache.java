package dev.userservice.cache;

import java.time.Duration;
import java.util.Optional;

/**
 * The hot-read cache. It is an optimisation only: every method swallows the cache's failures, so a dead cache
 * makes the service slower, never broken.
 */
public interface Cache {
    Optional<String> get(String key);

    void put(String key, String value, Duration ttl);

    void delete(String... keys);

    /** A round trip to the cache server, for the health check; false when it does not answer. */
    boolean ping();

    /** No cache at all: every read misses. */
    static Cache none() {
        return NoCache.INSTANCE;
    }
}
