package dev.userservice.concurrency;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.userservice.errors.ErrorCode;
import dev.userservice.errors.ServiceException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class OptimisticRetryTest {
    private final List<Long> pauses = new ArrayList<>();
    private final AtomicInteger attempts = new AtomicInteger();

    @Test
    void anAttemptThatWinsAtOnceIsNotRetried() {
        String result = OptimisticRetry.run(() -> {
            attempts.incrementAndGet();
            return Optional.of("stored");
        }, IllegalStateException::new, pauses::add);

        assertEquals("stored", result);
        assertEquals(1, attempts.get());
        assertEquals(List.of(), pauses);
    }

    @Test
    void aLostRaceIsRetriedAfterAPauseUntilItWins() {
        String result = OptimisticRetry.run(() -> attempts.incrementAndGet() < 4 ? Optional.empty() : Optional.of("stored"),
                IllegalStateException::new, pauses::add);

        assertEquals("stored", result);
        assertEquals(4, attempts.get());
        assertEquals(3, pauses.size());
        for (int i = 0; i < pauses.size(); i++) {
            long pause = pauses.get(i);
            assertTrue(pause >= 1 && pause <= OptimisticRetry.pauseCeiling(i + 1), "pause " + pause + " after attempt " + (i + 1));
        }
    }

    @Test
    void theBudgetIsFortyAttemptsThenWhatExhaustionSupplies() {
        assertEquals(40, OptimisticRetry.MAX_ATTEMPTS);
        IllegalStateException exhausted = new IllegalStateException("busy");

        assertSame(exhausted, assertThrows(IllegalStateException.class, () -> OptimisticRetry.run(() -> {
            attempts.incrementAndGet();
            return Optional.empty();
        }, () -> exhausted, pauses::add)));
        assertEquals(OptimisticRetry.MAX_ATTEMPTS, attempts.get());
        assertEquals(OptimisticRetry.MAX_ATTEMPTS - 1, pauses.size(), "no pause after the last attempt");
    }

    @Test
    void pausesGrowByFiveMillisecondsAnAttemptAndStopGrowingAtFifty() {
        assertEquals(List.of(5L, 10L, 15L, 45L, 50L, 50L, 50L),
                java.util.stream.IntStream.of(1, 2, 3, 9, 10, 11, 39).mapToObj(OptimisticRetry::pauseCeiling).toList());
    }

    @Test
    void aBusyMessageExhaustsAsServiceUnavailable() {
        ServiceException refused = assertThrows(ServiceException.class,
                () -> OptimisticRetry.run(Optional::empty, () -> new ServiceException(ErrorCode.SERVICE_UNAVAILABLE, "busy"), pauses::add));
        assertEquals(ErrorCode.SERVICE_UNAVAILABLE, refused.error());
    }

    @Test
    void anAttemptsFailureEndsTheLoopAtOnce() {
        assertThrows(ArithmeticException.class, () -> OptimisticRetry.run(() -> {
            attempts.incrementAndGet();
            throw new ArithmeticException();
        }, IllegalStateException::new, pauses::add));
        assertEquals(1, attempts.get());
    }
}
