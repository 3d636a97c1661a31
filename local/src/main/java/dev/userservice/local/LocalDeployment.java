package dev.userservice.local;

import dev.userservice.json.Json;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.Projection;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.StreamSpecification;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * The local counterpart of a deployed stack: the tables and queues of {@code template.yaml} created on the local
 * servers (named by their logical ids), and the intrinsic functions of the template ({@code Ref}, {@code Fn::GetAtt},
 * {@code Fn::Sub}, {@code Fn::If}, ...) resolved against them, for the functions' environments.
 */
final class LocalDeployment {
    private static final String TABLE = "AWS::DynamoDB::Table";
    private static final String QUEUE = "AWS::SQS::Queue";
    private static final Pattern SUBSTITUTION = Pattern.compile("\\$\\{([^}!]+)}");

    private final Template template;
    private final URI sqsEndpoint;
    private final Map<String, String> tableStreams = new LinkedHashMap<>();
    private final Map<String, Map<String, String>> customResources = new LinkedHashMap<>();

    private LocalDeployment(Template template, URI sqsEndpoint) {
        this.template = template;
        this.sqsEndpoint = sqsEndpoint;
    }

    /**
     * Creates what the template declares and is not there yet; data kept from an earlier run stays, and calling
     * it again against running servers changes nothing.
     */
    static LocalDeployment create(Template template, URI sqsEndpoint, DynamoDbClient dynamo, SqsClient sqs) {
        LocalDeployment deployment = new LocalDeployment(template, sqsEndpoint);
        template.resourcesOfType(TABLE).forEach((id, resource) -> deployment.createTable(dynamo, id, Template.properties(resource)));
        deployment.createQueues(sqs);
        return deployment;
    }

    /** Creates only the tables of the template, for code that needs DynamoDB and nothing else. */
    static void createTables(Template template, DynamoDbClient dynamo) {
        LocalDeployment deployment = new LocalDeployment(template, null);
        template.resourcesOfType(TABLE).forEach((id, resource) -> deployment.createTable(dynamo, id, Template.properties(resource)));
    }

    /** The custom resources' attributes, once they are created ({@link CustomResources}). */
    void customResourcesCreated(Map<String, Map<String, String>> attributes) {
        customResources.putAll(attributes);
    }

    /** The streams of the tables, by table logical id, for stream-triggered functions. */
    Map<String, String> tableStreams() {
        return tableStreams;
    }

    @SuppressWarnings("unchecked")
    private void createTable(DynamoDbClient dynamo, String id, Map<String, Object> properties) {
        try {
            var described = dynamo.describeTable(request -> request.tableName(id)).table();
            if (described.latestStreamArn() != null) {
                tableStreams.put(id, described.latestStreamArn());
            }
            return;
        } catch (ResourceNotFoundException absent) {
            // created below
        }
        List<AttributeDefinition> attributes = maps(properties.get("AttributeDefinitions")).stream()
                .map(a -> AttributeDefinition.builder().attributeName((String) a.get("AttributeName"))
                        .attributeType((String) a.get("AttributeType")).build())
                .toList();
        List<GlobalSecondaryIndex> indexes = maps(properties.get("GlobalSecondaryIndexes")).stream()
                .map(index -> GlobalSecondaryIndex.builder()
                        .indexName((String) index.get("IndexName"))
                        .keySchema(keySchema(index.get("KeySchema")))
                        .projection(Projection.builder().projectionType(
                                (String) ((Map<String, Object>) index.get("Projection")).get("ProjectionType")).build())
                        .build())
                .toList();
        Map<String, Object> stream = (Map<String, Object>) properties.get("StreamSpecification");
        var created = dynamo.createTable(request -> {
            request.tableName(id)
                    .billingMode(BillingMode.PAY_PER_REQUEST)
                    .attributeDefinitions(attributes)
                    .keySchema(keySchema(properties.get("KeySchema")));
            if (!indexes.isEmpty()) {
                request.globalSecondaryIndexes(indexes);
            }
            if (stream != null) {
                request.streamSpecification(StreamSpecification.builder().streamEnabled(true)
                        .streamViewType((String) stream.get("StreamViewType")).build());
            }
        }).tableDescription();
        if (created.latestStreamArn() != null) {
            tableStreams.put(id, created.latestStreamArn());
        }
        Map<String, Object> ttl = (Map<String, Object>) properties.get("TimeToLiveSpecification");
        if (ttl != null && Boolean.TRUE.equals(ttl.get("Enabled"))) {
            dynamo.updateTimeToLive(request -> request.tableName(id).timeToLiveSpecification(
                    spec -> spec.attributeName((String) ttl.get("AttributeName")).enabled(true)));
        }
    }

