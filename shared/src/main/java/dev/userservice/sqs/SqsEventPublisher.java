package dev.userservice.sqs;

import dev.userservice.events.EventPublisher;
import dev.userservice.events.OutboxRecord;
import dev.userservice.logging.Log;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.BatchResultErrorEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SqsException;

/**
 * Publishes to the {@code user-events} FIFO queue, ten messages per request: grouped by user (so one user's events
 * arrive in order) and deduplicated by event id (so a retried batch sends nothing twice).
 */
public final class SqsEventPublisher implements EventPublisher {
    private static final int SQS_BATCH = 10;

    private final SqsClient sqs;
    private final String queueUrl;

    public SqsEventPublisher(SqsClient sqs, String queueUrl) {
        this.sqs = sqs;
        this.queueUrl = queueUrl;
    }

    @Override
    public int publish(List<OutboxRecord> events) {
        for (int start = 0; start < events.size(); start += SQS_BATCH) {
            List<OutboxRecord> chunk = events.subList(start, Math.min(events.size(), start + SQS_BATCH));
            try {
                List<SendMessageBatchRequestEntry> entries = entries(chunk);
                List<BatchResultErrorEntry> failed = sqs.sendMessageBatch(request -> request.queueUrl(queueUrl).entries(entries)).failed();
                if (!failed.isEmpty()) {
                    Log.warn("outbox batch partly failed", Map.of("code", failed.getFirst().code()));
                    return start + failed.stream().mapToInt(entry -> Integer.parseInt(entry.id())).min().orElseThrow();
                }
            } catch (AwsServiceException refused) {
                // The service's answer may quote the request, and so the events and their reset tokens: its code only.
                Log.warn("outbox batch refused", Map.of("records", chunk.size(), "status", refused.statusCode(),
                        "code", refused.awsErrorDetails() == null ? "none" : String.valueOf(refused.awsErrorDetails().errorCode())));
                return start;
            } catch (RuntimeException e) {
                Log.error("outbox batch failed", Map.of("records", chunk.size()), e);
                return start;
            }
        }
        return events.size();
    }

    /** An empty batch, which the queue refuses after the whole round trip (signing, connection, error answer). */
    @Override
    public void prime(List<OutboxRecord> events) {
        entries(events);
        try {
            sqs.sendMessageBatch(request -> request.queueUrl(queueUrl).entries(List.of()));
        } catch (SqsException refused) {
            // as intended: an empty batch
        }
    }

    /** One message per event, identified by its place in the batch. */
    private static List<SendMessageBatchRequestEntry> entries(List<OutboxRecord> batch) {
        List<SendMessageBatchRequestEntry> entries = new ArrayList<>();
        for (int i = 0; i < batch.size(); i++) {
            OutboxRecord event = batch.get(i);
            entries.add(SendMessageBatchRequestEntry.builder()
                    .id(Integer.toString(i))
                    .messageBody(event.eventJson())
                    .messageGroupId(event.userId())
                    .messageDeduplicationId(event.eventId())
                    .build());
        }
        return entries;
    }
}
