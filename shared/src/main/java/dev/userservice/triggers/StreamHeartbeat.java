package dev.userservice.triggers;

import java.time.Duration;
import java.util.Optional;

/**
 * The table stream's heartbeat: an item of its own, written on a schedule for no other reason than that its insert
 * invokes every consumer of the stream. A consumer that is not invoked reports no IteratorAge, so a disabled event
 * source mapping would leave the stream's records unread, and lost when the stream trims them after 24 hours,
 * without an alarm; with heartbeats, a consumer with no invocation in an hour is one (StreamHeartbeatAlarm).
 * Every {@link StreamFunction} skips a heartbeat: it carries no change to consume.
 */
public final class StreamHeartbeat {
    /** The item type of heartbeats, which every consumer's stream filter passes on insert. */
    public static final String ITEM_TYPE = "heartbeat";
    /** A beat is of no use once it has been through the stream, which keeps records 24 hours. */
    public static final Duration KEPT = Duration.ofDays(1);

    private StreamHeartbeat() {}

    /** Whether the record is of a heartbeat item, whatever happened to it. */
    public static boolean is(StreamRecord record) {
        return record.string("type").or(() -> record.oldString("type")).equals(Optional.of(ITEM_TYPE));
    }
}
