package dev.userservice.health;

import dev.userservice.triggers.StreamRecord;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What one stream record of a profile, session, device or notification status changes in the service counters,
 * from its old and new images: an account counts under its status, type and plan; a session counts as active from
 * its creation until it is revoked or its item removed; a device while its {@code active} is true; a notification
 * status once, in the hour it was recorded. A record that changes nothing counted has no deltas.
 *
 * @param changeId the stream record's event id, so a record delivered again is applied once
 */
public record CounterChange(String changeId, List<CounterStore.Delta> deltas) {
    static final String USERS_BY_STATUS = "users.status#";
    static final String USERS_BY_TYPE = "users.type#";
    static final String USERS_BY_PLAN = "users.plan#";
    static final String ACTIVE_SESSIONS = "sessions.active";
    static final String ACTIVE_DEVICES = "devices.active";
    static final String NOTIFICATIONS_PREFIX = "notifications#";
    /** Hourly counters outlive the day they are summed over by an hour, then expire. */
    static final Duration HOURLY_KEPT = Duration.ofHours(25);
    static final DateTimeFormatter HOUR = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH").withZone(ZoneOffset.UTC);

    /** The item types whose records this reads; the stream consumer's filter passes only these. */
    public static final List<String> COUNTED_TYPES = List.of("user", "session", "device", "notification_status");

    /** The change one record makes, empty for a record of an item type not counted. */
    public static Optional<CounterChange> of(StreamRecord record) {
        String type = record.string("type").or(() -> record.oldString("type")).orElse("");
        List<CounterStore.Delta> deltas = new ArrayList<>();
        switch (type) {
            case "user" -> {
                dimension(deltas, USERS_BY_STATUS, record.oldString("status"), record.string("status"));
                dimension(deltas, USERS_BY_TYPE, record.oldString("account_type"), record.string("account_type"));
                dimension(deltas, USERS_BY_PLAN, record.oldString("plan"), record.string("plan"));
            }
            case "session" -> gauge(deltas, ACTIVE_SESSIONS,
                    !record.oldImage().isEmpty() && record.oldString("revoked_at").isEmpty(),
                    !record.newImage().isEmpty() && record.string("revoked_at").isEmpty());
            case "device" -> gauge(deltas, ACTIVE_DEVICES,
                    record.oldBool("active").orElse(false), record.bool("active").orElse(false));
            case "notification_status" -> {
                if (record.isInsert()) {
                    Instant recordedAt = record.string("recorded_at").map(Instant::parse).orElseThrow(
                            () -> new dev.userservice.triggers.MalformedRecordException("recorded_at"));
                    Instant hour = recordedAt.truncatedTo(ChronoUnit.HOURS);
                    deltas.add(new CounterStore.Delta(notifications(hour, record.string("channel").orElse("unknown"),
                            record.string("status").orElse("unknown")), 1, hour.plus(HOURLY_KEPT)));
                }
            }
            default -> {
                return Optional.empty();
            }
        }
        return Optional.of(new CounterChange(record.eventId(), List.copyOf(deltas)));
    }

    static String notifications(Instant hour, String channel, String status) {
        return NOTIFICATIONS_PREFIX + HOUR.format(hour) + "#" + channel + "#" + status;
    }

    /** The old value's counter down, the new value's up, nothing when they are the same. */
    private static void dimension(List<CounterStore.Delta> deltas, String prefix, Optional<String> before, Optional<String> after) {
        if (before.equals(after)) {
            return;
        }
        before.ifPresent(value -> deltas.add(new CounterStore.Delta(prefix + value, -1, null)));
        after.ifPresent(value -> deltas.add(new CounterStore.Delta(prefix + value, 1, null)));
    }

    private static void gauge(List<CounterStore.Delta> deltas, String counter, boolean before, boolean after) {
        if (before != after) {
            deltas.add(new CounterStore.Delta(counter, after ? 1 : -1, null));
        }
    }
}
