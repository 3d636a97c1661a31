package dev.userservice.events;

import dev.userservice.logging.Log;
import dev.userservice.triggers.StreamRecord;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * Publishing the outbox: the events go to the queue in order, then what follows a published event is done: a token
 * mail's token is taken out of the table, an account deletion is handed over to be erased. Both count: a record is
 * done once it is published and followed up, so a failure to follow up stops the batch there and the stream retries
 * it, rather than leave a readable token or an account's remains behind. The events go out a queue request's worth
 * at a time ({@link EventPublisher#REQUEST_SIZE}), each followed up before the next is sent: a follow-up that keeps
 * failing stops the sending too, so the stream's retries, which may come later than the queue's five minutes of
 * de-duplication, send again at most the rest of one request, not the whole batch of other users' events. An event
 * the queue refuses for what it holds is parked ({@link ParkedRecords}) and the events behind it go on: the stream
 * retries everything else until it is done, however long the queue or the table is unavailable.
 */
public final class OutboxPublishing {
    private final EventPublisher publisher;
    private final PublishedTokens tokens;
    private final ErasureRequests erasures;
    private final ParkedRecords parked;

    public OutboxPublishing(EventPublisher publisher, PublishedTokens tokens, ErasureRequests erasures, ParkedRecords parked) {
        this.publisher = publisher;
        this.tokens = tokens;
        this.erasures = erasures;
        this.parked = parked;
    }

    /** Publishes the records in order; how many, from the first, are done. */
    public int publish(List<OutboxRecord> records) {
        return publish(records, () -> false);
    }

    /**
     * As {@link #publish(List)}, sending no further request once {@code timeIsShort}: the records not sent are
     * reported not done, and retried from the first of them, where an invocation that ran out would have all of its
     * batch sent again.
     */
    public int publish(List<OutboxRecord> records, BooleanSupplier timeIsShort) {
        int next = 0;
        while (next < records.size()) {
            if (next > 0 && timeIsShort.getAsBoolean()) {
                Log.warn("outbox batch stopped before its time ran out", Map.of("records_done", next, "records", records.size()));
                return next;
            }
            List<OutboxRecord> request = records.subList(next, Math.min(next + EventPublisher.REQUEST_SIZE, records.size()));
            EventPublisher.Publication publication = publisher.publish(request);
            for (int i = 0; i < publication.published(); i++) {
                if (!followedUp(request.get(i), next + i)) {
                    return next + i;
                }
            }
            next += publication.published();
            if (publication.refusedFor().isPresent()) {
                OutboxRecord refused = records.get(next);
                // The account is gone whether or not its event can be published: its remains are erased all the
                // same (the erasure's message holds ids only). A token mail keeps its token, for a replay.
                if ((refused.is(EventType.USER_DELETED) && !followedUp(refused, next))
                        || !parkRefused(refused, publication.refusedFor().get())) {
                    return next;
                }
                next++;
            } else if (publication.published() < request.size()) {
                return next;
            }
        }
        return records.size();
    }

    /** An outbox item that could not be read ({@link OutboxRecord#read}), by its keys as far as it has them. */
    public boolean parkUnreadable(StreamRecord record, String reason) {
        Map<String, Object> described = new LinkedHashMap<>();
        described.put("reason", "unreadable: " + reason);
        described.put("sequence_number", record.sequenceNumber());
        record.string("pk").ifPresent(key -> described.put("pk", key));
        record.string("sk").ifPresent(key -> described.put("sk", key));
        return parked(described);
    }

    /** The record's keys and ids, never its event, which may hold a token. */
    private boolean parkRefused(OutboxRecord record, String reason) {
        Map<String, Object> described = new LinkedHashMap<>();
        described.put("reason", "not publishable: " + reason);
        described.put("event_id", record.eventId());
        described.put("event_type", record.eventType());
        described.put("user_id", record.userId());
        described.put("pk", record.partitionKey());
        described.put("sk", record.sortKey());
        return parked(described);
    }

    /** False when it could not be parked: the record is then not done, and the stream retries it. */
    private boolean parked(Map<String, Object> described) {
        try {
            parked.park(described);
            Log.warn("outbox record parked", described);
            return true;
        } catch (RuntimeException e) {
            Log.error("outbox record not parked", described, e);
            return false;
        }
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
