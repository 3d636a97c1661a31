package dev.userservice.notifications;

import dev.userservice.devices.DeviceRegistration;
import dev.userservice.errors.ErrorCode;
import dev.userservice.errors.ServiceException;
import dev.userservice.notifications.NotificationStatus.Channel;
import dev.userservice.notifications.NotificationStatus.Status;
import dev.userservice.validation.Fields;
import dev.userservice.validation.Text;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Optional;

/**
 * A delivery status as the pipeline reports it, through either door: {@code POST /api/v1/{channel}/status} (the
 * channel in the path) or the {@code notification-status} queue (the channel in the body). Body:
 * {@code notification_id} (1-128 printable characters), {@code user_id} (UUID, read in lower case; may be left out
 * when an earlier status of the notification named the user, as the earlier services' clients do), {@code status}
 * ({@code queued|sent|delivered|opened|failed|bounced}), {@code error?} (a provider's text as it comes: line breaks
 * and other control characters become spaces, and it is kept to its first 200 characters), {@code device_token?}
 * (push only, as a device's token), {@code timestamp?} (ISO-8601, from 2000 to a day ahead of now, so a skewed clock
 * is taken but a typo is not; one without a zone, as a naive Python datetime prints, is UTC). Unknown fields are
 * refused, the earlier services' {@code notification_type} with what to send instead.
 *
 * @param userId null when the report names no user: {@link StatusRecorder} takes an earlier status's
 * @param timestamp when the pipeline says it happened; empty when not given, which means when it is recorded
 */
