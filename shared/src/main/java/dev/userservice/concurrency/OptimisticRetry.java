package dev.userservice.concurrency;

import dev.userservice.errors.ErrorCode;
import dev.userservice.errors.ServiceException;
import java.util.Optional;
import java.util.function.LongConsumer;
import java.util.function.Supplier;

/**
 * The one retry loop of the service, with its one budget: an attempt reads, decides and writes if nothing changed
 * meanwhile, returning its result, or empty when it lost the race (or DynamoDB left part of the work for later)
 * and must run again. Up to {@value #MAX_ATTEMPTS} attempts, with a random pause before each retry of at least 1 ms
 * and at most 5 ms times the attempts so far, never more than {@value #MAX_PAUSE_MILLIS} ms.
 *
 * <p>One budget for every loop, the most demanding one the service had (device writes): each round lets at least
 * one contender through, so forty attempts cover a crowd writing one item at once, and no loop gets less patience
 * than it had. The pauses start as short as a lost race needs and grow so contenders spread out, under two seconds
 * in all. The attempts themselves take time too, each a read and a write at least, and a crowd's may outlast the
 * function's timeout: the loop also gives up once the invocation has no time left for calls ({@link InvocationDeadline}),
 * so a request under contention answers 503 while it still can.
 */
public final class OptimisticRetry {
    public static final int MAX_ATTEMPTS = 40;
    static final long PAUSE_STEP_MILLIS = 5;
    static final long MAX_PAUSE_MILLIS = 50;

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
            if (number == MAX_ATTEMPTS || InvocationDeadline.spent()) {
                throw exhausted.get();
            }
            pause.accept(Jitter.millis(1, pauseCeiling(number) + 1));
        }
    }

    /** The longest pause after attempt {@code number} lost. */
    static long pauseCeiling(int number) {
        return Math.min(MAX_PAUSE_MILLIS, PAUSE_STEP_MILLIS * number);
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
