package dev.userservice.sqs;

import dev.userservice.events.ErasureRequests;
import dev.userservice.events.OutboxRecord;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Hands account deletions to the account-erasure queue: the message is the {@code user.deleted} event as the
 * user-events queue carries it, whose {@code user_id} the eraser reads. A standard queue: erasing is idempotent and
 * needs no order.
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
        sqs.sendMessage(request -> request.queueUrl(queueUrl).messageBody(deletion.eventJson()));
    }
}
