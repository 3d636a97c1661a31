package dev.userservice.local;

import java.net.SocketException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbRequest;
import software.amazon.awssdk.services.dynamodb.model.ProvisionedThroughputExceededException;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.TransactionConflictException;
import software.amazon.awssdk.services.sqs.model.SqsException;

/**
 * Makes one chosen AWS call of one function fail, the way AWS makes it fail: the {@code step}-th SDK call the
 * function makes after {@link #arm}, with the exception the SDK hands the code once its own retries are spent.
 * Registered, test classpath only, through the SDK's global interceptor list beside {@link LocalIamInterceptor}, so
 * every client the functions build carries it and no production code knows about it; it does nothing unless armed.
 * Calls are attributed to the function whose code runs on the thread (the runner's own calls and other functions'
 * calls are not counted), and {@link #record} lists a function's calls without failing any, to find its steps.
 *
 * <p>A fault either stops the request before it reaches the service (throttling, timeout, conflict: nothing was
 * written) or, for {@link Fault#CONNECTION_RESET}, loses the response of a call the service has carried out (the
 * write is stored, the caller hears a failure), the case where a retry meets its own earlier success.
 */
public final class FaultInjector implements ExecutionInterceptor {

    /** The failures real AWS produces that local servers never do. */
    public enum Fault {
        /** DynamoDB {@code ProvisionedThroughputExceededException} (a transaction: cancelled with {@code ThrottlingError}); SQS {@code ThrottlingException}. */
        THROTTLING,
        /** The SDK's {@code ApiCallAttemptTimeoutException}: no answer in time; the request never got through. */
        TIMEOUT,
        /** DynamoDB only: a transaction cancelled with {@code TransactionConflict}, a single write refused with {@code TransactionConflictException}. */
        TRANSACTION_CONFLICT,
        /** The connection reset after the service carried out the call: its effect stands, its answer is lost. */
        CONNECTION_RESET
    }

    /** One SDK call a function made: the service ("DynamoDb", "Sqs") and operation ("TransactWriteItems"). */
    public record Call(String service, String operation) {
        @Override
        public String toString() {
            return service + "." + operation;
        }

        /** Whether {@code fault} exists for this call: a conflict is a DynamoDB write's failure. */
        public boolean canFail(Fault fault) {
            return fault != Fault.TRANSACTION_CONFLICT || (service.equals("DynamoDb")
                    && List.of("TransactWriteItems", "PutItem", "UpdateItem", "DeleteItem").contains(operation));
        }
    }

    /** Whose calls count: a function's, or (no function) those made on one thread outside any function. */
    private record Plan(String function, Thread thread, int step, Optional<Fault> fault, List<Call> calls) {
        boolean counts(Optional<IamPolicy> caller) {
            return function == null
                    ? caller.isEmpty() && Thread.currentThread() == thread
                    : caller.isPresent() && caller.get().function().equals(function);
        }
    }

    private static final Object LOCK = new Object();
    private static Plan plan;
    private static Call failed;

    /** Fails the {@code step}-th call (from 1) {@code function} makes from now on with {@code fault}, once. */
    public static void arm(String function, int step, Fault fault) {
        synchronized (LOCK) {
            plan = new Plan(function, null, step, Optional.of(fault), Collections.synchronizedList(new ArrayList<>()));
            failed = null;
        }
    }

    /** Fails the {@code step}-th call (from 1) made on this thread from now on, outside a function (adapter tests). */
    public static void armOnThisThread(int step, Fault fault) {
        synchronized (LOCK) {
            plan = new Plan(null, Thread.currentThread(), step, Optional.of(fault), Collections.synchronizedList(new ArrayList<>()));
            failed = null;
        }
    }

    /** Lists the calls {@code function} makes from now on, failing none. */
    public static void record(String function) {
        synchronized (LOCK) {
            plan = new Plan(function, null, 0, Optional.empty(), Collections.synchronizedList(new ArrayList<>()));
            failed = null;
        }
    }

