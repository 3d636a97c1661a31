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

/** Publishing the outbox: what is published, and which published items lose their token. */
class OutboxPublishingTest {
    private static final String TOKEN = "Yq3v9mJ0c8-TkRz2pL5sW1xN7bF4dH6gA0eU8iO3kQ";
    private static final String USER = "3f2b8c1e-5d4a-4e7b-9c0d-1a2b3c4d5e6f";

    private final QueueOf queue = new QueueOf();
    private final TableOf table = new TableOf();
    private final OutboxPublishing publishing = new OutboxPublishing(queue, table);
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
        assertEquals(List.of("e-1", "e-3"), table.forgotten);
    }

    @Test
    void tokensOfEventsNotPublishedAreKeptForTheRetry() {
        queue.publishOnly = 1;
        List<OutboxRecord> records = List.of(tokenMail("e-1", "user.password_reset_requested"),
                tokenMail("e-2", "user.password_reset_requested"));

        int done = publishing.publish(records);

        assertEquals(1, done);
        assertEquals(List.of("e-1"), table.forgotten, "e-2 is not on the queue: its retry needs its token");
    }

    @Test
    void aTokenNotForgottenStopsTheBatchThereSoTheRetryForgetsIt() {
        table.failing = Set.of("e-2");
        List<OutboxRecord> records = List.of(tokenMail("e-1", "user.password_reset_requested"),
                tokenMail("e-2", "user.password_reset_requested"), tokenMail("e-3", "user.password_reset_requested"));

        int done = publishing.publish(records);

        assertEquals(1, done, "e-2 is published but still holds its token: not done");
        assertEquals(List.of("e-1"), table.forgotten);
        assertFalse(log.text().contains(TOKEN));
        assertTrue(log.text().contains("published token not forgotten"));
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
        return new OutboxRecord(USER, type, eventId, Json.write(event));
    }

    /** The queue: takes the events in order, all of them or only the first {@code publishOnly}. */
    private static final class QueueOf implements EventPublisher {
        final List<OutboxRecord> sent = new ArrayList<>();
        int publishOnly = Integer.MAX_VALUE;

        @Override
        public int publish(List<OutboxRecord> events) {
            List<OutboxRecord> taken = events.subList(0, Math.min(publishOnly, events.size()));
            sent.addAll(taken);
            return taken.size();
        }

        @Override
        public void prime(List<OutboxRecord> events) {}
    }

    /** The outbox items: records which were forgotten, and fails for the event ids in {@code failing}. */
    private static final class TableOf implements PublishedTokens {
        final List<String> forgotten = new ArrayList<>();
        Set<String> failing = Set.of();

        @Override
        public void forget(OutboxRecord published) {
            if (failing.contains(published.eventId())) {
                throw new IllegalStateException("throttled");
            }
            forgotten.add(published.eventId());
        }
    }
}
