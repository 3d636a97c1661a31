package dev.userservice.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.userservice.triggers.StreamRecord;
import dev.userservice.users.AccountTypes;
import dev.userservice.users.Plans;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** How stream records become counter deltas, and the consumer's rule that a record delivered again counts once. */
class CounterChangeTest {
    private static final Instant NOW = Instant.parse("2026-12-04T10:30:00Z");

    private final InMemoryCounterStore store = new InMemoryCounterStore();
    private final ServiceMetrics metrics = new ServiceMetrics(store, AccountTypes.DEFAULTS, Plans.DEFAULT, Clock.fixed(NOW, ZoneOffset.UTC));

    @Test
    void aReplayedRecordCountsOnce() {
        StreamRecord registered = record("e1", "INSERT", user("active", "member", "basic"), Map.of());

        assertTrue(metrics.apply(CounterChange.of(registered).orElseThrow()));
        assertEquals(false, metrics.apply(CounterChange.of(registered).orElseThrow()));

        assertEquals(Map.of("active", 1L), metrics.report().usersByStatus());
    }

    @Test
    void aChangedAccountMovesBetweenValuesAndARemovedOneLeaves() {
        apply(record("e1", "INSERT", user("active", "member", "basic"), Map.of()));
        apply(record("e2", "MODIFY", user("disabled", "member", "premium"), user("active", "member", "basic")));

        assertEquals(Map.of("active", 0L, "disabled", 1L), metrics.report().usersByStatus());
        assertEquals(Map.of("member", 1L), metrics.report().usersByType());
        assertEquals(Map.of("basic", 0L, "premium", 1L), metrics.report().usersByPlan());

        apply(record("e3", "REMOVE", Map.of(), user("disabled", "member", "premium")));
        assertEquals(Map.of("member", 0L), metrics.report().usersByType());
    }

    @Test
    void sessionsCountUntilRevokedOrRemovedAndDevicesWhileActive() {
        apply(record("s1", "INSERT", session(null), Map.of()));
        apply(record("s2", "INSERT", session(null), Map.of()));
        apply(record("s3", "MODIFY", session("2026-12-04T10:00:00Z"), session(null)));
        apply(record("s4", "REMOVE", Map.of(), session("2026-12-04T10:00:00Z")));
        apply(record("d1", "INSERT", device(true), Map.of()));
        apply(record("d2", "MODIFY", device(false), device(true)));
        apply(record("d3", "INSERT", device(true), Map.of()));

        assertEquals(1, metrics.report().activeSessions());
        assertEquals(1, metrics.report().activeDevices());
    }

    @Test
    void statusesCountInTheHourRecordedForTwentyFourHours() {
        apply(record("n1", "INSERT", status("email", "delivered", NOW.minusSeconds(60)), Map.of()));
        apply(record("n2", "INSERT", status("email", "delivered", NOW.minusSeconds(23 * 3600)), Map.of()));
        apply(record("n3", "INSERT", status("email", "delivered", NOW.minusSeconds(25 * 3600)), Map.of()));

        assertEquals(2L, metrics.report().notificationsLast24Hours().get("email").get("delivered"));
        assertEquals(0L, metrics.report().notificationsLast24Hours().get("push").get("opened"));
    }

    @Test
    void otherItemsAreSkipped() {
        assertTrue(CounterChange.of(record("o1", "INSERT", Map.of("type", s("outbox")), Map.of())).isEmpty());
    }

    private void apply(StreamRecord record) {
        metrics.apply(CounterChange.of(record).orElseThrow());
    }

    private static StreamRecord record(String id, String name, Map<String, Object> newImage, Map<String, Object> oldImage) {
        return new StreamRecord(id, name, "1", newImage, oldImage);
    }

    private static Map<String, Object> user(String status, String type, String plan) {
        return Map.of("type", s("user"), "status", s(status), "account_type", s(type), "plan", s(plan));
    }

    private static Map<String, Object> session(String revokedAt) {
        Map<String, Object> image = new HashMap<>(Map.of("type", s("session")));
        if (revokedAt != null) {
            image.put("revoked_at", s(revokedAt));
        }
        return image;
    }

    private static Map<String, Object> device(boolean active) {
        return Map.of("type", s("device"), "active", Map.of("BOOL", active));
    }

    private static Map<String, Object> status(String channel, String status, Instant recordedAt) {
        return Map.of("type", s("notification_status"), "channel", s(channel), "status", s(status),
                "recorded_at", s(recordedAt.toString()));
    }

    private static Map<String, Object> s(String value) {
        return Map.of("S", value);
    }

    /** Applies a change once per id, as the DynamoDB store's marker does. */
    private static final class InMemoryCounterStore implements CounterStore {
        private final Map<String, Long> counters = new HashMap<>();
        private final Set<String> applied = new HashSet<>();

        @Override
        public boolean apply(String changeId, List<Delta> deltas) {
            if (!applied.add(changeId)) {
                return false;
            }
            deltas.forEach(delta -> counters.merge(delta.counter(), delta.by(), Long::sum));
            return true;
        }

        @Override
        public Map<String, Long> read() {
            return Map.copyOf(counters);
        }

        @Override
        public void prime() {
            // nothing to prepare in memory
        }
    }
}
