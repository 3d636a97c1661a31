package dev.userservice.notifications;

import dev.userservice.devices.DeviceRegistration;
import dev.userservice.errors.ServiceException;
import dev.userservice.errors.ErrorCode;
import dev.userservice.notifications.NotificationStatus.Channel;
import dev.userservice.notifications.NotificationStatus.Status;
import dev.userservice.users.UserService;
import dev.userservice.validation.Fields;
import dev.userservice.validation.Text;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The one way a delivery status is validated and recorded, for both doors: {@code POST /api/v1/{channel}/status}
 * and the {@code notification-status} queue. Body: {@code notification_id} (1-128 printable characters),
 * {@code user_id} (UUID), {@code status} ({@code queued|sent|delivered|opened|failed|bounced}), {@code error?}
 * (at most 200 printable characters), {@code device_token?} (push only, as a device's token), {@code timestamp?}
 * (ISO-8601 with a zone, from 2000 to a day ahead of now, so a skewed clock is taken but a typo is not; default now).
 * Unknown fields are refused.
 *
 * <p>Recording is idempotent on (notification_id, channel, status): a repeat stores nothing and answers the first
 * record. A status for a user who does not exist (deleted since the notification was sent) is {@link Kind#UNKNOWN_USER}
 * with nothing stored: over HTTP a 404, on the queue a message dropped as processed, since no retry can succeed.
 * After a status that deactivated a device or marked an email bounced, the affected users' cached views are forgotten.
 */
public final class StatusRecorder {
    static final int NOTIFICATION_ID_MAX_LENGTH = 128;
    static final int ERROR_MAX_LENGTH = 200;
    /** A device token's own limit ({@code Device.token}): a status names a token a device holds. */
    static final int DEVICE_TOKEN_MAX_LENGTH = 4096;
    private static final Instant EARLIEST = Instant.parse("2000-01-01T00:00:00Z");
    private static final Duration LATEST_AHEAD = Duration.ofDays(1);

    public enum Kind { CREATED, DUPLICATE, UNKNOWN_USER }

    /** What recording did, and the record to answer with: the new one, the first one for a repeat, or none. */
    public record Result(Kind kind, Optional<NotificationStatus> record) {}

    private final NotificationStore store;
    private final UserService users;
    private final Clock clock;

    public StatusRecorder(NotificationStore store, UserService users, Clock clock) {
        this.store = store;
        this.users = users;
        this.clock = clock;
    }

    /** A status posted to {@code /api/v1/{channel}/status}: an unknown channel is an unknown route, 404. */
    public Result recordPosted(String channel, Map<String, Object> body) {
        Channel known = Channel.fromWireName(channel).orElseThrow(() -> new ServiceException(ErrorCode.NOT_FOUND));
        Fields fields = Fields.of(body);
        return record(read(fields, known));
    }

    /** A status from the queue: the body above plus {@code channel}; 400-style {@link ServiceException} when invalid. */
    public Result recordQueued(Map<String, Object> body) {
        Fields fields = Fields.of(body);
        Channel channel = fields.required("channel", 16, name -> Channel.fromWireName(name)
                .orElseThrow(() -> new IllegalArgumentException("must be email or push")));
        return record(read(fields, channel));
    }

    /** Reads and checks the status fields; throws {@code validation_failed} naming every bad one. */
    private NotificationStatus read(Fields fields, Channel channel) {
        String notificationId = fields.required("notification_id", NOTIFICATION_ID_MAX_LENGTH, StatusRecorder::printable);
        String userId = fields.required("user_id", 36, StatusRecorder::userId);
        Status status = fields.required("status", 16, name -> Status.fromWireName(name).orElseThrow(() ->
                new IllegalArgumentException("must be one of queued, sent, delivered, opened, failed, bounced")));
        String error = fields.optional("error", ERROR_MAX_LENGTH, StatusRecorder::printable).orElse(null);
        String deviceToken = fields.optional("device_token", DEVICE_TOKEN_MAX_LENGTH, DeviceRegistration::token).orElse(null);
        if (deviceToken != null && channel == Channel.EMAIL) {
            fields.reject("device_token", "is only for push statuses");
        }
        Instant now = clock.instant();
        Instant timestamp = fields.optional("timestamp", 64, text -> timestamp(text, now)).orElse(now);
        fields.validate();
        return new NotificationStatus(UUID.randomUUID().toString(), notificationId, userId, channel, status, error,
                deviceToken, timestamp, now);
    }

    private Result record(NotificationStatus status) {
        return switch (store.record(status)) {
            case NotificationStore.Outcome.Created created -> {
                created.changedUsers().forEach(users::forget);
                yield new Result(Kind.CREATED, Optional.of(created.record()));
            }
            case NotificationStore.Outcome.Duplicate duplicate -> new Result(Kind.DUPLICATE, duplicate.existing());
            case NotificationStore.Outcome.UnknownUser unknown -> new Result(Kind.UNKNOWN_USER, Optional.empty());
        };
    }

    /** Identifiers and error codes follow a push token's rule: not blank, printable characters only. */
    private static String printable(String value) {
        return DeviceRegistration.token(value);
    }

    private static String userId(String value) {
        String canonical = value.toLowerCase(Locale.ROOT);
        if (!Text.isId(canonical)) {
            throw new IllegalArgumentException("must be a user id (a UUID)");
        }
        return canonical;
    }

    private static Instant timestamp(String text, Instant now) {
        Instant parsed;
        try {
            parsed = OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("must be an ISO-8601 date and time with a zone, e.g. 2025-01-15T09:47:40Z");
        }
        if (parsed.isBefore(EARLIEST) || parsed.isAfter(now.plus(LATEST_AHEAD))) {
            throw new IllegalArgumentException("must be between 2000 and a day from now");
        }
        return parsed;
    }
}
