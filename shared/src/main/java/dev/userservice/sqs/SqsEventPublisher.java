package dev.userservice.sqs;

import dev.userservice.events.EventPublisher;
import dev.userservice.events.OutboxRecord;
import dev.userservice.logging.Log;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.BatchResultErrorEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SqsException;

/**
 * Publishes to the {@code user-events} FIFO queue, up to ten messages per request: grouped by user (so one user's
 * events arrive in order) and deduplicated by event id (so a retried batch sends nothing twice). A request holds at
 * most one event per user: SQS answers each entry on its own, so a user's later event could be queued in the same
 * request as an earlier one that failed, and overtake it when that one is sent again.
 */
public final class SqsEventPublisher implements EventPublisher {

    private final SqsClient sqs;
    private final String queueUrl;

    public SqsEventPublisher(SqsClient sqs, String queueUrl) {
        this.sqs = sqs;
        this.queueUrl = queueUrl;
    }

    @Override
    public int publish(List<OutboxRecord> events) {
        for (int start = 0, end; start < events.size(); start = end) {
            end = chunkEnd(events, start);
            List<OutboxRecord> chunk = events.subList(start, end);
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

    /** Where the request that starts at {@code start} ends: after ten events, or before a user's second one. */
    private static int chunkEnd(List<OutboxRecord> events, int start) {
        Set<String> users = new HashSet<>();
        int end = start;
        while (end < events.size() && end - start < EventPublisher.REQUEST_SIZE && users.add(events.get(end).userId())) {
            end++;
        }
        return end;
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
