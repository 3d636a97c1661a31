package dev.userservice.events;

import java.util.List;

/**
 * Sends outbox events to the consumers' queue (the port; {@code sqs.SqsEventPublisher} is the adapter). Events
 * leave in the order given, one user's in order of occurrence, and an event sent twice is delivered once.
 */
public interface EventPublisher {
    /** The most events one request to the queue carries (SQS's batch limit). */
    int REQUEST_SIZE = 10;

    /**
     * Publishes the events in order and returns how many, from the first, were published: it stops at the first
     * that was not, so no later event overtakes it.
     */
    int publish(List<OutboxRecord> events);

    /**
     * For SnapStart priming: prepares the messages of {@code events} as {@link #publish} would and makes one round
     * trip to the queue that publishes nothing.
     */
    void prime(List<OutboxRecord> events);
}
