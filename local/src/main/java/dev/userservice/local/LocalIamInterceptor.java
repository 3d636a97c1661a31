package dev.userservice.local;

import dev.userservice.aws.DryRun;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.services.dynamodb.model.TransactGetItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;

/**
 * Holds every AWS SDK call a function makes in the local runner to that function's template policies, refusing
 * what IAM would refuse in AWS with the same AccessDeniedException. Registered for every SDK client in the process
 * through the SDK's global interceptor list; calls made outside a function (the runner's own) pass.
 */
public final class LocalIamInterceptor implements ExecutionInterceptor {

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        if (DryRun.preparing()) {
            return; // never sent, so IAM never sees it
        }
        IamPolicy.current().ifPresent(policy -> {
            String prefix = prefix(attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME));
            for (String operation : authorizedOperations(context.request(), attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME))) {
                String action = prefix + ":" + operation;
                if (!policy.allows(action)) {
                    throw denied(policy, action);
                }
            }
        });
    }

    /**
     * What IAM authorizes for a call: the operation itself, except for DynamoDB transactions, which IAM authorizes
     * item by item as the writes and reads they contain.
     */
    private static Set<String> authorizedOperations(SdkRequest request, String operation) {
        if (request instanceof TransactWriteItemsRequest transaction) {
            Set<String> operations = new TreeSet<>();
            for (TransactWriteItem item : transaction.transactItems()) {
                if (item.put() != null) {
                    operations.add("PutItem");
                }
                if (item.update() != null) {
                    operations.add("UpdateItem");
                }
                if (item.delete() != null) {
                    operations.add("DeleteItem");
                }
                if (item.conditionCheck() != null) {
                    operations.add("ConditionCheckItem");
                }
            }
            return operations;
        }
        if (request instanceof TransactGetItemsRequest) {
            return Set.of("GetItem");
        }
        return Set.of(operation);
    }

    private static AwsServiceException denied(IamPolicy policy, String action) {
        String message = "local IAM: " + policy.function() + " is not allowed to perform " + action
                + " (add it to the function's Policies in template.yaml)";
        System.err.println(message);
        return AwsServiceException.builder()
                .message(message)
                .statusCode(400)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode("AccessDeniedException").errorMessage(message).build())
                .build();
    }

    /** The IAM prefix of an SDK service name ("DynamoDB" → "dynamodb", "Sqs" → "sqs"). */
    private static String prefix(String serviceName) {
        String service = serviceName.toLowerCase(Locale.ROOT);
        return service.startsWith("dynamodb") ? "dynamodb" : service.replace(" ", "");
    }
}
