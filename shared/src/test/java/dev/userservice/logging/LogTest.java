package dev.userservice.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LogTest {

    /** Every line of an invocation carries its Lambda request id, a failure's too; lines of other threads do not. */
    @Test
    void theLinesOfAnInvocationCarryItsRequestIdAndOnlyThose() throws InterruptedException {
        try (CapturedLog log = new CapturedLog()) {
            Log.beginInvocation(context("lambda-request-1"));
            try {
                Log.error("unhandled failure", Map.of("request_id", "client-chosen"), new IllegalStateException("thrown by the test"));
                Thread other = new Thread(() -> Log.info("another thread", Map.of()));
                other.start();
                other.join();
            } finally {
                Log.endInvocation();
            }
            Log.info("after the invocation", Map.of());

            assertEquals("lambda-request-1", log.line("unhandled failure").get("aws_request_id"));
            assertEquals("client-chosen", log.line("unhandled failure").get("request_id"));
            assertFalse(log.line("another thread").containsKey("aws_request_id"));
            assertFalse(log.line("after the invocation").containsKey("aws_request_id"));
        }
    }

    private static Context context(String awsRequestId) {
        return new Context() {
            @Override
            public String getAwsRequestId() {
                return awsRequestId;
            }

            @Override
            public String getLogGroupName() {
                return null;
            }

            @Override
            public String getLogStreamName() {
                return null;
            }

            @Override
            public String getFunctionName() {
                return "TestFunction";
            }

            @Override
            public String getFunctionVersion() {
                return "$LATEST";
            }

            @Override
            public String getInvokedFunctionArn() {
                return null;
            }

            @Override
            public CognitoIdentity getIdentity() {
                return null;
            }

            @Override
            public ClientContext getClientContext() {
                return null;
            }

            @Override
            public int getRemainingTimeInMillis() {
                return 10_000;
            }

            @Override
            public int getMemoryLimitInMB() {
                return 1024;
            }

            @Override
            public LambdaLogger getLogger() {
                return null;
            }
        };
    }
}
