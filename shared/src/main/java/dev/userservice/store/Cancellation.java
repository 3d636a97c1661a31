package dev.userservice.store;

import dev.userservice.errors.ErrorCode;
import dev.userservice.errors.ServiceException;
import dev.userservice.logging.Log;
import dev.userservice.concurrency.OptimisticRetry;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * The one reading of a cancelled DynamoDB transaction, for every store: DynamoDB names a reason per item, and
 * these are the only three things a reason can mean here.
 * <ul>
 *   <li>a failed condition ({@code ConditionalCheckFailed}, {@link #failedAt}, {@link #anyFailed}): what the
 *       transaction was conditioned on no longer holds; the store answers what that means for its operation;</li>
 *   <li>a lost race ({@code TransactionConflict}, {@link #lostRace}): a concurrent transaction held one of the items;
 *       nothing was written and the same transaction, read and planned again where it depends on reads, may
 *       succeed, so the caller runs it again within {@link dev.userservice.concurrency.OptimisticRetry}'s budget
 *       (which answers 503 when spent). DynamoDB Local serialises transactions and never says this, real DynamoDB
 *       does under contention: a 500 here was defect 9;</li>
 *   <li>anything else ({@link #unexpected}): throttling ({@code ThrottlingError}, {@code ProvisionedThroughputExceeded},
 *       {@code RequestLimitExceeded}) is the table being busy, a 503 the client may retry; any other reason
 *       ({@code ValidationError}, {@code ItemCollectionSizeLimitExceeded}) is a bug, thrown as it came.</li>
 * </ul>
 */
final class Cancellation {
    private static final String CONDITION_FAILED = "ConditionalCheckFailed";
    private static final String CONFLICT = "TransactionConflict";
    private static final Set<String> THROTTLED = Set.of("ThrottlingError", "ProvisionedThroughputExceeded", "RequestLimitExceeded");

    private final TransactionCanceledException exception;
    private final List<String> codes;

    private Cancellation(TransactionCanceledException exception) {
        this.exception = exception;
        this.codes = exception.hasCancellationReasons()
                ? exception.cancellationReasons().stream().map(CancellationReason::code).toList()
                : List.of();
    }

    static Cancellation of(TransactionCanceledException exception) {
        return new Cancellation(exception);
    }

    /**
     * Runs {@code transaction} (which writes and answers its result) until it is not cancelled by a lost race, within
     * {@link OptimisticRetry}'s budget (then a 503 with {@code busyMessage}). A cancellation is handed to
     * {@code answer} first, which returns the store's result for it (a failed condition) or empty; an unanswered lost
     * race runs the transaction again, anything else is thrown as {@link #unexpected}.
     */
    static <T> T retryingLostRaces(Supplier<T> transaction, Function<Cancellation, Optional<T>> answer, String busyMessage) {
        return OptimisticRetry.run(() -> {
            try {
                return Optional.of(transaction.get());
            } catch (TransactionCanceledException e) {
                Cancellation cancellation = of(e);
                Optional<T> answered = answer.apply(cancellation);
                if (answered.isPresent() || cancellation.lostRace()) {
                    return answered;
                }
                throw cancellation.unexpected();
            }
        }, busyMessage);
    }

    /** Whether the condition of the write at {@code index} (in the order the transaction listed them) failed. */
    boolean failedAt(int index) {
        return codes.size() > index && CONDITION_FAILED.equals(codes.get(index));
    }

    /** Whether any write's condition failed. */
    boolean anyFailed() {
        return codes.contains(CONDITION_FAILED);
    }

    /**
     * Whether what the transaction was planned on changed meanwhile: a failed condition (each condition being on what
     * was read) or a lost race. The caller reads again and plans again.
     */
    boolean changedMeanwhile() {
        return anyFailed() || lostRace();
    }

    /**
     * Runs a transaction planned on what was read, once: true when it committed, false when
     * {@link #changedMeanwhile} (the caller reads and plans again), anything else thrown as {@link #unexpected}.
     */
    static boolean commitsUnlessChanged(Runnable transaction) {
        try {
            transaction.run();
            return true;
        } catch (TransactionCanceledException e) {
            Cancellation cancellation = of(e);
            if (cancellation.changedMeanwhile()) {
                return false;
            }
            throw cancellation.unexpected();
        }
    }

    /** Whether a concurrent transaction got in the way: run it again, within the retry budget. */
    boolean lostRace() {
        return codes.contains(CONFLICT);
    }

    /**
     * What to throw for a cancellation the store does not answer itself: a 503 with the busy message when DynamoDB
     * throttled the transaction or the retries of a lost race are what is left, the exception itself otherwise.
     */
    RuntimeException unexpected() {
        if (codes.stream().anyMatch(THROTTLED::contains) || lostRace()) {
            Log.warn("transaction cancelled by a busy table", Map.of("reasons", codes));
            return new ServiceException(ErrorCode.SERVICE_UNAVAILABLE, BUSY);
        }
        return exception;
    }

    static final String BUSY = "The data is being changed by other requests; try again";
}
