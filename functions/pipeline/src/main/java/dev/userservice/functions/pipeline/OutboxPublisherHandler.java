package dev.userservice.functions.pipeline;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import dev.userservice.Services;
import dev.userservice.events.OutboxRecord;
import dev.userservice.json.Json;
import dev.userservice.logging.Log;
import dev.userservice.snapstart.SnapStartFunction;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.BatchResultErrorEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SqsException;

/**
 * Publishes the outbox: every event item the table's stream delivers goes to the {@code user-events} FIFO queue,
 * grouped by user (so one user's events arrive in order) and deduplicated by event id (so a retried batch sends
 * nothing twice). Records are sent in stream order, ten at a time; at the first one that fails the handler stops
 * and names it, and Lambda retries from there, so no later event overtakes an earlier one of the same user.
 */
public final class OutboxPublisherHandler extends SnapStartFunction implements RequestStreamHandler {
    private static final int SQS_BATCH = 10;

    private final SqsClient sqs;
    private final String queueUrl;

    public OutboxPublisherHandler() {
        this(System.getenv());
    }

    public OutboxPublisherHandler(Map<String, String> environment) {
        this(Services.of(environment));
    }

    OutboxPublisherHandler(Services services) {
        super(services);
        this.sqs = services.sqs();
        this.queueUrl = services.config().userEventsQueueUrl()
                .orElseThrow(() -> new IllegalStateException("USER_EVENTS_QUEUE_URL is required to publish events"));
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        List<OutboxRecord> records = OutboxRecord.fromStreamEvent(input);
        Optional<String> firstFailure = publish(records);
        Log.info("outbox published", Map.of("records", records.size(), "failed_from", firstFailure.orElse("none")));
        output.write(OutboxRecord.batchResponse(firstFailure));
    }

    /**
     * A stream event holding one outbox record, read and turned into the queue's batch as a real one is; then a
     * batch with no messages, which the queue refuses after the whole round trip (signing, connection, error
     * answer), so nothing is published.
     */
    @Override
    protected void prime() {
        Map<String, Object> image = Map.of(
                "type", Map.of("S", "outbox"),
                "user_id", Map.of("S", "snapstart-priming"),
                "event_type", Map.of("S", "snapstart.priming"),
                "event", Map.of("S", Json.write(Map.of("event_id", "snapstart-priming"))));
        byte[] event = Json.writeBytes(Map.of("Records", List.of(Map.of("eventName", "INSERT",
                "dynamodb", Map.of("SequenceNumber", "0", "NewImage", image)))));
        entries(OutboxRecord.fromStreamEvent(new ByteArrayInputStream(event)));
        try {
            sqs.sendMessageBatch(request -> request.queueUrl(queueUrl).entries(List.of()));
        } catch (SqsException refused) {
            // as intended: an empty batch
        }
    }

    /** The sequence number of the first record not published, if any. */
    Optional<String> publish(List<OutboxRecord> records) {
        for (int start = 0; start < records.size(); start += SQS_BATCH) {
            List<OutboxRecord> batch = records.subList(start, Math.min(records.size(), start + SQS_BATCH));
            List<SendMessageBatchRequestEntry> entries = entries(batch);
            try {
                List<BatchResultErrorEntry> failed = sqs.sendMessageBatch(request -> request.queueUrl(queueUrl).entries(entries)).failed();
                if (!failed.isEmpty()) {
                    int first = failed.stream().mapToInt(entry -> Integer.parseInt(entry.id())).min().orElseThrow();
                    Log.warn("outbox batch partly failed", Map.of("code", failed.getFirst().code()));
                    return Optional.of(batch.get(first).sequenceNumber());
                }
            } catch (RuntimeException e) {
                Log.error("outbox batch failed", Map.of("records", batch.size()), e);
                return Optional.of(batch.getFirst().sequenceNumber());
            }
        }
        return Optional.empty();
    }

    /** One message per record, identified by its place in the batch. */
    private static List<SendMessageBatchRequestEntry> entries(List<OutboxRecord> batch) {
        List<SendMessageBatchRequestEntry> entries = new java.util.ArrayList<>();
        for (int i = 0; i < batch.size(); i++) {
            OutboxRecord record = batch.get(i);
            entries.add(SendMessageBatchRequestEntry.builder()
                    .id(Integer.toString(i))
                    .messageBody(record.eventJson())
                    .messageGroupId(record.userId())
                    .messageDeduplicationId(eventId(record))
                    .build());
        }
        return entries;
    }

    private static String eventId(OutboxRecord record) {
        return String.valueOf(Json.parseObject(record.eventJson()).get("event_id"));
    }
}
