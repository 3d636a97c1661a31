package dev.userservice.local;

import dev.userservice.json.Json;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The event sources of the template's functions, running locally: {@code DynamoDB} streams and {@code SQS} queues as
 * Lambda's event source mappings, and {@code Schedule} rules when schedules are asked for.
 */
final class EventSources implements AutoCloseable {
    private final List<AutoCloseable> triggers;
    /** The queues whose URL a stream consumer's own environment holds: what it sends to. */
    private final Set<String> streamFedQueueUrls;
    private final DynamoDbStreamsClient streams;
    private final SqsClient sqs;

    private EventSources(List<AutoCloseable> triggers, Set<String> streamFedQueueUrls, DynamoDbStreamsClient streams, SqsClient sqs) {
        this.triggers = triggers;
        this.streamFedQueueUrls = streamFedQueueUrls;
        this.streams = streams;
        this.sqs = sqs;
    }

    /**
     * Waits until every stream consumer has seen every change written before the call, and every queue a stream
     * consumer sends to is empty (the outbox publisher hands deleted accounts to the eraser's queue), including the
     * changes those consumers wrote in turn while catching up (the eraser's deletions reach the stream that way).
     */
    void awaitStreamsCaughtUp(Duration timeout) throws InterruptedException {
        List<StreamTrigger> consumers = triggers.stream()
                .filter(StreamTrigger.class::isInstance).map(StreamTrigger.class::cast).toList();
        List<QueueTrigger> downstream = triggers.stream()
                .filter(QueueTrigger.class::isInstance).map(QueueTrigger.class::cast)
                .filter(trigger -> streamFedQueueUrls.contains(trigger.queueUrl())).toList();
        List<Long> before = null;
        while (true) {
            List<Long> after = new ArrayList<>();
            for (StreamTrigger consumer : consumers) {
                after.add(consumer.awaitCaughtUp(timeout));
            }
            for (QueueTrigger queue : downstream) {
                queue.awaitEmpty(timeout);
            }
            if (after.equals(before)) {
                return;
            }
            before = after;
        }
    }

    static EventSources start(Template template, LocalDeployment deployment, Map<String, LocalFunction> functions,
                              LocalServers servers, Optional<Path> progressDir, Optional<Duration> queueRetryDelay,
                              boolean runSchedules) {
        SqsClient sqs = LocalService.sqs(servers.sqsEndpoint());
        DynamoDbStreamsClient streams = DynamoDbStreamsClient.builder()
                .endpointOverride(servers.dynamoDbEndpoint())
                .region(Region.of(LocalServers.REGION))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(Endpoints.ACCESS_KEY, Endpoints.SECRET_KEY)))
                .httpClient(UrlConnectionHttpClient.create())
                .build();
        List<AutoCloseable> triggers = new ArrayList<>();
        Set<String> streamFedQueueUrls = new HashSet<>();
        template.resourcesOfType("AWS::Serverless::Function").forEach((name, resource) -> {
            LocalFunction function = functions.get(name);
            Template.child(Template.properties(resource), "Events").forEach((eventName, value) -> {
                Map<String, Object> event = Template.asMap(value);
                if (function == null || event == null) {
                    return;
                }
                Map<String, Object> properties = Template.properties(event);
                if ("Schedule".equals(event.get("Type"))) {
                    if (runSchedules) {
                        ScheduleTrigger.start(function, String.valueOf(eventName), String.valueOf(properties.get("Schedule")))
                                .ifPresent(triggers::add);
                    }
                    return;
                }
                if ("SQS".equals(event.get("Type"))) {
                    String queueArn = deployment.resolve(properties.get("Queue"))
                            .orElseThrow(() -> new IllegalStateException(name + "." + eventName + ": its queue does not exist locally"));
                    String queueUrl = deployment.queueUrlOfArn(queueArn)
                            .orElseThrow(() -> new IllegalStateException(name + "." + eventName + ": no queue has the ARN " + queueArn));
                    triggers.add(new QueueTrigger(function, sqs, queueUrl, queueArn,
                            Template.integer(properties.get("BatchSize"), 10), queueRetryDelay));
                    return;
                }
                if (!"DynamoDB".equals(event.get("Type"))) {
                    return;
                }
                String streamArn = deployment.resolve(properties.get("Stream"))
                        .orElseThrow(() -> new IllegalStateException(name + "." + eventName + ": its stream does not exist locally"));
                // The function's own variables, not the Globals every function has (which name every queue).
                Template.child(Template.child(Template.properties(resource), "Environment"), "Variables").values()
                        .forEach(variable -> deployment.resolve(variable).ifPresent(streamFedQueueUrls::add));
                triggers.add(new StreamTrigger(function, streams, streamArn, retryPolicy(properties, deployment, sqs),
                        filters(properties),
                        progressDir.map(dir -> dir.resolve("stream-progress-" + name + "-" + eventName + ".json"))));
            });
        });
        return new EventSources(triggers, streamFedQueueUrls, streams, sqs);
    }

    /**
     * The stream event's batching and failure settings, with Lambda's defaults; an {@code SQS} on-failure destination
     * gets each failure record as a message, as Lambda sends it.
     */
    private static StreamTrigger.RetryPolicy retryPolicy(Map<String, Object> properties, LocalDeployment deployment, SqsClient sqs) {
        int maximumAge = Template.integer(properties.get("MaximumRecordAgeInSeconds"), -1);
        Map<String, Object> onFailure = Template.child(Template.child(properties, "DestinationConfig"), "OnFailure");
        Optional<Consumer<Map<String, Object>>> destination = Optional.empty();
        if ("SQS".equals(onFailure.get("Type"))) {
            String queueArn = deployment.resolve(onFailure.get("Destination"))
                    .orElseThrow(() -> new IllegalStateException("an on-failure destination does not exist locally"));
            String queueUrl = deployment.queueUrlOfArn(queueArn)
                    .orElseThrow(() -> new IllegalStateException("no queue has the ARN " + queueArn));
            destination = Optional.of(failure -> sqs.sendMessage(request -> request.queueUrl(queueUrl).messageBody(Json.write(failure))));
        }
        return new StreamTrigger.RetryPolicy(Template.integer(properties.get("BatchSize"), 100),
                Template.integer(properties.get("MaximumRetryAttempts"), -1),
                Boolean.parseBoolean(String.valueOf(properties.get("BisectBatchOnFunctionError"))),
                maximumAge < 0 ? Optional.empty() : Optional.of(Duration.ofSeconds(maximumAge)),
                destination);
    }

    private static List<Map<String, Object>> filters(Map<String, Object> properties) {
        Object list = Template.child(properties, "FilterCriteria").get("Filters");
        List<Map<String, Object>> patterns = new ArrayList<>();
        if (list instanceof List<?> filters) {
            for (Object filter : filters) {
                patterns.add(Json.parseObject(String.valueOf(Template.asMap(filter).get("Pattern"))));
            }
        }
        return patterns;
    }

    @Override
    public void close() {
        for (AutoCloseable trigger : triggers) {
            try {
                trigger.close();
            } catch (Exception e) {
                System.err.println("local: an event source did not stop cleanly: " + e.getMessage());
            }
        }
        streams.close();
        sqs.close();
    }
}
