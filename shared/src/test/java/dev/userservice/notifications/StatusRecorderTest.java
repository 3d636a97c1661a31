package dev.userservice.notifications;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.userservice.errors.ErrorCode;
import dev.userservice.errors.ServiceException;
import dev.userservice.notifications.NotificationStatus.Channel;
import dev.userservice.notifications.NotificationStatus.Status;
import dev.userservice.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class StatusRecorderTest {
    private static final Instant NOW = Instant.parse("2026-11-23T10:00:00Z");

    private final MutableClock clock = new MutableClock(NOW);
    private final InMemoryNotificationStore store = new InMemoryNotificationStore();
    private final List<String> forgotten = new ArrayList<>();
    private final StatusRecorder recorder = new StatusRecorder(store, forgotten::add, clock);
    private final String userId = UUID.randomUUID().toString();

    @Test
    void aStatusWithoutATimestampHappenedWhenItIsRecorded() {
        store.addUser(userId);

        StatusRecorder.Result result = recorder.record(report("n-1", Channel.EMAIL, Status.SENT, null, null, null));

        assertEquals(StatusRecorder.Kind.CREATED, result.kind());
        NotificationStatus recorded = result.record().orElseThrow();
        assertEquals(NOW, recorded.timestamp());
        assertEquals(NOW, recorded.recordedAt());
        assertEquals(List.of(recorded), store.stored());
    }

    @Test
    void aStatusKeepsTheTimeThePipelineGaveIt() {
        store.addUser(userId);
        Instant sentAt = NOW.minus(Duration.ofMinutes(5));

        NotificationStatus recorded = recorder.record(report("n-1", Channel.PUSH, Status.SENT, null, null, sentAt))
                .record().orElseThrow();

        assertEquals(sentAt, recorded.timestamp());
        assertEquals(NOW, recorded.recordedAt());
    }

    @Test
    void aRepeatedStatusStoresNothingAndAnswersTheFirstRecord() {
        store.addUser(userId);
        NotificationStatus first = recorder.record(report("n-1", Channel.EMAIL, Status.DELIVERED, null, null, null))
                .record().orElseThrow();
        clock.advance(Duration.ofSeconds(30));

        StatusRecorder.Result repeat = recorder.record(report("n-1", Channel.EMAIL, Status.DELIVERED, null, null, null));

        assertEquals(StatusRecorder.Kind.DUPLICATE, repeat.kind());
        assertEquals(Optional.of(first), repeat.record());
        assertEquals(List.of(first), store.stored());
    }

    /** One id for a whole campaign: the second recipient's bounce is not taken for a repeat of the first's. */
    @Test
    void theSameStatusOfTheSameNotificationForAnotherUserIsRefused() {
        store.addUser(userId);
        String other = UUID.randomUUID().toString();
        store.addUser(other);
        recorder.record(report("campaign-1", Channel.EMAIL, Status.BOUNCED, null, null, null));

        ServiceException refused = assertThrows(ServiceException.class, () -> recorder.record(new StatusReport("campaign-1", other,
                Channel.EMAIL, Status.BOUNCED, Optional.empty(), Optional.empty(), Optional.empty())));

        assertEquals(ErrorCode.VALIDATION_FAILED, refused.error());
        assertEquals("notification_id", refused.details().getFirst().field());
        assertEquals(1, store.stored().size());
    }

    @Test
    void anotherStatusOrChannelOfTheSameNotificationIsRecordedToo() {
        store.addUser(userId);

        recorder.record(report("n-1", Channel.EMAIL, Status.SENT, null, null, null));
        StatusRecorder.Result delivered = recorder.record(report("n-1", Channel.EMAIL, Status.DELIVERED, null, null, null));
        StatusRecorder.Result pushed = recorder.record(report("n-1", Channel.PUSH, Status.SENT, null, null, null));

        assertEquals(StatusRecorder.Kind.CREATED, delivered.kind());
        assertEquals(StatusRecorder.Kind.CREATED, pushed.kind());
        assertEquals(3, store.stored().size());
    }

    @Test
    void aStatusForAnUnknownUserStoresNothing() {
        StatusRecorder.Result result = recorder.record(report("n-1", Channel.EMAIL, Status.SENT, null, null, null));

        assertEquals(StatusRecorder.Kind.UNKNOWN_USER, result.kind());
        assertEquals(Optional.empty(), result.record());
        assertTrue(store.stored().isEmpty());
    }

    @Test
    void aDeadPushTokenDeactivatesItsDeviceAndForgetsItsOwnersCachedViews() {
        String owner = UUID.randomUUID().toString();
        store.addUser(userId);
        store.addDevice(owner, "dead-token");

        recorder.record(report("n-1", Channel.PUSH, Status.FAILED, "unregistered", "dead-token", null));

        assertEquals(Set.of("dead-token"), store.deactivatedTokens);
        assertEquals(List.of(owner), forgotten, "the device's owner, whoever the status was for");
    }

    /** The provider's own spelling of a dead token, as a pipeline may pass it on. */
    @Test
    void aDeadTokenErrorIsReadInAnyCase() {
        for (String error : List.of("Unregistered", "UNREGISTERED", "INVALID_TOKEN")) {
            NotificationStatus status = new NotificationStatus("s", "n", userId, Channel.PUSH, Status.FAILED, error, "t", NOW, NOW);
            assertTrue(status.deactivatesDevice().isPresent(), error);
        }
    }

    @Test
    void aPassingPushFailureDeactivatesNothing() {
        store.addUser(userId);
        store.addDevice(userId, "live-token");

        recorder.record(report("n-1", Channel.PUSH, Status.FAILED, "rate_limited", "live-token", null));

        assertTrue(store.deactivatedTokens.isEmpty());
        assertTrue(forgotten.isEmpty());
    }

    @Test
    void aHardBounceMarksTheEmailAndForgetsTheUsersCachedViews() {
        store.addUser(userId);

        recorder.record(report("n-1", Channel.EMAIL, Status.BOUNCED, "mailbox_unknown", null, null));

        assertEquals(Set.of(userId), store.bouncedEmails);
        assertEquals(List.of(userId), forgotten);
    }

    @Test
    void aRepeatedBounceForgetsNothingMore() {
        store.addUser(userId);
        recorder.record(report("n-1", Channel.EMAIL, Status.BOUNCED, null, null, null));
        forgotten.clear();

        recorder.record(report("n-1", Channel.EMAIL, Status.BOUNCED, null, null, null));

        assertTrue(forgotten.isEmpty());
    }

    @Test
    void aStatusNamingNoUserIsOfTheUserAnEarlierStatusOfTheNotificationNamed() {
        store.addUser(userId);
        recorder.record(report("n-1", Channel.EMAIL, Status.QUEUED, null, null, null));

        NotificationStatus delivered = recorder.record(new StatusReport("n-1", null, Channel.EMAIL, Status.DELIVERED,
                Optional.empty(), Optional.empty(), Optional.empty())).record().orElseThrow();

        assertEquals(userId, delivered.userId());
    }

    @Test
    void aStatusNamingNoUserOfANotificationNeverSeenIsRefusedOnUserId() {
        store.addUser(userId);
        recorder.record(report("n-1", Channel.EMAIL, Status.QUEUED, null, null, null));

        dev.userservice.errors.ServiceException refused = org.junit.jupiter.api.Assertions.assertThrows(
                dev.userservice.errors.ServiceException.class, () -> recorder.record(new StatusReport("n-1", null,
                        Channel.PUSH, Status.SENT, Optional.empty(), Optional.empty(), Optional.empty())));

        assertEquals(List.of(new dev.userservice.errors.FieldError("user_id",
                "is required: no earlier status of this notification names the user")), refused.details());
        assertEquals(1, store.stored().size(), "the push status of n-1 is another notification's: nothing stored");
    }

    private StatusReport report(String notificationId, Channel channel, Status status, String error, String deviceToken,
                                Instant timestamp) {
        return new StatusReport(notificationId, userId, channel, status, Optional.ofNullable(error),
                Optional.ofNullable(deviceToken), Optional.ofNullable(timestamp));
    }
}
