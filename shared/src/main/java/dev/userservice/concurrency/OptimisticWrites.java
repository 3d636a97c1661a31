package dev.userservice.concurrency;

import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

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

    /**
     * Now, or {@code lastWrite} if this container's clock is behind it: a time that must not come before a write
     * another container's clock stamped, as a mailed token's issue time, which is refused if the password or the
     * email changed after it.
     */
    public static Instant notBefore(Clock clock, Optional<Instant> lastWrite) {
        Instant now = clock.instant();
        return lastWrite.filter(now::isBefore).orElse(now);
    }
}