    /** Dead-letter queues first, so every redrive policy names a queue that exists. */
    private void createQueues(SqsClient sqs) {
        List<String> ordered = new ArrayList<>();
        Map<String, Map<String, Object>> queues = template.resourcesOfType(QUEUE);
        queues.forEach((id, resource) -> {
            if (!Template.properties(resource).containsKey("RedrivePolicy")) {
                ordered.add(id);
            }
        });
        queues.keySet().stream().filter(id -> !ordered.contains(id)).forEach(ordered::add);
        for (String id : ordered) {
            Map<String, Object> properties = Template.properties(queues.get(id));
            Map<QueueAttributeName, String> attributes = new LinkedHashMap<>();
            copy(properties, "VisibilityTimeout", attributes, QueueAttributeName.VISIBILITY_TIMEOUT);
            copy(properties, "MessageRetentionPeriod", attributes, QueueAttributeName.MESSAGE_RETENTION_PERIOD);
            copy(properties, "DelaySeconds", attributes, QueueAttributeName.DELAY_SECONDS);
            copy(properties, "ReceiveMessageWaitTimeSeconds", attributes, QueueAttributeName.RECEIVE_MESSAGE_WAIT_TIME_SECONDS);
            if (isFifo(properties)) {
                attributes.put(QueueAttributeName.FIFO_QUEUE, "true");
                copy(properties, "ContentBasedDeduplication", attributes, QueueAttributeName.CONTENT_BASED_DEDUPLICATION);
            }
            if (properties.get("RedrivePolicy") instanceof Map<?, ?> redrive) {
                Map<String, Object> policy = new LinkedHashMap<>();
                policy.put("deadLetterTargetArn", resolve(redrive.get("deadLetterTargetArn")).orElseThrow());
                policy.put("maxReceiveCount", Long.parseLong(String.valueOf(redrive.get("maxReceiveCount"))));
                attributes.put(QueueAttributeName.REDRIVE_POLICY, Json.write(policy));
            }
            sqs.createQueue(request -> request.queueName(queueName(id)).attributes(attributes));
        }
    }

    /**
     * The local value of a template expression, or empty when it has none here (a resource that only exists in
     * the cloud, such as the key secret, or {@code AWS::NoValue}).
     */
    @SuppressWarnings("unchecked")
    Optional<String> resolve(Object expression) {
        if (expression == null) {
            return Optional.empty();
        }
        if (!(expression instanceof Map<?, ?> function)) {
            return Optional.of(String.valueOf(expression));
        }
        if (function.size() != 1) {
            return Optional.empty();
        }
        var entry = function.entrySet().iterator().next();
        Object argument = entry.getValue();
        return switch (String.valueOf(entry.getKey())) {
            case "Ref" -> ref(String.valueOf(argument));
            case "Fn::GetAtt" -> {
                List<Object> parts = (List<Object>) argument;
                yield attribute(String.valueOf(parts.get(0)), String.valueOf(parts.get(1)));
            }
            case "Fn::Sub" -> sub(argument instanceof List<?> list ? String.valueOf(list.getFirst()) : String.valueOf(argument));
            case "Fn::If" -> {
                List<Object> branches = (List<Object>) argument;
                yield resolve(condition(String.valueOf(branches.get(0))) ? branches.get(1) : branches.get(2));
            }
            case "Fn::Join" -> {
                List<Object> parts = (List<Object>) argument;
                List<String> values = new ArrayList<>();
                for (Object part : (List<Object>) parts.get(1)) {
                    Optional<String> value = resolve(part);
                    if (value.isEmpty()) {
                        yield Optional.empty();
                    }
                    values.add(value.get());
                }
                yield Optional.of(String.join(String.valueOf(parts.get(0)), values));
            }
            default -> Optional.empty();
        };
    }

    /** A list in the template: a YAML list, or a reference to a comma-delimited list parameter. */
    List<String> resolveList(Object expression) {
        if (expression instanceof List<?> items) {
            return items.stream().map(this::resolve).flatMap(Optional::stream).toList();
        }
        return resolve(expression).map(text -> List.of(text.split("\\s*,\\s*"))).orElse(List.of());
    }

    private Optional<String> ref(String name) {
        switch (name) {
            case "AWS::NoValue":
                return Optional.empty();
            case "AWS::Region":
                return Optional.of(LocalServers.REGION);
            case "AWS::AccountId":
                return Optional.of(LocalServers.ACCOUNT_ID);
            case "AWS::StackName":
                return Optional.of("local");
            case "AWS::URLSuffix":
                return Optional.of("amazonaws.com");
            default:
                break;
        }
        Map<String, Object> parameter = Template.asMap(template.section("Parameters").get(name));
        if (parameter != null) {
            return Optional.ofNullable(parameter.get("Default")).map(String::valueOf);
        }
        Map<String, Object> resource = template.resources().get(name);
        if (resource == null) {
            return Optional.empty();
        }
        return switch (String.valueOf(resource.get("Type"))) {
            case TABLE -> Optional.of(name);
            case QUEUE -> Optional.of(queueUrl(name));
            default -> Optional.empty();
        };
    }

