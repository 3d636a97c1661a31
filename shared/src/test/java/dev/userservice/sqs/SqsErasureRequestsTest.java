package dev.userservice.sqs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.userservice.events.OutboxRecord;
import dev.userservice.json.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.SendMessageRequest;
import software.amazon.awssdk.services.sqs.model.SendMessageResponse;

class SqsErasureRequestsTest {
    private final List<SendMessageRequest> sent = new ArrayList<>();
    private final SqsClient sqs = new SqsClient() {
        @Override
        public SendMessageResponse sendMessage(SendMessageRequest request) {
            sent.add(request);
            return SendMessageResponse.builder().messageId("m-1").build();
        }

        @Override
        public String serviceName() {
            return "sqs";
        }

        @Override
        public void close() {}
    };

    /** A deletion that keeps failing waits two weeks in the dead-letter queue: with the account's id, not its address. */
    @Test
    void aDeletionIsHandedOverWithItsIdsAndNoneOfItsData() {
        String event = "{\"event_id\":\"e-1\",\"type\":\"user.deleted\",\"occurred_at\":\"2026-12-06T10:00:00Z\","
                + "\"user_id\":\"u-1\",\"data\":{\"email\":\"alice@example.com\",\"by\":\"self\"}}";

        new SqsErasureRequests(sqs, "https://sqs.example/erasure").request(
                new OutboxRecord("u-1", "user.deleted", "e-1", event, "OUTBOX#u-1", "EVENT#e-1"));

        assertEquals("https://sqs.example/erasure", sent.getFirst().queueUrl());
        assertEquals(Map.of("event_id", "e-1", "type", "user.deleted", "user_id", "u-1"), Json.parseObject(sent.getFirst().messageBody()));
    }
}
