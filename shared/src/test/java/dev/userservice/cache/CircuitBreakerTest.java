package dev.userservice.cache;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.userservice.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class CircuitBreakerTest {
    private static final int THRESHOLD = 3;
    private static final Duration OPEN_FOR = Duration.ofSeconds(30);

    private final MutableClock clock = new MutableClock(Instant.parse("2025-04-01T00:00:00Z"));
    private final CircuitBreaker breaker = new CircuitBreaker(THRESHOLD, OPEN_FOR, clock);

    @Test
    void newBreakerAllowsCalls() {
        assertTrue(breaker.allowsCall());
    }

    @Test
    void failuresBelowTheThresholdKeepItClosed() {
        fail(THRESHOLD - 1);

        assertTrue(breaker.allowsCall());
    }

    @Test
    void opensAfterThresholdFailuresInARow() {
        fail(THRESHOLD);

        assertFalse(breaker.allowsCall());
    }

    @Test
    void successInBetweenResetsTheCount() {
        fail(THRESHOLD - 1);
        breaker.recordSuccess();
        fail(THRESHOLD - 1);

        assertTrue(breaker.allowsCall());
    }

    @Test
    void skipsCallsForTheWholeOpenPeriod() {
        fail(THRESHOLD);

        clock.advance(OPEN_FOR.minusMillis(1));

        assertFalse(breaker.allowsCall());
    }

    @Test
    void letsACallThroughOnceTheOpenPeriodIsOver() {
        fail(THRESHOLD);

        clock.advance(OPEN_FOR);

        assertTrue(breaker.allowsCall());
    }

    @Test
    void failedTrialCallOpensItAgainAtOnce() {
        fail(THRESHOLD);
        clock.advance(OPEN_FOR);

        fail(1);

        assertFalse(breaker.allowsCall());
    }

    @Test
    void aSuccessWhileOpenClosesIt() {
        fail(THRESHOLD);
        clock.advance(OPEN_FOR.dividedBy(2));

        breaker.recordSuccess();

        assertTrue(breaker.allowsCall());
    }

    @Test
    void successfulTrialCallClosesIt() {
        fail(THRESHOLD);
        clock.advance(OPEN_FOR);

        breaker.recordSuccess();
        fail(THRESHOLD - 1);

        assertTrue(breaker.allowsCall());
    }

    @Test
    void reopenedBreakerStaysOpenForAFullPeriodFromTheNewFailure() {
        fail(THRESHOLD);
        clock.advance(OPEN_FOR.plusSeconds(10));
        fail(1);

        clock.advance(OPEN_FOR.minusSeconds(1));
        assertFalse(breaker.allowsCall());
        clock.advance(Duration.ofSeconds(1));
        assertTrue(breaker.allowsCall());
    }

    private void fail(int times) {
        for (int i = 0; i < times; i++) {
            breaker.recordFailure();
        }
    }
}
