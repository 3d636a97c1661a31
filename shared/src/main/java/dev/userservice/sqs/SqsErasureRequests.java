package dev.userservice.sqs;

import dev.userservice.events.ErasureRequests;
import dev.userservice.events.OutboxRecord;
import dev.userservice.json.Json;
import java.util.LinkedHashMap;
import java.util.Map;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Hands account deletions to the account-erasure queue: the message is the {@code user.deleted} event's id, type
 * and {@code user_id}, which the eraser reads, and nothing of its data: a message that keeps failing waits 14 days
 * in the dead-letter queue, and the deleted person's address has no business there. A standard queue: erasing is
 * idempotent and needs no order.
 */
public final class SqsErasureRequests implements ErasureRequests {
    private final SqsClient sqs;
    private final String queueUrl;

    public SqsErasureRequests(SqsClient sqs, String queueUrl) {
        this.sqs = sqs;
        this.queueUrl = queueUrl;
    }

    @Override
    public void request(OutboxRecord deletion) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("event_id", deletion.eventId());
        body.put("type", deletion.eventType());
        body.put("user_id", deletion.userId());
        sqs.sendMessage(request -> request.queueUrl(queueUrl).messageBody(Json.write(body)));
    }
}
