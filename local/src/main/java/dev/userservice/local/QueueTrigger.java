package dev.userservice.local;

import dev.userservice.json.Json;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * A function's {@code SQS} event, run as Lambda's event source mapping runs it against ElasticMQ: messages are
 * received in batches of at most {@code BatchSize}, the function gets Lambda's SQS event, and the messages it
 * processed are deleted. With {@code ReportBatchItemFailures} only the messages it names stay; a function error
 * keeps the whole batch. Kept messages come back when their visibility timeout ends, and the queue's redrive policy
 * moves a message that keeps failing to its dead-letter queue, exactly as in AWS. {@code retryDelay}, when set,
 * shortens the wait before a failed message is seen again (the queue's own timeout otherwise).
 */
final class QueueTrigger implements AutoCloseable {
    private static final int RECEIVE_MAX = 10;

    private final LocalFunction function;
    private final SqsClient sqs;
    private final String queueUrl;
    private final String queueArn;
    private final int batchSize;
    private final Optional<Duration> retryDelay;
    private final BackgroundLoop loop;

    QueueTrigger(LocalFunction function, SqsClient sqs, String queueUrl, String queueArn, int batchSize,
                 Optional<Duration> retryDelay) {
        this.function = function;
        this.sqs = sqs;
        this.queueUrl = queueUrl;
        this.queueArn = queueArn;
        this.batchSize = batchSize;
        this.retryDelay = retryDelay;
        this.loop = new BackgroundLoop("queue trigger of " + function.name(), () -> {
            List<Message> batch = receive();
            if (!batch.isEmpty()) {
                deliver(batch);
            }
            return Duration.ZERO; // receiving long-polls for a second when the queue is empty
        });
    }

    private List<Message> receive() {
        List<Message> batch = new ArrayList<>();
        while (batch.size() < batchSize) {
            int wanted = Math.min(RECEIVE_MAX, batchSize - batch.size());
            List<Message> received = sqs.receiveMessage(request -> request.queueUrl(queueUrl)
                    .maxNumberOfMessages(wanted)
                    .waitTimeSeconds(batch.isEmpty() ? 1 : 0)
                    .messageSystemAttributeNames(MessageSystemAttributeName.ALL)
                    .messageAttributeNames("All")).messages();
            if (received.isEmpty()) {
                break;
            }
            batch.addAll(received);
        }
        return batch;
    }

    private void deliver(List<Message> batch) {
        byte[] event = Json.writeBytes(Map.of("Records", batch.stream().map(this::lambdaRecord).toList()));
        Set<String> failed = new HashSet<>();
        try {
            Map<String, Object> answer = Json.parseObject(new String(function.invoke(event), StandardCharsets.UTF_8));
            if (answer.get("batchItemFailures") instanceof List<?> failures) {
                failures.forEach(failure -> failed.add(String.valueOf(((Map<?, ?>) failure).get("itemIdentifier"))));
            }
        } catch (RuntimeException e) {
            System.err.println("local: " + function.name() + " failed on a queue batch: " + e);
            batch.forEach(message -> failed.add(message.messageId()));
        }
        List<DeleteMessageBatchRequestEntry> done = batch.stream()
                .filter(message -> !failed.contains(message.messageId()))
                .map(message -> DeleteMessageBatchRequestEntry.builder().id(message.messageId()).receiptHandle(message.receiptHandle()).build())
                .toList();
        if (!done.isEmpty()) {
            sqs.deleteMessageBatch(request -> request.queueUrl(queueUrl).entries(done));
        }
        retryDelay.ifPresent(delay -> batch.stream().filter(message -> failed.contains(message.messageId()))
                .forEach(message -> sqs.changeMessageVisibility(request -> request.queueUrl(queueUrl)
                        .receiptHandle(message.receiptHandle()).visibilityTimeout((int) delay.toSeconds()))));
    }

    String queueUrl() {
        return queueUrl;
    }

    /**
     * Returns once the queue holds no message: none waiting, none being consumed or waiting out a failure's retry
     * delay, none delayed. A message that keeps failing ends in the dead-letter queue, which empties this one too.
     */
    void awaitEmpty(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (messagesHeld() > 0) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(function.name() + " did not empty its queue within " + timeout);
            }
            Thread.sleep(20);
        }
    }

    private long messagesHeld() {
        Map<QueueAttributeName, String> counts = sqs.getQueueAttributes(request -> request.queueUrl(queueUrl).attributeNames(
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE,
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED)).attributes();
        return counts.values().stream().mapToLong(Long::parseLong).sum();
    }

    /** Lambda's SQS record shape. */
    private Map<String, Object> lambdaRecord(Message message) {
        Map<String, Object> attributes = new LinkedHashMap<>();
        message.attributes().forEach((name, value) -> attributes.put(name.toString(), value));
        Map<String, Object> messageAttributes = new LinkedHashMap<>();
        message.messageAttributes().forEach((name, value) -> {
            Map<String, Object> attribute = new LinkedHashMap<>();
            attribute.put("stringValue", value.stringValue());
            attribute.put("dataType", value.dataType());
            messageAttributes.put(name, attribute);
        });
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("messageId", message.messageId());
        record.put("receiptHandle", message.receiptHandle());
        record.put("body", message.body());
        record.put("attributes", attributes);
        record.put("messageAttributes", messageAttributes);
        record.put("md5OfBody", message.md5OfBody());
        record.put("eventSource", "aws:sqs");
        record.put("eventSourceARN", queueArn);
        record.put("awsRegion", LocalServers.REGION);
        return record;
    }

    @Override
    public void close() {
        loop.close();
    }
}
