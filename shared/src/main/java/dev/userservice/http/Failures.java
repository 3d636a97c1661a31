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
    /**
     * DynamoDB's answer to the SDK's retry of a transaction whose first attempt is still being carried out (its
     * answer lost to a timeout): the same request a moment later meets the first attempt's outcome.
     */
    private static final String TRANSACTION_IN_PROGRESS = "TransactionInProgressException";

    private Failures() {}

    /**
     * A client-side failure of the SDK counts when a retry may not meet it: a timeout, an answer cut short, one the
     * SDK itself calls retryable, or the network (an {@link IOException} under it). Missing credentials, an endpoint
     * that is no URL or a request that cannot be written fail every retry alike: a bug or a misconfiguration, 500,
     * which the error alarms see.
     */
    static boolean isUnavailable(Throwable failure) {
        boolean underSdkClient = false;
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof SdkClientException client) {
                if (client instanceof ApiCallTimeoutException || client instanceof ApiCallAttemptTimeoutException
                        || client instanceof RetryableException || client instanceof Crc32MismatchException || client.retryable()) {
                    return true;
                }
                underSdkClient = true;
            }
            if (underSdkClient && cause instanceof IOException) {
                return true;
            }
            // Any service's answer, the credentials endpoint's too (an SdkServiceException under a failure to load
            // credentials): throttled, or failing on its side.
            if (cause instanceof SdkServiceException service && (service.isThrottlingException() || service.statusCode() >= 500
                    || service.statusCode() == 429)) {
                return true;
            }
            if (cause instanceof AwsServiceException service && service.awsErrorDetails() != null
                    && (TRANSACTION_CONFLICT.equals(service.awsErrorDetails().errorCode())
                            || TRANSACTION_IN_PROGRESS.equals(service.awsErrorDetails().errorCode()))) {
                return true;
            }
        }
        return false;
    }
}
