package dev.userservice.local;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The AWS actions a function's {@code Policies} allow, read from the template: inline statements and the SAM
 * policy templates this project uses. The local runner refuses any other call a function makes, as IAM would in
 * AWS, so a missing permission fails a local test instead of a deployment. Resources are not checked, only actions.
 */
record IamPolicy(String function, List<String> allowedActions, boolean unrestricted) {

    /**
     * What SAM's policy templates grant, by template name, as its policy_templates.json writes them
     * (SamTransformTest compares them with the roles the transform makes).
     */
    private static final Map<String, List<String>> SAM_TEMPLATES = Map.of(
            "AWSSecretsManagerGetSecretValuePolicy", List.of("secretsmanager:GetSecretValue"),
            "SQSSendMessagePolicy", List.of("sqs:SendMessage*"),
            "SQSPollerPolicy", List.of("sqs:ChangeMessageVisibility", "sqs:ChangeMessageVisibilityBatch", "sqs:DeleteMessage",
                    "sqs:DeleteMessageBatch", "sqs:GetQueueAttributes", "sqs:ReceiveMessage"),
            "DynamoDBReadPolicy", List.of("dynamodb:GetItem", "dynamodb:Scan", "dynamodb:Query", "dynamodb:BatchGetItem",
                    "dynamodb:DescribeTable"),
            "DynamoDBCrudPolicy", List.of("dynamodb:GetItem", "dynamodb:DeleteItem", "dynamodb:PutItem", "dynamodb:Scan",
                    "dynamodb:Query", "dynamodb:UpdateItem", "dynamodb:BatchWriteItem", "dynamodb:BatchGetItem",
                    "dynamodb:DescribeTable", "dynamodb:ConditionCheckItem"));

    @SuppressWarnings("unchecked")
    static IamPolicy of(String function, Map<String, Object> properties) {
        List<String> actions = new ArrayList<>();
        boolean unrestricted = false;
        Object policies = properties.get("Policies");
        for (Object policy : policies instanceof List<?> list ? list : policies == null ? List.of() : List.of(policies)) {
            if (!(policy instanceof Map<?, ?> map)) {
                // A managed policy by name or ARN: its content is not known here.
                System.err.println("local: " + function + " has managed policy " + policy + "; its calls are not checked");
                unrestricted = true;
                continue;
            }
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                String name = String.valueOf(entry.getKey());
                if (name.equals("Statement")) {
                    for (Object statement : (List<Object>) entry.getValue()) {
                        Map<String, Object> rule = (Map<String, Object>) statement;
                        if ("Allow".equals(rule.get("Effect"))) {
                            Object action = rule.get("Action");
                            if (action instanceof List<?> many) {
                                many.forEach(one -> actions.add(String.valueOf(one)));
                            } else {
                                actions.add(String.valueOf(action));
                            }
                        }
                    }
                } else if (SAM_TEMPLATES.containsKey(name)) {
                    actions.addAll(SAM_TEMPLATES.get(name));
                } else {
                    System.err.println("local: " + function + " uses policy template " + name + ", unknown here; its calls are not checked");
                    unrestricted = true;
                }
            }
        }
        return new IamPolicy(function, List.copyOf(actions), unrestricted);
    }

    boolean allows(String action) {
        return unrestricted || allowedActions.stream().anyMatch(pattern -> matches(pattern, action));
    }

    /** IAM's wildcards: {@code *} for any run of characters; action names compare case-insensitively. */
    private static boolean matches(String pattern, String action) {
        String regex = ("\\Q" + pattern.toLowerCase(java.util.Locale.ROOT) + "\\E").replace("*", "\\E.*\\Q");
        return action.toLowerCase(java.util.Locale.ROOT).matches(regex);
    }

    /** The policy of the function whose code runs on this thread, if any (the runner's own calls have none). */
    private static final InheritableThreadLocal<IamPolicy> CURRENT = new InheritableThreadLocal<>();

    static Optional<IamPolicy> current() {
        return Optional.ofNullable(CURRENT.get());
    }

    /** Runs {@code work} as this function, so the AWS calls it makes are held to this policy. */
    <T> T runAs(java.util.function.Supplier<T> work) {
        IamPolicy previous = CURRENT.get();
        CURRENT.set(this);
        try {
            return work.get();
        } finally {
            CURRENT.set(previous);
        }
    }
}
