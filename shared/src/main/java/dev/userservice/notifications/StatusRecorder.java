package dev.userservice.notifications;

import dev.userservice.errors.ServiceException;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * The one way a delivery status is recorded, for both doors: {@code POST /api/v1/{channel}/status} and the
 * {@code notification-status} queue, each reading its {@link StatusReport}.
 *
 * <p>Recording is idempotent on (notification_id, channel, status): a repeat stores nothing and answers the first
 * record. A status for a user who does not exist (deleted since the notification was sent) is {@link Kind#UNKNOWN_USER}
 * with nothing stored: over HTTP a 404, on the queue a message dropped as processed, since no retry can succeed.
 * After a status that deactivated a device or marked an email bounced, the affected users' cached views are forgotten.
 */
public final class StatusRecorder {

    public enum Kind { CREATED, DUPLICATE, UNKNOWN_USER }

    /** What recording did, and the record to answer with: the new one, the first one for a repeat, or none. */
    public record Result(Kind kind, Optional<NotificationStatus> record) {}

    private final NotificationStore store;
    private final Consumer<String> forgetUser;
    private final Clock clock;

    /** {@code forgetUser} drops a user's cached views (as {@code UserService::forget}). */
    public StatusRecorder(NotificationStore store, Consumer<String> forgetUser, Clock clock) {
        this.store = store;
        this.forgetUser = forgetUser;
        this.clock = clock;
    }

    /**
     * Records the status now; one without a time ({@link StatusReport#readQueued} gives a queued one its queue's)
     * happened when it is recorded. One without a user is of the user an earlier status of the notification named;
     * 400 on {@code user_id} when none did. 400 on {@code notification_id} when the same status of that notification
     * was recorded for another user.
     */
    public Result record(StatusReport report) {
        if (report.userId() == null) {
            return record(report.forUser(store.userOf(report.notificationId(), report.channel()).orElseThrow(() ->
                    ServiceException.validation(StatusReport.USER_ID,
                            "is required: no earlier status of this notification names the user"))));
        }
        Instant now = clock.instant();
        NotificationStatus status = new NotificationStatus(UUID.randomUUID().toString(), report.notificationId(),
                report.userId(), report.channel(), report.status(), report.error().orElse(null),
                report.deviceToken().orElse(null), report.timestamp().orElse(now), now);
        return switch (store.record(status)) {
            case NotificationStore.Outcome.Created created -> {
                created.changedUsers().forEach(forgetUser);
                yield new Result(Kind.CREATED, Optional.of(created.record()));
            }
            case NotificationStore.Outcome.Duplicate duplicate -> {
                if (duplicate.existing().filter(first -> !first.userId().equals(status.userId())).isPresent()) {
                    throw anotherUsersNotification();
                }
                yield new Result(Kind.DUPLICATE, duplicate.existing());
            }
            case NotificationStore.Outcome.AnotherUsers another -> throw anotherUsersNotification();
            case NotificationStore.Outcome.UnknownUser unknown -> new Result(Kind.UNKNOWN_USER, Optional.empty());
        };
    }

    /**
     * A pipeline that gives a whole campaign one id would have every recipient's bounce but the first taken for a
     * repeat, and their addresses mailed on: refused, loudly, and no other user's record answered.
     */
    private static ServiceException anotherUsersNotification() {
        return ServiceException.validation(StatusReport.NOTIFICATION_ID,
                "is another user's notification: each notification to each user needs an id of its own");
    }
}
