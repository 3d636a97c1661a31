package dev.userservice.events;

import dev.userservice.logging.Log;
import java.util.List;
import java.util.Map;

/**
 * Publishing the outbox: the events go to the queue in order, then what follows a published event is done: a token
 * mail's token is taken out of the table, an account deletion is handed over to be erased. Both count: a record is
 * done once it is published and followed up, so a failure to follow up stops the batch there and the stream retries
 * it (the queue drops the repeated message by its event id), rather than leave a readable token or an account's
 * remains behind.
 */
public final class OutboxPublishing {
    private final EventPublisher publisher;
    private final PublishedTokens tokens;
    private final ErasureRequests erasures;

    public OutboxPublishing(EventPublisher publisher, PublishedTokens tokens, ErasureRequests erasures) {
        this.publisher = publisher;
        this.tokens = tokens;
        this.erasures = erasures;
    }

    /** Publishes the records in order; how many, from the first, are done. */
    public int publish(List<OutboxRecord> records) {
        int published = publisher.publish(records);
        for (int i = 0; i < published; i++) {
            OutboxRecord record = records.get(i);
            try {
                if (record.carriesToken()) {
                    tokens.forget(record);
                } else if (record.is(EventType.USER_DELETED)) {
                    erasures.request(record);
                }
            } catch (RuntimeException e) {
                Log.error("published event not followed up", Map.of("event_id", record.eventId(),
                        "event_type", record.eventType(), "records_done", i), e);
                return i;
            }
        }
        return published;
    }

    /** For SnapStart priming: see {@link EventPublisher#prime}. */
    public void prime(List<OutboxRecord> records) {
        publisher.prime(records);
    }
}