public record StatusReport(
        String notificationId,
        String userId,
        Channel channel,
        Status status,
        Optional<String> error,
        Optional<String> deviceToken,
        Optional<Instant> timestamp) {

    static final int NOTIFICATION_ID_MAX_LENGTH = 128;
    static final String NOTIFICATION_ID = "notification_id";
    static final String USER_ID = "user_id";
    static final String ERROR = "error";
    static final int ERROR_MAX_LENGTH = 200;
    /** Longer than any provider's reply: an SMTP server's multi-line answer runs to some hundreds of characters. */
    private static final int ERROR_SENT_MAX_LENGTH = 4096;
    /** A device token's own limit ({@code Device.token}): a status names a token a device holds. */
    static final int DEVICE_TOKEN_MAX_LENGTH = 4096;
    private static final Instant EARLIEST = Instant.parse("2000-01-01T00:00:00Z");
    private static final Duration LATEST_AHEAD = Duration.ofDays(1);

    /**
     * A status posted to {@code /api/v1/{channel}/status}: an unknown channel is an unknown route, 404
     * {@code not_found}; a bad body is 400 {@code validation_failed} naming every bad field. {@code clock} says
     * what "a day ahead of now" is.
     */
    public static StatusReport read(String channel, Map<String, Object> body, Clock clock) {
        Channel known = Channel.fromWireName(channel).orElseThrow(() -> new ServiceException(ErrorCode.NOT_FOUND));
        return read(Fields.of(body), known, clock);
    }

    /**
     * A status from the queue: the body above plus {@code channel}; 400-style {@link ServiceException} when invalid.
     * One without a {@code timestamp} happened no later than the message entered this queue ({@code sentAt}, when
     * known and not ahead of now): it may wait there through five receives, and a bounce or refused token dated when
     * it is finally recorded could outdate a change of address or token made meanwhile. A redrive from the
     * dead-letter queue sends it anew, with a new time: only the report's own {@code timestamp} survives that.
     */
    public static StatusReport readQueued(Map<String, Object> body, Optional<Instant> sentAt, Clock clock) {
        Fields fields = Fields.of(body);
        Channel channel = fields.required("channel", 16, Channel::parse);
        StatusReport report = read(fields, channel, clock);
        Instant now = clock.instant();
        return report.timestamp().isPresent() ? report : report.at(sentAt.filter(sent -> !sent.isAfter(now)));
    }

    private static StatusReport read(Fields fields, Channel channel, Clock clock) {
        String notificationId = fields.required(NOTIFICATION_ID, NOTIFICATION_ID_MAX_LENGTH, StatusReport::printable);
        String userId = fields.optional(USER_ID, 36, StatusReport::userId).orElse(null);
        fields.superseded("notification_type", "the channel in the path (/api/v1/email/status or /api/v1/push/status)"
                + " or the message's channel");
        Status status = fields.required("status", 16, Status::parse);
        Optional<String> error = error(fields);
        Optional<String> deviceToken = fields.optional("device_token", DEVICE_TOKEN_MAX_LENGTH, DeviceRegistration::token);
        if (deviceToken.isPresent() && channel == Channel.EMAIL) {
            fields.reject("device_token", "is only for push statuses");
        }
        Instant now = clock.instant();
        Optional<Instant> timestamp = fields.optional("timestamp", 64, text -> timestamp(text, now));
        fields.validate();
        return new StatusReport(notificationId, userId, channel, status, error, deviceToken, timestamp);
    }

    /** This report, naming {@code user}: the one an earlier status of the notification named. */
    StatusReport forUser(String user) {
        return new StatusReport(notificationId, user, channel, status, error, deviceToken, timestamp);
    }

    /** This report, dated {@code time}. */
    private StatusReport at(Optional<Instant> time) {
        return new StatusReport(notificationId, userId, channel, status, error, deviceToken, time);
    }

    /** Identifiers and error codes follow a push token's rule: not blank, printable characters only. */
    private static String printable(String value) {
        return DeviceRegistration.token(value);
    }

    /**
     * The provider's error as one line of at most {@link #ERROR_MAX_LENGTH} characters, empty when it says nothing:
     * an SMTP reply spans lines and a bounce's diagnostic runs long, and refusing either would leave the status
     * unrecorded (from the queue, a dead letter) for the text of its error alone. Read raw, not as other text fields
     * are, so that a lone surrogate (bytes a pipeline decoded with Python's {@code surrogateescape}) is blanked with
     * the other unprintable characters rather than refused.
     */
    private static Optional<String> error(Fields fields) {
        Object value = fields.raw(ERROR);
        if (value == null) {
            return Optional.empty();
        }
        if (!(value instanceof String text)) {
            fields.reject(ERROR, "must be a string");
            return Optional.empty();
        }
        if (text.codePointCount(0, text.length()) > ERROR_SENT_MAX_LENGTH) {
            fields.reject(ERROR, "must be at most " + ERROR_SENT_MAX_LENGTH + " characters");
            return Optional.empty();
        }
        return oneLine(text);
    }

    private static Optional<String> oneLine(String value) {
        StringBuilder line = new StringBuilder();
        value.codePoints().forEach(codePoint -> {
            boolean blank = Text.isSpace(codePoint) || DeviceRegistration.isUnprintable(codePoint);
            if (!blank) {
                line.appendCodePoint(codePoint);
            } else if (!line.isEmpty() && line.charAt(line.length() - 1) != ' ') {
                line.append(' ');
            }
        });
        String text = line.toString().strip();
        if (text.codePointCount(0, text.length()) > ERROR_MAX_LENGTH) {
            text = text.substring(0, text.offsetByCodePoints(0, ERROR_MAX_LENGTH - 1)) + "\u2026";
        }
        return text.isEmpty() ? Optional.empty() : Optional.of(text);
    }

    private static String userId(String value) {
        String canonical = Text.canonicalId(value);
        if (!Text.isId(canonical)) {
            throw new IllegalArgumentException("must be a user id (a UUID)");
        }
        return canonical;
    }

    private static Instant timestamp(String text, Instant now) {
        // Python's str() of a datetime puts a space where ISO-8601 has its T.
        String iso = text.length() > 10 && text.charAt(10) == ' ' ? text.substring(0, 10) + 'T' + text.substring(11) : text;
        Instant parsed;
        try {
            parsed = switch (DateTimeFormatter.ISO_DATE_TIME.parseBest(iso, ZonedDateTime::from, LocalDateTime::from)) {
                case ZonedDateTime zoned -> zoned.toInstant();
                case LocalDateTime utc -> utc.toInstant(ZoneOffset.UTC);
                default -> throw new IllegalStateException("parseBest answers one of the types it was given");
            };
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("must be an ISO-8601 date and time, e.g. 2025-01-15T09:47:40Z (UTC without a zone)");
        }
        if (parsed.isBefore(EARLIEST) || parsed.isAfter(now.plus(LATEST_AHEAD))) {
            throw new IllegalArgumentException("must be between 2000 and a day from now");
        }
        return parsed;
    }
}
