package dev.userservice.sqs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.userservice.events.EventPublisher;
import dev.userservice.events.OutboxRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.BatchResultErrorEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequest;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResponse;
import software.amazon.awssdk.services.sqs.model.SqsException;

class SqsEventPublisherTest {
    /** What each request asked for, as "user/event" per entry; the first entry of the first request fails when told to. */
    private final List<List<String>> requests = new ArrayList<>();
    private boolean firstEntryFails;
    private boolean firstEntryRefusedForGood;
    private boolean unavailable;

    private final SqsClient sqs = new SqsClient() {
        @Override
        public SendMessageBatchResponse sendMessageBatch(SendMessageBatchRequest request) {
            requests.add(request.entries().stream().map(entry -> entry.messageGroupId() + "/" + entry.messageDeduplicationId()).toList());
            if (unavailable) {
                throw refusal(503, "ServiceUnavailable");
            }
            if (request.entries().stream().anyMatch(entry -> entry.messageBody().contains("refused"))) {
                // As SQS answers a request refused for one of its messages' contents: not which one.
                throw refusal(400, "InvalidMessageContents");
            }
            List<BatchResultErrorEntry> failed = new ArrayList<>();
            if ((firstEntryFails || firstEntryRefusedForGood) && requests.size() == 1) {
                failed.add(BatchResultErrorEntry.builder().id(request.entries().getFirst().id())
                        .code(firstEntryRefusedForGood ? "InvalidParameterValue" : "InternalError").senderFault(firstEntryRefusedForGood).build());
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
        EventPublisher.Publication published = publisher.publish(List.of(event("a", "a1"), event("b", "b1"), event("a", "a2"), event("c", "c1")));

        assertEquals(EventPublisher.Publication.of(4), published);
        assertEquals(List.of(List.of("a/a1", "b/b1"), List.of("a/a2", "c/c1")), requests);
    }

    /** SQS answers each entry on its own: had a2 been in the request whose a1 failed, it would be queued before a1. */
    @Test
    void anEventThatFailedHasNoLaterEventOfItsUserQueued() {
        firstEntryFails = true;

        EventPublisher.Publication published = publisher.publish(List.of(event("a", "a1"), event("a", "a2"), event("b", "b1")));

        assertEquals(EventPublisher.Publication.of(0), published, "a1 and everything after it is published again");
        assertEquals(List.of(List.of("a/a1")), requests);
    }

    @Test
    void anEntryRefusedAsTheSendersFaultIsNamedAsRefusedForGood() {
        firstEntryRefusedForGood = true;

        assertEquals(new EventPublisher.Publication(0, Optional.of("InvalidParameterValue")),
                publisher.publish(List.of(event("a", "a1"), event("b", "b1"))));
    }

    /** SQS refuses the whole request and does not say for which message: sent one at a time, the others go. */
    @Test
    void aRequestRefusedForOneMessagesContentsIsSentOneAtATimeToNameIt() {
        List<OutboxRecord> events = List.of(event("a", "a1"), withBody(event("b", "b1"), "{\"name\":\"refused\"}"), event("c", "c1"));

        EventPublisher.Publication publication = publisher.publish(events);

        assertEquals(new EventPublisher.Publication(1, Optional.of("InvalidMessageContents")), publication);
        assertEquals(List.of(List.of("a/a1", "b/b1", "c/c1"), List.of("a/a1"), List.of("b/b1")), requests);
    }

    /** A character SQS never accepts is found before sending: the events before it go, it is named, nothing after it. */
    @Test
    void anEventWithACharacterTheQueueRefusesIsNamedWithoutBeingSent() {
        List<OutboxRecord> events = List.of(event("a", "a1"), withBody(event("b", "b1"), "{\"name\":\"\uFFFF\"}"), event("c", "c1"));

        assertEquals(new EventPublisher.Publication(1, Optional.of(SqsEventPublisher.UNSENDABLE)), publisher.publish(events));
        assertEquals(List.of(List.of("a/a1")), requests);
        assertEquals(List.of(true, true, false, false, false), List.of(SqsEventPublisher.sendable("tab\tline\n\u00e9\uD83D\uDE00"),
                SqsEventPublisher.sendable("\uFFFD"), SqsEventPublisher.sendable("\uFFFE"), SqsEventPublisher.sendable("\u0001"),
                SqsEventPublisher.sendable("\uD800")));
    }

    @Test
    void anUnavailableQueueRefusesNothingForGood() {
        unavailable = true;

        assertEquals(EventPublisher.Publication.of(0), publisher.publish(List.of(event("a", "a1"), event("b", "b1"))));
        assertEquals(1, requests.size(), "nothing is sent one at a time: the queue, not a message, is the cause");
    }

    @Test
    void tenEventsOfTenUsersGoInOneRequest() {
        List<OutboxRecord> events = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            events.add(event("user-" + i, "e" + i));
        }

        assertEquals(EventPublisher.Publication.of(12), publisher.publish(events));
        assertEquals(List.of(10, 2), requests.stream().map(List::size).toList());
    }

    private static SqsException refusal(int status, String code) {
        return (SqsException) SqsException.builder().statusCode(status)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).build()).build();
    }

    private static OutboxRecord withBody(OutboxRecord event, String body) {
        return new OutboxRecord(event.userId(), event.eventType(), event.eventId(), body, event.partitionKey(), event.sortKey());
    }

    private static OutboxRecord event(String userId, String eventId) {
        return new OutboxRecord(userId, "user.updated", eventId, "{\"event_id\":\"" + eventId + "\"}", "OUTBOX#" + userId, "EVENT#" + eventId);
    }
}
