package dev.userservice.http;

import java.io.IOException;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.Crc32MismatchException;
import software.amazon.awssdk.core.exception.RetryableException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkServiceException;

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
            if (cause instanceof SdkClientException client && reachedNothing(client)) {
                return true;
            }
            // Any service's answer, the credentials endpoint's too (an SdkServiceException under a failure to load
            // credentials): throttled, or failing on its side.
            if (cause instanceof SdkServiceException service && (service.isThrottlingException() || service.statusCode() >= 500
                    || service.statusCode() == 429)) {
                return true;
            }
            if (cause instanceof AwsServiceException service && service.awsErrorDetails() != null
                    && TRANSACTION_CONFLICT.equals(service.awsErrorDetails().errorCode())) {
                return true;
            }
        }
        return false;
    }

    /**
     * A client-side failure that a retry may not meet: a timeout, the network (an {@link IOException} under it), an
     * answer cut short, or one the SDK itself calls retryable.
     * Missing credentials, an endpoint that is no URL or a request that cannot be written fail every retry alike:
     * a bug or a misconfiguration, 500, which the error alarms see.
     */
    private static boolean reachedNothing(SdkClientException failure) {
        if (failure instanceof ApiCallTimeoutException || failure instanceof ApiCallAttemptTimeoutException
                || failure instanceof RetryableException || failure instanceof Crc32MismatchException || failure.retryable()) {
            return true;
        }
        for (Throwable cause = failure.getCause(); cause != null; cause = cause.getCause()) {
            if (cause instanceof IOException) {
                return true;
            }
        }
        return false;
    }
}
