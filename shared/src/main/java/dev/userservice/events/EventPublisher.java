package dev.userservice.events;

import java.util.List;
import java.util.Optional;

/**
 * Sends outbox events to the consumers' queue (the port; {@code sqs.SqsEventPublisher} is the adapter). Events
 * leave in the order given, one user's in order of occurrence, and an event sent twice is delivered once.
 */
public interface EventPublisher {
    /** The most events one request to the queue carries (SQS's batch limit). */
    int REQUEST_SIZE = 10;

    /**
     * How a call went: how many events, from the first, were published, and, when the one after them was refused for
     * what it holds (it would be refused however often it were sent), the queue's reason.
     */
    record Publication(int published, Optional<String> refusedFor) {
        public static Publication of(int published) {
            return new Publication(published, Optional.empty());
        }
    }

    /**
     * Publishes the events in order and says how many, from the first, were published: it stops at the first that
     * was not, so no later event overtakes it.
     */
    Publication publish(List<OutboxRecord> events);

    /**
     * For SnapStart priming: prepares the messages of {@code events} as {@link #publish} would and makes one round
     * trip to the queue that publishes nothing.
     */
    void prime(List<OutboxRecord> events);
}
