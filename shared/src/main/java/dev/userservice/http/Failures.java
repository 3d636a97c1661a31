package dev.userservice.http;

import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;

/**
 * Which unexpected failures mean "the database is unreachable, throttling or busy" (503) rather than a bug (500).
 * A cancelled transaction is read by the stores ({@code store.Cancellation}); what reaches here is a single
 * request's failure.
 */
final class Failures {
    /**
     * DynamoDB's refusal of a single write to an item a transaction holds at that moment: nothing was written,
     * and the same request a moment later succeeds.
     */
    private static final String TRANSACTION_CONFLICT = "TransactionConflictException";

    private Failures() {}

    static boolean isUnavailable(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof SdkClientException) {
                return true;
            }
            if (cause instanceof AwsServiceException service && (service.isThrottlingException() || service.statusCode() >= 500
                    || (service.awsErrorDetails() != null && TRANSACTION_CONFLICT.equals(service.awsErrorDetails().errorCode())))) {
                return true;
            }
        }
        return false;
    }
}
