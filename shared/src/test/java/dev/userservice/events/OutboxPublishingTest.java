package dev.userservice.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.userservice.json.Json;
import dev.userservice.logging.CapturedLog;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Publishing the outbox: what is published, which published items lose their token, which accounts go to be erased. */
class OutboxPublishingTest {
    private static final String TOKEN = "Yq3v9mJ0c8-TkRz2pL5sW1xN7bF4dH6gA0eU8iO3kQ";
    private static final String USER = "3f2b8c1e-5d4a-4e7b-9c0d-1a2b3c4d5e6f";

    private final QueueOf queue = new QueueOf();
    /** The outbox items whose token was forgotten. */
    private final Recorder table = new Recorder();
    /** The deletions handed over to be erased. */
    private final Recorder erasures = new Recorder();
    /** What was set aside for an operator. */
    private final List<Map<String, Object>> parked = new ArrayList<>();
    private boolean parkingFails;
    private final OutboxPublishing publishing = new OutboxPublishing(queue, table::record, erasures::record, record -> {
        if (parkingFails) {
            throw new IllegalStateException("the failure queue is unavailable");
        }
        parked.add(record);
    });
    private final CapturedLog log = new CapturedLog();

    @AfterEach
    void restoreLog() {
        log.close();
    }

    @Test
    void publishedTokenMailsAreForgottenAndOtherEventsLeftAlone() {
        List<OutboxRecord> records = List.of(tokenMail("e-1", "user.password_reset_requested"),
                event("e-2", "user.updated"), tokenMail("e-3", "user.email_verification_requested"));

        int done = publishing.publish(records);

        assertEquals(3, done);
        assertEquals(records, queue.sent);
        assertEquals(List.of("e-1", "e-3"), table.recorded);
    }

    @Test
    void tokensOfEventsNotPublishedAreKeptForTheRetry() {
        queue.publishOnly = 1;
        List<OutboxRecord> records = List.of(tokenMail("e-1", "user.password_reset_requested"),
                tokenMail("e-2", "user.password_reset_requested"));

        int done = publishing.publish(records);

        assertEquals(1, done);
        assertEquals(List.of("e-1"), table.recorded, "e-2 is not on the queue: its retry needs its token");
    }

    @Test
    void aTokenNotForgottenStopsTheBatchThereSoTheRetryForgetsIt() {
        table.failing = Set.of("e-2");
        List<OutboxRecord> records = List.of(tokenMail("e-1", "user.password_reset_requested"),
                tokenMail("e-2", "user.password_reset_requested"), tokenMail("e-3", "user.password_reset_requested"));

        int done = publishing.publish(records);

        assertEquals(1, done, "e-2 is published but still holds its token: not done");
        assertEquals(List.of("e-1"), table.recorded);
        assertFalse(log.text().contains(TOKEN));
        assertTrue(log.text().contains("published event not followed up"));
    }

    /** The stream's retries may come after the queue stopped de-duplicating: other users' events must not go out again. */
    @Test
    void aFollowUpThatFailsStopsTheSendingAfterItsRequest() {
        table.failing = Set.of("e-2");
        List<OutboxRecord> records = new ArrayList<>();
        for (int i = 1; i <= 25; i++) {
            records.add(tokenMail("e-" + i, "user.password_reset_requested"));
        }

        assertEquals(1, publishing.publish(records));

        assertEquals(records.subList(0, EventPublisher.REQUEST_SIZE), queue.sent, "one request's events, not the other fifteen");
    }

    /** Time running short: the request under way is finished and followed up, and no other is sent. */
    @Test
    void noRequestIsSentOnceTimeIsShort() {
        List<OutboxRecord> records = new ArrayList<>();
        for (int i = 1; i <= 25; i++) {
            records.add(tokenMail("e-" + i, "user.password_reset_requested"));
        }

        assertEquals(EventPublisher.REQUEST_SIZE, publishing.publish(records, () -> !queue.sent.isEmpty()));

        assertEquals(records.subList(0, EventPublisher.REQUEST_SIZE), queue.sent);
        assertEquals(EventPublisher.REQUEST_SIZE, table.recorded.size(), "each sent event followed up");
    }

    @Test
    void publishedDeletionsAndOnlyThoseAreHandedOverToBeErased() {
        List<OutboxRecord> records = List.of(event("e-1", "user.deleted"), event("e-2", "user.updated"),
                tokenMail("e-3", "user.password_reset_requested"), event("e-4", "user.deleted"));
        queue.publishOnly = 3;

        int done = publishing.publish(records);

        assertEquals(3, done);
        assertEquals(List.of("e-1"), erasures.recorded, "e-4 is not published yet: its retry hands it over");
        assertEquals(List.of("e-3"), table.recorded);
    }

    @Test
    void aDeletionNotHandedOverStopsTheBatchThereSoTheRetryHandsItOver() {
        erasures.failing = Set.of("e-2");
        List<OutboxRecord> records = List.of(event("e-1", "user.deleted"), event("e-2", "user.deleted"), event("e-3", "user.deleted"));

        int done = publishing.publish(records);

        assertEquals(1, done, "e-2 is published but its account is not on its way to be erased: not done");
        assertEquals(List.of("e-1"), erasures.recorded);
        assertTrue(log.text().contains("published event not followed up"));
    }

