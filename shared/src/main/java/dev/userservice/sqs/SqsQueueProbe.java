package dev.userservice.sqs;

import dev.userservice.health.HealthCheck;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/** The health check's queue probe: one attribute of the queue read, which proves the queue answers. */
public final class SqsQueueProbe implements HealthCheck.Probe {
    private final SqsClient sqs;
    private final String queueUrl;

    public SqsQueueProbe(SqsClient sqs, String queueUrl) {
        this.sqs = sqs;
        this.queueUrl = queueUrl;
    }

    @Override
    public boolean call() {
        sqs.getQueueAttributes(request -> request.queueUrl(queueUrl).attributeNames(QueueAttributeName.QUEUE_ARN));
        return true;
    }
}
