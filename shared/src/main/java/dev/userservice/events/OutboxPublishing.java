package dev.userservice.events;

import dev.userservice.logging.Log;
import java.util.List;
import java.util.Map;

/**
 * Publishing the outbox: the events go to the queue in order, then what follows a published event is done: a token
 * mail's token is taken out of the table, an account deletion is handed over to be erased. Both count: a record is
 * done once it is published and followed up, so a failure to follow up stops the batch there and the stream retries
 * it, rather than leave a readable token or an account's remains behind. The events go out a queue request's worth
 * at a time ({@link EventPublisher#REQUEST_SIZE}), each followed up before the next is sent: a follow-up that keeps
 * failing stops the sending too, so the stream's retries, which may come later than the queue's five minutes of
 * de-duplication, send again at most the rest of one request, not the whole batch of other users' events.
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
        for (int start = 0; start < records.size(); start += EventPublisher.REQUEST_SIZE) {
            int end = Math.min(start + EventPublisher.REQUEST_SIZE, records.size());
            int published = start + publisher.publish(records.subList(start, end));
            for (int i = start; i < published; i++) {
                if (!followedUp(records.get(i), i)) {
                    return i;
                }
            }
            if (published < end) {
                return published;
            }
        }
        return records.size();
    }

    private boolean followedUp(OutboxRecord record, int recordsDone) {
        try {
            if (record.carriesToken()) {
                tokens.forget(record);
            } else if (record.is(EventType.USER_DELETED)) {
                erasures.request(record);
            }
            return true;
        } catch (RuntimeException e) {
            Log.error("published event not followed up", Map.of("event_id", record.eventId(),
                    "event_type", record.eventType(), "records_done", recordsDone), e);
            return false;
        }
    }

    /** For SnapStart priming: see {@link EventPublisher#prime}. */
    public void prime(List<OutboxRecord> records) {
        publisher.prime(records);
    }
}
