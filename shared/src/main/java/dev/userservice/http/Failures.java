package dev.userservice.http;

import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;

/** Which unexpected failures mean "the database is unreachable or throttling" (503) rather than a bug (500). */
final class Failures {
    private Failures() {}

    static boolean isUnavailable(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof SdkClientException) {
                return true;
            }
            if (cause instanceof AwsServiceException service && (service.isThrottlingException() || service.statusCode() >= 500)) {
                return true;
            }
        }
        return false;
    }
}
