package dev.userservice.aws;

import dev.userservice.concurrency.InvocationDeadline;
import java.time.Duration;
import java.util.Optional;
import software.amazon.awssdk.awscore.AwsRequest;
import software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;

/**
 * Keeps every AWS call inside its invocation's {@link InvocationDeadline}. A client's own timeout lets one call take
 * up to {@link AwsClients#CALL_TIMEOUT}, more than is left of an invocation after a few slow steps; a call made with
 * less than that left gets only what is left, so a stalled table fails that call as a timeout while the function
 * can still answer. Every client {@link AwsClients} builds carries this interceptor.
 */
final class CallDeadline implements ExecutionInterceptor {

    /**
     * Runs on the calling thread, before the SDK starts the call's timer. A call with the client's whole timeout
     * still ahead of the deadline goes as it is; one with less gets what is left, and one with nothing left fails at
     * once, unsent.
     */
    @Override
    public SdkRequest modifyRequest(Context.ModifyRequest context, ExecutionAttributes attributes) {
        Optional<Duration> left = InvocationDeadline.left();
        if (left.isEmpty() || left.get().compareTo(AwsClients.CALL_TIMEOUT) >= 0
                || !(context.request() instanceof AwsRequest request)) {
            return context.request();
        }
        if (left.get().toMillis() <= 0) {
            throw ApiCallTimeoutException.create(0);
        }
        AwsRequestOverrideConfiguration.Builder override = request.overrideConfiguration()
                .map(AwsRequestOverrideConfiguration::toBuilder)
                .orElseGet(AwsRequestOverrideConfiguration::builder);
        if (override.apiCallTimeout() == null || override.apiCallTimeout().compareTo(left.get()) > 0) {
            override.apiCallTimeout(left.get());
        }
        return request.toBuilder().overrideConfiguration(override.build()).build();
    }
}
