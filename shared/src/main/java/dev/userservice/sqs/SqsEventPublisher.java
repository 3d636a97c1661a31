package dev.userservice.sqs;

import dev.userservice.events.EventPublisher;
import dev.userservice.events.OutboxRecord;
import dev.userservice.logging.Log;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
    /** The codes of a whole request refused for what a message holds, or for the request's size. */
    private static final List<String> REFUSED_FOR_CONTENTS = List.of("InvalidMessageContents", "BatchRequestTooLong");
    /** Why an event with a character SQS refuses is not sent, found before sending. */
    static final String UNSENDABLE = "a character the queue refuses";

    private final SqsClient sqs;
    private final String queueUrl;

    public SqsEventPublisher(SqsClient sqs, String queueUrl) {
        this.sqs = sqs;
        this.queueUrl = queueUrl;
    }

    @Override
    public Publication publish(List<OutboxRecord> events) {
        for (int i = 0; i < events.size(); i++) {
            if (!sendable(events.get(i).eventJson())) {
                // Refused here, as the queue would refuse it (and the request it is in).
                Publication before = publishSendable(events.subList(0, i));
                return before.published() < i || before.refusedFor().isPresent() ? before
                        : new Publication(i, Optional.of(UNSENDABLE));
            }
        }
        return publishSendable(events);
    }

    /**
     * Whether SQS accepts the text as a message body: it refuses any character outside XML's (tab, line feed,
     * carriage return, U+0020 to U+D7FF, U+E000 to U+FFFD, and the supplementary planes), such as U+FFFF in an event
     * written before the JSON writer escaped it.
     */
    static boolean sendable(String body) {
        return body.codePoints().allMatch(c -> c == 0x9 || c == 0xA || c == 0xD || (c >= 0x20 && c <= 0xD7FF)
                || (c >= 0xE000 && c <= 0xFFFD) || c >= 0x10000);
    }

    private Publication publishSendable(List<OutboxRecord> events) {
        for (int start = 0, end; start < events.size(); start = end) {
            end = chunkEnd(events, start);
            List<OutboxRecord> chunk = events.subList(start, end);
            try {
                List<SendMessageBatchRequestEntry> entries = entries(chunk);
                List<BatchResultErrorEntry> failed = sqs.sendMessageBatch(request -> request.queueUrl(queueUrl).entries(entries)).failed();
                if (!failed.isEmpty()) {
                    BatchResultErrorEntry first = failed.stream().min(Comparator.comparingInt(entry -> Integer.parseInt(entry.id()))).orElseThrow();
                    Log.warn("outbox batch partly failed", Map.of("code", first.code()));
                    int at = start + Integer.parseInt(first.id());
                    return new Publication(at, permanent(first) ? Optional.of(first.code()) : Optional.empty());
                }
            } catch (AwsServiceException refused) {
                // The service's answer may quote the request, and so the events and their reset tokens: its code only.
                String code = refused.awsErrorDetails() == null ? "none" : String.valueOf(refused.awsErrorDetails().errorCode());
                Log.warn("outbox batch refused", Map.of("records", chunk.size(), "status", refused.statusCode(), "code", code));
                if (!refusedForContents(code)) {
                    return Publication.of(start);
                }
                // One of the request's messages, which it does not say: sent one at a time, the others go and it is named.
                return chunk.size() == 1 ? new Publication(start, Optional.of(code)) : oneAtATime(events, start, end);
            } catch (RuntimeException e) {
                Log.error("outbox batch failed", Map.of("records", chunk.size()), e);
                return Publication.of(start);
            }
        }
        return Publication.of(events.size());
    }

    /** {@code events[start, end)} one request each, then the rest as usual. */
    private Publication oneAtATime(List<OutboxRecord> events, int start, int end) {
        for (int i = start; i < end; i++) {
            Publication alone = publishSendable(events.subList(i, i + 1));
            if (alone.published() == 0) {
                return new Publication(i, alone.refusedFor());
            }
        }
        Publication rest = publishSendable(events.subList(end, events.size()));
        return new Publication(end + rest.published(), rest.refusedFor());
    }

    /**
     * Whether a failure is the message's own, so that sent again it fails again: an entry's failure that SQS calls
     * the sender's fault is about that entry (its contents, its size, its ids); a whole request's refusal is only
     * when its code names a message's contents or the request's size, never the queue's or the caller's state
     * (access, a missing queue, throttling), which an operator fixes while the stream retries.
     */
    private static boolean permanent(BatchResultErrorEntry failure) {
        return Boolean.TRUE.equals(failure.senderFault());
    }

    /** See {@link #permanent(BatchResultErrorEntry)}: the codes are as the JSON protocol gives them, or the query one's. */
    private static boolean refusedForContents(String code) {
        return REFUSED_FOR_CONTENTS.stream().anyMatch(code::endsWith);
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