    private Optional<String> attribute(String id, String attribute) {
        Map<String, Object> resource = template.resources().get(id);
        if (resource == null) {
            return Optional.empty();
        }
        String type = String.valueOf(resource.get("Type"));
        if (type.equals(QUEUE)) {
            return switch (attribute) {
                case "Arn" -> Optional.of("arn:aws:sqs:" + LocalServers.REGION + ":" + LocalServers.ACCOUNT_ID + ":" + queueName(id));
                case "QueueName" -> Optional.of(queueName(id));
                case "QueueUrl" -> Optional.of(queueUrl(id));
                default -> Optional.empty();
            };
        }
        if (type.equals(TABLE)) {
            return switch (attribute) {
                case "Arn" -> Optional.of("arn:aws:dynamodb:" + LocalServers.REGION + ":" + LocalServers.ACCOUNT_ID + ":table/" + id);
                case "StreamArn" -> Optional.ofNullable(tableStreams.get(id));
                default -> Optional.empty();
            };
        }
        return Optional.ofNullable(customResources.getOrDefault(id, Map.of()).get(attribute));
    }

    private Optional<String> sub(String text) {
        Matcher matcher = SUBSTITUTION.matcher(text);
        StringBuilder result = new StringBuilder();
        while (matcher.find()) {
            String name = matcher.group(1);
            int dot = name.indexOf('.');
            Optional<String> value = dot > 0 && !name.startsWith("AWS::")
                    ? attribute(name.substring(0, dot), name.substring(dot + 1))
                    : ref(name);
            if (value.isEmpty()) {
                return Optional.empty();
            }
            matcher.appendReplacement(result, Matcher.quoteReplacement(value.get()));
        }
        matcher.appendTail(result);
        return Optional.of(result.toString());
    }

    @SuppressWarnings("unchecked")
    private boolean condition(String name) {
        return truth(template.section("Conditions").get(name));
    }

    @SuppressWarnings("unchecked")
    private boolean truth(Object expression) {
        if (!(expression instanceof Map<?, ?> function) || function.size() != 1) {
            throw new IllegalStateException("Unsupported condition " + expression);
        }
        var entry = function.entrySet().iterator().next();
        List<Object> arguments = entry.getValue() instanceof List<?> list ? (List<Object>) list : List.of(entry.getValue());
        return switch (String.valueOf(entry.getKey())) {
            case "Fn::Equals" -> resolve(arguments.get(0)).equals(resolve(arguments.get(1)));
            case "Fn::Not" -> !truth(arguments.get(0));
            case "Fn::And" -> arguments.stream().allMatch(this::truth);
            case "Fn::Or" -> arguments.stream().anyMatch(this::truth);
            case "Condition" -> condition(String.valueOf(entry.getValue()));
            default -> throw new IllegalStateException("Unsupported condition function " + entry.getKey());
        };
    }

    /** The URL of the template's queue with this ARN. */
    Optional<String> queueUrlOfArn(String arn) {
        return template.resourcesOfType(QUEUE).keySet().stream()
                .filter(id -> attribute(id, "Arn").filter(arn::equals).isPresent())
                .findFirst()
                .map(this::queueUrl);
    }

    String queueName(String id) {
        return isFifo(Template.properties(template.resources().get(id))) ? id + ".fifo" : id;
    }

    String queueUrl(String id) {
        return sqsEndpoint + "/" + LocalServers.ACCOUNT_ID + "/" + queueName(id);
    }

    private static boolean isFifo(Map<String, Object> properties) {
        return Boolean.TRUE.equals(properties.get("FifoQueue")) || "true".equals(String.valueOf(properties.get("FifoQueue")));
    }

    private static void copy(Map<String, Object> properties, String name, Map<QueueAttributeName, String> attributes,
                             QueueAttributeName attribute) {
        Object value = properties.get(name);
        if (value != null) {
            attributes.put(attribute, String.valueOf(value));
        }
    }

    private static List<KeySchemaElement> keySchema(Object value) {
        return maps(value).stream()
                .map(key -> KeySchemaElement.builder().attributeName((String) key.get("AttributeName"))
                        .keyType((String) key.get("KeyType")).build())
                .toList();
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> maps(Object value) {
        return value == null ? List.of() : (List<Map<String, Object>>) value;
    }
}
