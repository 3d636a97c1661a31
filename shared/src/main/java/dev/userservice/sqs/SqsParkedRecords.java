package dev.userservice.sqs;

import dev.userservice.events.ParkedRecords;
import dev.userservice.json.Json;
import java.util.Map;
import software.amazon.awssdk.services.sqs.SqsClient;

/** Parks records in the outbox's failure queue, one message each, beside the failure records Lambda sends there. */
public final class SqsParkedRecords implements ParkedRecords {
    private final SqsClient sqs;
    private final String queueUrl;

    public SqsParkedRecords(SqsClient sqs, String queueUrl) {
        this.sqs = sqs;
        this.queueUrl = queueUrl;
    }

    @Override
    public void park(Map<String, Object> record) {
        sqs.sendMessage(request -> request.queueUrl(queueUrl).messageBody(Json.write(record)));
    }
}
