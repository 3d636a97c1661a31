package dev.userservice.concurrency;

import dev.userservice.errors.ServiceException;
import dev.userservice.errors.ErrorCode;
import java.time.Clock;
import java.time.Instant;

/**
 * What read-change-write-if-unchanged needs: writes are conditioned on the {@code updated_at} they read, and a
 * writer that lost to another reads again and retries through {@link OptimisticRetry}.
 */
public final class OptimisticWrites {
    /**
     * The budget of the loops not yet moved onto {@link OptimisticRetry}, which holds the one budget policy now;
     * goes when the last of them moves.
     */
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

    /**
     * A random pause, so writers that collided do not collide again in lockstep.
     * For the loops not yet moved onto {@link OptimisticRetry}, which pauses between its attempts itself.
     */
    public static void pauseBeforeRetry() {
        try {
            Thread.sleep(Jitter.millis(1, MAX_JITTER_MILLIS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ServiceException(ErrorCode.SERVICE_UNAVAILABLE);
        }
    }
}
