package dev.userservice.notifications;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.userservice.errors.ErrorCode;
import dev.userservice.errors.FieldError;
import dev.userservice.errors.ServiceException;
import dev.userservice.json.Json;
import dev.userservice.notifications.NotificationStatus.Channel;
import dev.userservice.notifications.NotificationStatus.Status;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class StatusReportTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-23T10:00:00Z"), ZoneOffset.UTC);
    private static final String USER_ID = "0b7e3c1e-5d5e-4c1b-9a3e-2f4f6d8c9a10";

    @Test
    void aPostedStatusTakesItsChannelFromThePath() {
        StatusReport report = StatusReport.read("push", Json.parseObject("""
                {"notification_id": "n-42", "user_id": "%s", "status": "failed", "error": "unregistered",
                 "device_token": "token-1", "timestamp": "2026-11-23T09:59:00+01:00"}""".formatted(USER_ID)), CLOCK);

        assertEquals(new StatusReport("n-42", USER_ID, Channel.PUSH, Status.FAILED, Optional.of("unregistered"),
                Optional.of("token-1"), Optional.of(Instant.parse("2026-11-23T08:59:00Z"))), report);
    }

    @Test
    void aStatusPostedToAnUnknownChannelIsAnUnknownRoute() {
        ServiceException refused = assertThrows(ServiceException.class,
                () -> StatusReport.read("sms", Json.parseObject("{}"), CLOCK));

        assertEquals(ErrorCode.NOT_FOUND, refused.error());
    }

    @Test
    void aQueuedStatusNamesItsChannel() {
        StatusReport report = StatusReport.readQueued(Json.parseObject("""
                {"channel": "email", "notification_id": "n-1", "user_id": "%s", "status": "bounced"}""".formatted(USER_ID)),
                Optional.empty(), CLOCK);

        assertEquals(Channel.EMAIL, report.channel());
        assertEquals(Optional.empty(), report.timestamp(), "recorded now");
        assertEquals(List.of(new FieldError("channel", "must be email or push")), failures(() -> StatusReport.readQueued(
                Json.parseObject("{\"channel\": \"sms\", \"notification_id\": \"n-1\", \"user_id\": \"%s\", \"status\": \"sent\"}"
                        .formatted(USER_ID)), Optional.empty(), CLOCK)));
    }

    /**
     * A bounce without a time waited in the queue (receives, a redrive): it happened no later than it was sent there,
     * not when it is recorded. A time the report gives stands; a sending time ahead of the clock is not believed.
     */
    @Test
    void aQueuedStatusWithoutATimeHappenedNoLaterThanItWasSent() {
        String bounce = """
                {"channel": "email", "notification_id": "n-1", "user_id": "%s", "status": "bounced"%s}""";
        Instant sent = CLOCK.instant().minus(java.time.Duration.ofDays(3));

        assertEquals(Optional.of(sent), StatusReport.readQueued(Json.parseObject(bounce.formatted(USER_ID, "")),
                Optional.of(sent), CLOCK).timestamp());
        assertEquals(Optional.of(Instant.parse("2026-11-01T08:00:00Z")), StatusReport.readQueued(Json.parseObject(
                bounce.formatted(USER_ID, ", \"timestamp\": \"2026-11-01T08:00:00Z\"")), Optional.of(sent), CLOCK).timestamp());
        assertEquals(Optional.empty(), StatusReport.readQueued(Json.parseObject(bounce.formatted(USER_ID, "")),
                Optional.of(CLOCK.instant().plusSeconds(60)), CLOCK).timestamp());
    }

    @Test
    void theUserIdIsReadInLowerCase() {
        StatusReport report = StatusReport.read("email", Json.parseObject("""
                {"notification_id": "n-1", "user_id": "%s", "status": "sent"}""".formatted(USER_ID.toUpperCase())), CLOCK);

        assertEquals(USER_ID, report.userId());
    }

    @Test
    void everyBadFieldIsNamedInOneRefusal() {
        List<FieldError> failures = failures(() -> StatusReport.readQueued(Json.parseObject("""
                {"user_id": "someone", "status": "read", "error": 550, "colour": "blue"}"""), Optional.empty(), CLOCK));

        assertEquals(List.of("channel", "notification_id", "user_id", "status", "error", "colour"),
                failures.stream().map(FieldError::field).toList());
        assertEquals("must be one of queued, sent, delivered, opened, failed, bounced",
                failures.stream().filter(failure -> failure.field().equals("status")).findFirst().orElseThrow().message());
    }

    @Test
    void aReportMayLeaveTheUserOutForTheRecorderToFind() {
        StatusReport report = StatusReport.read("email", Json.parseObject("{\"notification_id\": \"notif-123\", \"status\": \"delivered\"}"), CLOCK);

        assertEquals(null, report.userId());
    }

    @Test
    void theEarlierNotificationTypeIsRefusedWithWhatToSendInstead() {
        assertEquals(List.of(new FieldError("notification_type", "is not used by this service: use the channel in the path"
                + " (/api/v1/email/status or /api/v1/push/status) or the message's channel instead")),
                failures(() -> StatusReport.read("email", Json.parseObject("""
                        {"notification_id": "n-1", "user_id": "%s", "status": "sent", "notification_type": "email"}""".formatted(USER_ID)),
                        CLOCK)));
    }

    @Test
    void aDeviceTokenIsOnlyForPushStatuses() {
        assertEquals(List.of(new FieldError("device_token", "is only for push statuses")), failures(() -> StatusReport.read(
                "email", Json.parseObject("""
                        {"notification_id": "n-1", "user_id": "%s", "status": "failed", "device_token": "t"}""".formatted(USER_ID)),
                CLOCK)));
    }

    @Test
    void aSkewedClockIsTakenButATimestampMoreThanADayAheadIsNot() {
        assertEquals(Optional.of(Instant.parse("2026-11-24T09:00:00Z")), posted("2026-11-24T09:00:00Z").timestamp());

        List<FieldError> ahead = failures(() -> posted("2026-11-24T10:00:01Z"));
        List<FieldError> beforeTheYear2000 = failures(() -> posted("1999-12-31T23:59:59Z"));
        List<FieldError> notADate = failures(() -> posted("23/11/2026 09:00"));

        assertEquals(List.of(new FieldError("timestamp", "must be between 2000 and a day from now")), ahead);
        assertEquals(ahead, beforeTheYear2000);
        assertEquals(List.of(new FieldError("timestamp",
                "must be an ISO-8601 date and time, e.g. 2025-01-15T09:47:40Z (UTC without a zone)")), notADate);
    }

    /** What a Python pipeline prints for a naive UTC datetime, with isoformat() or str(): the earlier service took it. */
    @Test
    void aTimestampWithoutAZoneIsUtc() {
        assertEquals(Optional.of(Instant.parse("2026-11-23T09:00:00Z")), posted("2026-11-23T09:00:00").timestamp());
        assertEquals(Optional.of(Instant.parse("2026-11-23T09:00:00.123456Z")), posted("2026-11-23 09:00:00.123456").timestamp());
        assertEquals(Optional.of(Instant.parse("2026-11-23T08:00:00Z")), posted("2026-11-23T09:00:00+01:00").timestamp());
    }

    /**
     * A provider's error as it comes: an SMTP server's reply spans lines and a bounce's diagnostic runs past 200
     * characters. Refused, the status would go unrecorded (from the queue, a dead letter) for its error's text alone.
     */
    @Test
    void aProvidersErrorIsKeptOnOneLineToItsFirst200Characters() {
        String reply = "550-5.1.1 The email account that you tried to reach does not exist. Please try\r\n"
                + "550-5.1.1 double-checking the recipient's email address for typos or\r\n"
                + "550 5.1.1 unnecessary spaces. For more information, go to\r\n\t https://support.google.com/mail/?p=NoSuchUser";

        String error = reported(Json.write(reply)).error().orElseThrow();

        assertEquals(200, error.codePointCount(0, error.length()));
        assertTrue(error.startsWith("550-5.1.1 The email account that you tried to reach does not exist. Please try 550-5.1.1 double"), error);
        assertTrue(error.endsWith("\u2026"), error);
        assertEquals(Optional.of("mailbox full"), reported("\" mailbox\\u0000full\\n\"").error());
        assertEquals(Optional.empty(), reported("\" \\n \"").error(), "an error that says nothing is none");
        assertEquals(Optional.of("bad byte here"), reported("\"bad byte\\udc80here\"").error(),
                "a byte Python decoded with surrogateescape");
    }

    private static StatusReport reported(String errorJson) {
        return StatusReport.read("email", Json.parseObject("""
                {"notification_id": "n-1", "user_id": "%s", "status": "bounced", "error": %s}""".formatted(USER_ID, errorJson)),
                CLOCK);
    }

    private static StatusReport posted(String timestamp) {
        return StatusReport.read("email", Json.parseObject("""
                {"notification_id": "n-1", "user_id": "%s", "status": "sent", "timestamp": "%s"}""".formatted(USER_ID, timestamp)),
                CLOCK);
    }

    private static List<FieldError> failures(Executable read) {
        ServiceException refused = assertThrows(ServiceException.class, read);
        assertEquals(ErrorCode.VALIDATION_FAILED, refused.error());
        return refused.details();
    }
}
