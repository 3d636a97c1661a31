package dev.userservice.sqs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.userservice.events.OutboxRecord;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.BatchResultErrorEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequest;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResponse;

class SqsEventPublisherTest {
    /** What each request asked for, as "user/event" per entry; the first entry of the first request fails when told to. */
    private final List<List<String>> requests = new ArrayList<>();
    private boolean firstEntryFails;

    private final SqsClient sqs = new SqsClient() {
        @Override
        public SendMessageBatchResponse sendMessageBatch(SendMessageBatchRequest request) {
            requests.add(request.entries().stream().map(entry -> entry.messageGroupId() + "/" + entry.messageDeduplicationId()).toList());
            List<BatchResultErrorEntry> failed = new ArrayList<>();
            if (firstEntryFails && requests.size() == 1) {
                failed.add(BatchResultErrorEntry.builder().id(request.entries().getFirst().id()).code("InternalError").senderFault(false).build());
            }
            return SendMessageBatchResponse.builder().failed(failed).build();
        }

        @Override
        public String serviceName() {
            return "sqs";
        }

        @Override
        public void close() {}
    };
    private final SqsEventPublisher publisher = new SqsEventPublisher(sqs, "https://sqs.example/queue.fifo");

    @Test
    void aRequestHoldsAtMostOneEventOfEachUser() {
        int published = publisher.publish(List.of(event("a", "a1"), event("b", "b1"), event("a", "a2"), event("c", "c1")));

        assertEquals(4, published);
        assertEquals(List.of(List.of("a/a1", "b/b1"), List.of("a/a2", "c/c1")), requests);
    }

    /** SQS answers each entry on its own: had a2 been in the request whose a1 failed, it would be queued before a1. */
    @Test
    void anEventThatFailedHasNoLaterEventOfItsUserQueued() {
        firstEntryFails = true;

        int published = publisher.publish(List.of(event("a", "a1"), event("a", "a2"), event("b", "b1")));

        assertEquals(0, published, "a1 and everything after it is published again");
        assertEquals(List.of(List.of("a/a1")), requests);
    }

    @Test
    void tenEventsOfTenUsersGoInOneRequest() {
        List<OutboxRecord> events = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            events.add(event("user-" + i, "e" + i));
        }

        assertEquals(12, publisher.publish(events));
        assertEquals(List.of(10, 2), requests.stream().map(List::size).toList());
    }

    private static OutboxRecord event(String userId, String eventId) {
        return new OutboxRecord(userId, "user.updated", eventId, "{\"event_id\":\"" + eventId + "\"}", "OUTBOX#" + userId, "EVENT#" + eventId);
    }
}
