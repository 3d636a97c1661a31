package dev.userservice.cache;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Stops calling a failing dependency for a while: after {@code threshold} failures in a row it opens for
 * {@code openFor}, and calls skip it at no cost. Once that time is up calls go through again; the first success
 * closes it, the next failure opens it again. A success recorded while it is open (a call that must not be skipped
 * went through anyway) closes it too: the dependency answers again.
 */
public final class CircuitBreaker {
    private final int threshold;
    private final Duration openFor;
    private final Clock clock;
    private int consecutiveFailures;
    private Instant openUntil = Instant.MIN;

    public CircuitBreaker(int threshold, Duration openFor, Clock clock) {
        this.threshold = threshold;
        this.openFor = openFor;
        this.clock = clock;
    }

    public synchronized boolean allowsCall() {
        return !clock.instant().isBefore(openUntil);
    }

    public synchronized void recordSuccess() {
        consecutiveFailures = 0;
        openUntil = Instant.MIN;
    }

    public synchronized void recordFailure() {
        consecutiveFailures++;
        if (consecutiveFailures >= threshold) {
            openUntil = clock.instant().plus(openFor);
        }
    }
}