    /** Stops injecting and recording; the calls seen since {@link #arm} or {@link #record}. */
    public static List<Call> disarm() {
        synchronized (LOCK) {
            List<Call> calls = plan == null ? List.of() : List.copyOf(plan.calls());
            plan = null;
            return calls;
        }
    }

    /** The call that was made to fail since the last {@link #arm}, if it was reached. */
    public static Optional<Call> failedCall() {
        synchronized (LOCK) {
            return Optional.ofNullable(failed);
        }
    }

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        Optional<Fault> fault = faultFor(attributes);
        if (fault.isPresent() && fault.get() != Fault.CONNECTION_RESET) {
            throw failure(fault.get(), context.request());
        }
        if (fault.isPresent()) {
            attributes.putAttribute(RESET, Boolean.TRUE);
        }
    }

    @Override
    public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
        if (Boolean.TRUE.equals(attributes.getAttribute(RESET))) {
            throw failure(Fault.CONNECTION_RESET, context.request());
        }
    }

    private static final software.amazon.awssdk.core.interceptor.ExecutionAttribute<Boolean> RESET =
            new software.amazon.awssdk.core.interceptor.ExecutionAttribute<>("FaultInjector.reset");

    /** Counts the call if it is the planned function's, and answers the fault when it is the planned step. */
    private static Optional<Fault> faultFor(ExecutionAttributes attributes) {
        Optional<IamPolicy> caller = IamPolicy.current();
        synchronized (LOCK) {
            if (plan == null || !plan.counts(caller)) {
                return Optional.empty();
            }
            Call call = new Call(attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME),
                    attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME));
            plan.calls().add(call);
            if (plan.fault().isEmpty() || plan.calls().size() != plan.step()) {
                return Optional.empty();
            }
            failed = call;
            return plan.fault();
        }
    }

    private static RuntimeException failure(Fault fault, SdkRequest request) {
        boolean dynamo = request instanceof DynamoDbRequest;
        return switch (fault) {
            case THROTTLING -> !dynamo
                    ? SqsException.builder().statusCode(400).message("Rate exceeded (injected)")
                            .awsErrorDetails(details("ThrottlingException", "Sqs")).build()
                    : request instanceof TransactWriteItemsRequest transaction
                            ? cancelled(transaction, "ThrottlingError")
                            : ProvisionedThroughputExceededException.builder().statusCode(400)
                                    .message("The level of configured provisioned throughput for the table was exceeded (injected)")
                                    .awsErrorDetails(details("ProvisionedThroughputExceededException", "DynamoDb")).build();
            case TIMEOUT -> ApiCallAttemptTimeoutException.create(3000);
            case TRANSACTION_CONFLICT -> request instanceof TransactWriteItemsRequest transaction
                    ? cancelled(transaction, "TransactionConflict")
                    : TransactionConflictException.builder().statusCode(400)
                            .message("Transaction is ongoing for the item (injected)")
                            .awsErrorDetails(details("TransactionConflictException", "DynamoDb")).build();
            case CONNECTION_RESET -> SdkClientException.create("Unable to execute HTTP request: Connection reset (injected)",
                    new SocketException("Connection reset"));
        };
    }

    /** The cancellation DynamoDB answers: one reason per item, {@code code} on the first, {@code None} on the rest. */
    private static AwsServiceException cancelled(TransactWriteItemsRequest transaction, String code) {
        List<CancellationReason> reasons = new ArrayList<>();
        for (int i = 0; i < transaction.transactItems().size(); i++) {
            reasons.add(i == 0 ? CancellationReason.builder().code(code).message("injected").build()
                    : CancellationReason.builder().code("None").build());
        }
        return TransactionCanceledException.builder().statusCode(400)
                .message("Transaction cancelled, please refer cancellation reasons for specific reasons " + reasons.stream().map(CancellationReason::code).toList())
                .cancellationReasons(reasons)
                .awsErrorDetails(details("TransactionCanceledException", "DynamoDb")).build();
    }

    private static AwsErrorDetails details(String code, String service) {
        return AwsErrorDetails.builder().errorCode(code).errorMessage("injected").serviceName(service).build();
    }
}
