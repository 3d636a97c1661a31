package dev.userservice.concurrency;

import dev.userservice.errors.ServiceException;
import dev.userservice.errors.ErrorCode;
import java.time.Clock;
import java.time.Instant;

/**
 * What read-change-write-if-unchanged needs, in one place: writes are conditioned on the {@code updated_at} they
 * read, and a writer that lost to another reads again after a short random pause and retries.
 */
public final class OptimisticWrites {
    /** Enough for a handful of simultaneous writers on one item, each attempt losing to at most one other. */
    public static final int MAX_ATTEMPTS = 10;
    private static final int MAX_JITTER_MILLIS = 20;

    private OptimisticWrites() {}

    /**
     * Now, or just after {@code previous} if the clock has not moved past it: {@code updated_at} is what concurrent
     * writers compare, so every write must change it.
     */
    public static Instant nextUpdatedAt(Clock clock, Instant previous) {
        Instant now = clock.instant();
        return now.isAfter(previous) ? now : previous.plusMillis(1);
    }

    /** A random pause, so writers that collided do not collide again in lockstep. */
    public static void pauseBeforeRetry() {
        try {
            Thread.sleep(Jitter.millis(1, MAX_JITTER_MILLIS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ServiceException(ErrorCode.SERVICE_UNAVAILABLE);
        }
    }
}