    /** An event the queue refuses for what it holds is set aside, by its keys, and the events behind it go on. */
    @Test
    void anEventTheQueueRefusesForGoodIsParkedAndTheNextOnesPublished() {
        queue.refused = Set.of("e-2");
        List<OutboxRecord> records = List.of(event("e-1", "user.updated"), tokenMail("e-2", "user.password_reset_requested"),
                event("e-3", "user.updated"));

        int done = publishing.publish(records);

        assertEquals(3, done);
        assertEquals(List.of("e-1", "e-3"), queue.sent.stream().map(OutboxRecord::eventId).toList());
        assertEquals(List.of(Map.of("reason", "not publishable: InvalidMessageContents", "event_id", "e-2",
                "event_type", "user.password_reset_requested", "user_id", USER, "pk", "OUTBOX#" + USER, "sk", "EVENT#e-2")), parked);
        assertEquals(List.of(), table.recorded, "never published, its token stays in the item for a replay");
        assertFalse(log.text().contains(TOKEN));
    }

    /** The account is gone whether or not its event can be published: a parked deletion is still handed over to be erased. */
    @Test
    void aRefusedDeletionIsParkedAndItsAccountStillErased() {
        queue.refused = Set.of("e-1");

        assertEquals(1, publishing.publish(List.of(event("e-1", "user.deleted"))));

        assertEquals(List.of("e-1"), erasures.recorded);
        assertEquals("e-1", parked.getFirst().get("event_id"));
    }

    @Test
    void aRefusedEventThatCannotBeParkedStopsTheBatchThere() {
        queue.refused = Set.of("e-2");
        parkingFails = true;

        int done = publishing.publish(List.of(event("e-1", "user.updated"), event("e-2", "user.updated"), event("e-3", "user.updated")));

        assertEquals(1, done);
        assertTrue(log.text().contains("outbox record not parked"));
    }

    @Test
    void withoutTokenKeepsAllButTheToken() {
        OutboxRecord mail = tokenMail("e-1", "user.email_verification_requested");

        Map<String, Object> kept = Json.parseObject(mail.withoutToken());

        Map<String, Object> expectedData = new LinkedHashMap<>(mailData());
        expectedData.remove("token");
        expectedData.put("token_forgotten", true);
        assertEquals(expectedData, kept.get("data"));
        assertEquals("e-1", kept.get("event_id"));
        assertFalse(mail.withoutToken().contains(TOKEN));
    }

    @Test
    void anInvitationsTokenIsForgottenOncePublishedLikeAnyTokenMails() {
        OutboxRecord invitation = tokenMail("e-3", "user.invited");

        assertTrue(invitation.carriesToken());
        assertFalse(invitation.withoutToken().contains(TOKEN));
    }

    @Test
    void withoutTokenLeavesAnEventWithoutOneAsItIs() {
        OutboxRecord updated = event("e-2", "user.updated");

        assertEquals(updated.eventJson(), updated.withoutToken());
        assertFalse(updated.carriesToken());
    }

    // ---- helpers

    private static OutboxRecord tokenMail(String eventId, String type) {
        return record(eventId, type, mailData());
    }

    private static OutboxRecord event(String eventId, String type) {
        return record(eventId, type, Map.of("changed_fields", List.of("name")));
    }

    private static Map<String, Object> mailData() {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("email", "alice@example.com");
        data.put("token", TOKEN);
        data.put("expires_at", "2025-02-01T10:00:00Z");
        data.put("name", "Alice");
        data.put("locale", "en");
        return data;
    }

    private static OutboxRecord record(String eventId, String type, Map<String, Object> data) {
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("event_id", eventId);
        event.put("type", type);
        event.put("user_id", USER);
        event.put("data", data);
        return new OutboxRecord(USER, type, eventId, Json.write(event), "OUTBOX#" + USER, "EVENT#" + eventId);
    }

    /**
     * The queue: takes the events in order, all of them or only the first {@code publishOnly}, and refuses for good
     * those in {@code refused}.
     */
    private static final class QueueOf implements EventPublisher {
        final List<OutboxRecord> sent = new ArrayList<>();
        int publishOnly = Integer.MAX_VALUE;
        Set<String> refused = Set.of();

        @Override
        public Publication publish(List<OutboxRecord> events) {
            List<OutboxRecord> taken = events.subList(0, Math.min(publishOnly, events.size()));
            for (int i = 0; i < taken.size(); i++) {
                if (refused.contains(taken.get(i).eventId())) {
                    sent.addAll(taken.subList(0, i));
                    return new Publication(i, java.util.Optional.of("InvalidMessageContents"));
                }
            }
            sent.addAll(taken);
            return Publication.of(taken.size());
        }

        @Override
        public void prime(List<OutboxRecord> events) {}
    }

    /** Records the event ids it is given, and fails for those in {@code failing}, as a throttled table or queue does. */
    private static final class Recorder {
        final List<String> recorded = new ArrayList<>();
        Set<String> failing = Set.of();

        void record(OutboxRecord record) {
            if (failing.contains(record.eventId())) {
                throw new IllegalStateException("throttled");
            }
            recorded.add(record.eventId());
        }
    }
}
