package dev.userservice.sqs;

import dev.userservice.health.HealthCheck;
import java.util.function.Supplier;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/** The health check's queue probe: one attribute of the queue read, which proves the queue answers. */
public final class SqsQueueProbe {
    private SqsQueueProbe() {}

    /** {@code sqs} is asked for its client only when the probe runs. */
    public static HealthCheck.Probe of(Supplier<SqsClient> sqs, String queueUrl) {
        return () -> {
            sqs.get().getQueueAttributes(request -> request.queueUrl(queueUrl).attributeNames(QueueAttributeName.QUEUE_ARN));
            return true;
        };
    }
}
