package dev.userservice.concurrency;

import java.time.Clock;
import java.time.Instant;

/**
 * The version a read-change-write-if-unchanged stamps: writes are conditioned on the {@code updated_at} they read,
 * and a writer that lost to another reads again and retries through {@link OptimisticRetry}.
 */
public final class OptimisticWrites {
    private OptimisticWrites() {}

    /**
     * Now, or just after {@code previous} if the clock has not moved past it: {@code updated_at} is what concurrent
     * writers compare, so every write must change it.
     */
    public static Instant nextUpdatedAt(Clock clock, Instant previous) {
        Instant now = clock.instant();
        return now.isAfter(previous) ? now : previous.plusMillis(1);
    }
}
