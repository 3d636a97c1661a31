package dev.userservice.events;

import dev.userservice.logging.Log;
import java.util.List;
import java.util.Map;

/**
 * Publishing the outbox: the events go to the queue in order, then the token mails among those published lose
 * their token in the table. Both count: a record is done once it is published and, for a token mail, forgotten, so
 * a failure to forget stops the batch there and the stream retries it (the queue drops the repeated message by its
 * event id), rather than leave a readable token behind.
 */
public final class OutboxPublishing {
    private final EventPublisher publisher;
    private final PublishedTokens tokens;

    public OutboxPublishing(EventPublisher publisher, PublishedTokens tokens) {
        this.publisher = publisher;
        this.tokens = tokens;
    }

    /** Publishes the records in order; how many, from the first, are done. */
    public int publish(List<OutboxRecord> records) {
        int published = publisher.publish(records);
        for (int i = 0; i < published; i++) {
            OutboxRecord record = records.get(i);
            if (record.carriesToken()) {
                try {
                    tokens.forget(record);
                } catch (RuntimeException e) {
                    Log.error("published token not forgotten", Map.of("event_id", record.eventId(), "records_done", i), e);
                    return i;
                }
            }
        }
        return published;
    }

    /** For SnapStart priming: see {@link EventPublisher#prime}. */
    public void prime(List<OutboxRecord> records) {
        publisher.prime(records);
    }
}
