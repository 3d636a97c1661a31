package dev.userservice.concurrency;

import com.amazonaws.services.lambda.runtime.Context;
import java.time.Duration;
import java.util.Optional;

/**
 * The time an invocation has for its calls to other services: all it has left but {@link #ANSWER_TIME}. Lambda
 * ends a function at its timeout mid-step, and its caller gets API Gateway's bare 500 (a queue's whole batch comes
 * back); a call or a retry loop that minds this deadline fails in time for the function to answer (a 503 with
 * {@code Retry-After}, a message retried, a follow-up logged). Each kernel {@link #begin}s and {@link #end}s it
 * around an invocation, on the invocation's thread; outside one (a test, priming) there is none.
 */
public final class InvocationDeadline {
    /** What an invocation keeps for answering after its last call: writing the answer and its log line. */
    public static final Duration ANSWER_TIME = Duration.ofSeconds(1);
    private static final ThreadLocal<Long> DEADLINE_NANOS = new ThreadLocal<>();

    private InvocationDeadline() {}

    public static void begin(Context context) {
        if (context != null) {
            DEADLINE_NANOS.set(System.nanoTime()
                    + Duration.ofMillis(context.getRemainingTimeInMillis()).minus(ANSWER_TIME).toNanos());
        }
    }

    public static void end() {
        DEADLINE_NANOS.remove();
    }

    /** The time left for calls, negative once spent; empty outside an invocation. */
    public static Optional<Duration> left() {
        Long deadline = DEADLINE_NANOS.get();
        return deadline == null ? Optional.empty() : Optional.of(Duration.ofNanos(deadline - System.nanoTime()));
    }

    /** Whether no time is left for another call: a retry loop gives up rather than run past the function's end. */
    public static boolean spent() {
        return left().filter(left -> left.toMillis() <= 0).isPresent();
    }
}
