package dev.userservice.ratelimit;

import java.time.Instant;

/** Durable counters for when the cache is down: the count after adding one, forgotten after {@code expiresAt}. */
public interface RateCounters {
    long increment(String key, Instant expiresAt);
}
