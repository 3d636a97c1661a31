package dev.userservice.concurrency;

import dev.userservice.errors.ErrorCode;
import dev.userservice.errors.ServiceException;
import java.util.Optional;
import java.util.function.LongConsumer;
import java.util.function.Supplier;

/**
 * The one retry loop of the service, with its one budget: an attempt reads, decides and writes if nothing changed
 * meanwhile, returning its result, or empty when it lost the race (or DynamoDB left part of the work for later)
 * and must run again. Up to {@value #MAX_ATTEMPTS} attempts, with a random pause before each retry of at least
 * 1 ms and at most 10, 20, 40, 80, then 160 ms ("full jitter" exponential backoff). The first pauses are as short as
 * a lost race needs, so contenders spread out without lockstep; the later ones grow as throttling needs; and the
 * whole budget stays under a second, so a request under contention answers 503 quickly instead of hanging.
 */
public final class OptimisticRetry {
    /** Enough for a handful of simultaneous writers on one item, each attempt losing to at most one other. */
    public static final int MAX_ATTEMPTS = 10;
    static final long FIRST_PAUSE_MILLIS = 10;
    static final long MAX_PAUSE_MILLIS = 160;

    private OptimisticRetry() {}

    /**
     * Runs {@code attempt} until it returns a result or the budget is spent; then throws what {@code exhausted}
     * supplies.
     */
    public static <T> T run(Supplier<Optional<T>> attempt, Supplier<? extends RuntimeException> exhausted) {
        return run(attempt, exhausted, OptimisticRetry::sleep);
    }

    /** As {@link #run(Supplier, Supplier)}, with a 503 {@code service_unavailable} saying {@code what} is busy. */
    public static <T> T run(Supplier<Optional<T>> attempt, String busyMessage) {
        return run(attempt, () -> new ServiceException(ErrorCode.SERVICE_UNAVAILABLE, busyMessage));
    }

    static <T> T run(Supplier<Optional<T>> attempt, Supplier<? extends RuntimeException> exhausted, LongConsumer pause) {
        for (int number = 1; ; number++) {
            Optional<T> result = attempt.get();
            if (result.isPresent()) {
                return result.get();
            }
            if (number == MAX_ATTEMPTS) {
                throw exhausted.get();
            }
            pause.accept(Jitter.millis(1, pauseCeiling(number) + 1));
        }
    }

    /** The longest pause after attempt {@code number} lost. */
    static long pauseCeiling(int number) {
        return Math.min(MAX_PAUSE_MILLIS, FIRST_PAUSE_MILLIS << Math.min(number - 1, 16));
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ServiceException(ErrorCode.SERVICE_UNAVAILABLE);
        }
    }
}
