package dev.userservice.local.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.userservice.devices.Device;
import dev.userservice.devices.DevicePlanner;
import dev.userservice.devices.DeviceRegistration;
import dev.userservice.notifications.NotificationStatus.Channel;
import dev.userservice.notifications.NotificationStatus.Status;
import dev.userservice.notifications.NotificationStatus;
import dev.userservice.notifications.NotificationStore.HistoryFilter;
import dev.userservice.notifications.NotificationStore.HistoryPage;
import dev.userservice.notifications.NotificationStore.Outcome;
import dev.userservice.store.DynamoAccountErasure;
import dev.userservice.store.DynamoDeviceStore;
import dev.userservice.store.DynamoNotificationStore;
import dev.userservice.store.Item;
import dev.userservice.store.Keys;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** Statuses recorded once with what they teach, and the history paged newest first, on DynamoDB Local. */
class DynamoNotificationStoreTest {
    private static final Instant NOW = Instant.parse("2026-11-23T10:00:00Z");

    private static DynamoNotificationStore store;
    private static DynamoDeviceStore devices;
    private final String userId = UUID.randomUUID().toString();

    @BeforeAll
    static void start() {
        devices = new DynamoDeviceStore(DynamoDbLocalTable.client(), DynamoDbLocalTable.TABLE);
        store = new DynamoNotificationStore(DynamoDbLocalTable.client(), DynamoDbLocalTable.TABLE, devices, at(NOW.plus(Duration.ofDays(1))));
    }

    @Test
    void aStatusIsRecordedOnceAndARepeatAnswersTheFirstRecord() {
        account(userId);
        NotificationStatus first = status(userId, "n-1", Channel.EMAIL, Status.DELIVERED, null, null, NOW);

        Outcome.Created created = assertInstanceOf(Outcome.Created.class, store.record(first));
        Outcome.Duplicate repeat = assertInstanceOf(Outcome.Duplicate.class,
                store.record(status(userId, "n-1", Channel.EMAIL, Status.DELIVERED, null, null, NOW.plusSeconds(5))));

        assertEquals(Set.of(), created.changedUsers());
        assertEquals(Optional.of(first), repeat.existing());
        assertEquals(List.of(first), store.history(userId, HistoryFilter.NONE, Optional.empty(), 10).records());
    }

    /** TTL deletes an expired item within days, not at once: the history must not show it meanwhile. */
    @Test
    void aStatusPastItsNinetyDaysIsNoLongerListedThoughTtlHasNotDeletedIt() {
        account(userId);
        NotificationStatus old = status(userId, "n-1", Channel.EMAIL, Status.DELIVERED, null, null, NOW);
        store.record(old);
        Instant expiry = NOW.plus(Duration.ofDays(90));

        assertEquals(List.of(old), storeAt(expiry.minusSeconds(1)).history(userId, HistoryFilter.NONE, Optional.empty(), 10).records());
        assertEquals(List.of(), storeAt(expiry.plusSeconds(1)).history(userId, HistoryFilter.NONE, Optional.empty(), 10).records());
    }

    private static DynamoNotificationStore storeAt(Instant now) {
        return new DynamoNotificationStore(DynamoDbLocalTable.client(), DynamoDbLocalTable.TABLE, devices, at(now));
    }

    private static Clock at(Instant now) {
        return Clock.fixed(now, java.time.ZoneOffset.UTC);
    }

    @Test
    void aStatusForAUserWithoutAnAccountStoresNothing() {
        assertInstanceOf(Outcome.UnknownUser.class, store.record(status(userId, "n-1", Channel.PUSH, Status.SENT, null, null, NOW)));

        assertEquals(List.of(), store.history(userId, HistoryFilter.NONE, Optional.empty(), 10).records());
        account(userId);
        assertInstanceOf(Outcome.Created.class, store.record(status(userId, "n-1", Channel.PUSH, Status.SENT, null, null, NOW)),
                "nothing of the refused status was kept");
    }

    @Test
    void aHardBounceMarksTheAccountsEmail() {
        account(userId);

        Outcome.Created created = assertInstanceOf(Outcome.Created.class,
                store.record(status(userId, "n-1", Channel.EMAIL, Status.BOUNCED, "mailbox_unknown", null, NOW)));

        assertEquals(Set.of(userId), created.changedUsers());
        assertTrue(profileItem(userId).get("email_bounced").bool());
    }

    /** A verification, a reset or a new address clears the flag from an instant on; a bounce from before it marks nothing. */
    @Test
    void aBounceTimestampedBeforeTheAddressWasProvenIsRecordedAndMarksNothing() {
        account(userId);
        DynamoDbLocalTable.client().updateItem(request -> request.tableName(DynamoDbLocalTable.TABLE)
                .key(Item.keyOf(Keys.user(userId), Keys.PROFILE))
                .updateExpression("SET email_bounces_from = :proven")
                .expressionAttributeValues(Map.of(":proven", AttributeValue.fromN(Long.toString(NOW.toEpochMilli())))));

        Outcome.Created late = assertInstanceOf(Outcome.Created.class,
                store.record(status(userId, "n-1", Channel.EMAIL, Status.BOUNCED, null, null, NOW.minusMillis(1))));

        assertEquals(Set.of(), late.changedUsers(), "no view to forget");
        assertFalse(profileItem(userId).containsKey("email_bounced"));
        assertEquals(List.of(late.record()), store.history(userId, HistoryFilter.NONE, Optional.empty(), 10).records());

        Outcome.Created current = assertInstanceOf(Outcome.Created.class,
                store.record(status(userId, "n-2", Channel.EMAIL, Status.BOUNCED, null, null, NOW)));
        assertEquals(Set.of(userId), current.changedUsers());
        assertTrue(profileItem(userId).get("email_bounced").bool());
    }

    @Test
    void aLateBounceForAUserWithoutAnAccountStoresNothing() {
        assertInstanceOf(Outcome.UnknownUser.class, store.record(status(userId, "n-1", Channel.EMAIL, Status.BOUNCED, null, null, NOW)));

        assertEquals(List.of(), store.history(userId, HistoryFilter.NONE, Optional.empty(), 10).records());
    }

    private static Map<String, AttributeValue> profileItem(String userId) {
        return DynamoDbLocalTable.client().getItem(request -> request.tableName(DynamoDbLocalTable.TABLE)
                .key(Item.keyOf(Keys.user(userId), Keys.PROFILE)).consistentRead(true)).item();
    }

    /** The token moved from the user's phone to another account's, which holds it now: that device is switched off. */
    @Test
    void aDeadTokenDeactivatesTheDeviceHoldingItWithTheStatus() {
        String owner = UUID.randomUUID().toString();
        account(userId);
        account(owner);
        assertTrue(devices.commit(DevicePlanner.registration(devices, userId, new DeviceRegistration("dead-" + owner, "android", "Phone", true, null), true, NOW).plan()));
        assertTrue(devices.commit(DevicePlanner.registration(devices, owner, new DeviceRegistration("dead-" + owner, "android", "Phone", true, null), true, NOW).plan()));

        Outcome.Created created = assertInstanceOf(Outcome.Created.class,
                store.record(status(userId, "n-1", Channel.PUSH, Status.FAILED, "unregistered", "dead-" + owner, NOW)));

        assertEquals(Set.of(owner), created.changedUsers());
        assertEquals(List.of(), devices.list(owner).stream().filter(Device::active).toList());
    }

    /** A report naming a user who never held the token: the device of the stranger holding it stays on. */
    @Test
    void aDeadTokenNeverTheReportedUsersDeactivatesNothing() {
        String stranger = UUID.randomUUID().toString();
        account(userId);
        account(stranger);
        assertTrue(devices.commit(DevicePlanner.registration(devices, stranger, new DeviceRegistration("strangers-" + stranger, "android", "Phone", true, null), true, NOW).plan()));

        Outcome.Created created = assertInstanceOf(Outcome.Created.class,
                store.record(status(userId, "n-1", Channel.PUSH, Status.FAILED, "unregistered", "strangers-" + stranger, NOW)));

        assertEquals(Set.of(), created.changedUsers());
        assertEquals(1, devices.list(stranger).stream().filter(Device::active).count());
    }

    /**
     * The provider refused the token before the app registered it again, on another account here: the report,
     * late, is recorded and switches off neither the device that registered it since nor any other.
     */
    @Test
    void aDeadTokenReportedAfterTheTokenWasRegisteredAgainDeactivatesNothing() {
        String newHolder = UUID.randomUUID().toString();
        account(userId);
        account(newHolder);
        String token = "moved-" + userId;
        assertTrue(devices.commit(DevicePlanner.registration(devices, userId, new DeviceRegistration(token, "ios", "Phone", true, null), true, NOW).plan()));
        assertTrue(devices.commit(DevicePlanner.registration(devices, newHolder, new DeviceRegistration(token, "ios", "Phone", true, null), true, NOW.plusSeconds(60)).plan()));

        NotificationStatus late = new NotificationStatus(UUID.randomUUID().toString(), userId + "/n-1", userId, Channel.PUSH,
                Status.FAILED, "unregistered", token, NOW.plusSeconds(30), NOW.plusSeconds(120));
        Outcome.Created created = assertInstanceOf(Outcome.Created.class, store.record(late));

        assertEquals(Set.of(), created.changedUsers());
        assertEquals(1, devices.list(newHolder).stream().filter(Device::active).count(), "the device that registered it since");
    }

    /**
     * A status recorded more than 90 days ago is gone though TTL has not deleted it yet: it names no user for a later
     * report, and the same status again is recorded anew rather than answered as its repeat.
     */
    @Test
    void aStatusPastItsNinetyDaysIsNoRepeatAndNamesNoUser() {
        account(userId);
        Instant longAgo = NOW.minus(Duration.ofDays(95));
        assertInstanceOf(Outcome.Created.class, store.record(status(userId, "n-old", Channel.EMAIL, Status.DELIVERED, null, null, longAgo)));

        assertEquals(Optional.empty(), store.userOf(userId + "/n-old", Channel.EMAIL));
        assertInstanceOf(Outcome.Created.class, store.record(status(userId, "n-old", Channel.EMAIL, Status.DELIVERED, null, null, NOW)));
        assertEquals(Optional.of(userId), store.userOf(userId + "/n-old", Channel.EMAIL));
    }

    /** One push to two devices whose tokens both died: each report deactivates its own device, and each is kept once. */
    @Test
    void aPushsStatusFromASecondDeviceIsRecordedAndDeactivatesThatDeviceToo() {
        account(userId);
        for (String token : List.of("first-" + userId, "second-" + userId)) {
            assertTrue(devices.commit(DevicePlanner.registration(devices, userId, new DeviceRegistration(token, "android", "Phone", true, null), true, NOW).plan()));
        }
        NotificationStatus first = status(userId, "n-1", Channel.PUSH, Status.FAILED, "unregistered", "first-" + userId, NOW);
        NotificationStatus second = status(userId, "n-1", Channel.PUSH, Status.FAILED, "unregistered", "second-" + userId, NOW.plusSeconds(1));

        assertInstanceOf(Outcome.Created.class, store.record(first));
        assertInstanceOf(Outcome.Created.class, store.record(second));

        assertEquals(List.of(), devices.list(userId).stream().filter(Device::active).toList(), "both dead devices deactivated");
        Outcome.Duplicate repeat = assertInstanceOf(Outcome.Duplicate.class,
                store.record(status(userId, "n-1", Channel.PUSH, Status.FAILED, "unregistered", "second-" + userId, NOW.plusSeconds(2))));
        assertEquals(Optional.of(second), repeat.existing(), "the second device's report, once");
        assertInstanceOf(Outcome.Duplicate.class,
                store.record(status(userId, "n-1", Channel.PUSH, Status.FAILED, "unregistered", "first-" + userId, NOW.plusSeconds(3))));
        assertEquals(2, store.history(userId, HistoryFilter.NONE, Optional.empty(), 10).records().size());
        assertEquals(Optional.of(userId), store.userOf(userId + "/n-1", Channel.PUSH));
    }

    /**
     * A pipeline that gives a whole campaign one id: another user's push status under it is the first's duplicate
     * (which the recorder refuses as another user's notification), not a second device's status of its own.
     */
    @Test
    void theSameStatusOfAPushForAnotherUserIsADuplicateNotASecondDevice() {
        String other = UUID.randomUUID().toString();
        account(userId);
        account(other);
        String campaign = "campaign-" + userId;
        NotificationStatus first = new NotificationStatus(UUID.randomUUID().toString(), campaign, userId, Channel.PUSH,
                Status.FAILED, "unregistered", "token-" + userId, NOW, NOW);
        NotificationStatus others = new NotificationStatus(UUID.randomUUID().toString(), campaign, other, Channel.PUSH,
                Status.FAILED, "unregistered", "token-" + other, NOW, NOW);

        assertInstanceOf(Outcome.Created.class, store.record(first));
        Outcome.Duplicate duplicate = assertInstanceOf(Outcome.Duplicate.class, store.record(others));

        assertEquals(Optional.of(first), duplicate.existing());
        assertEquals(List.of(), store.history(other, HistoryFilter.NONE, Optional.empty(), 10).records(), "nothing stored for the other user");
    }

    /**
     * The account is erased while its pipeline still reports: a late status that names no user (as an earlier
     * service's client sends it) finds its notification's marker, kept as a tombstone of the user's id, and is of a
     * user who no longer exists (dropped), not a status waiting for the one that names its user (retried, then a dead
     * letter).
     */
    @Test
    void anErasedAccountsMarkersStayAsTombstonesThatNameOnlyItsUser() throws Exception {
        account(userId);
        assertInstanceOf(Outcome.Created.class, store.record(status(userId, "n-1", Channel.EMAIL, Status.SENT, null, null, NOW)));

        DynamoDbLocalTable.client().deleteItem(request -> request.tableName(DynamoDbLocalTable.TABLE).key(Item.keyOf(Keys.user(userId), Keys.PROFILE)));
        new DynamoAccountErasure(DynamoDbLocalTable.client(), DynamoDbLocalTable.TABLE, Clock.systemUTC()).erase(userId);

        assertEquals(Optional.of(userId), store.userOf(userId + "/n-1", Channel.EMAIL));
        assertInstanceOf(Outcome.UnknownUser.class,
                store.record(status(userId, "n-1", Channel.EMAIL, Status.SENT, null, null, NOW.plusSeconds(5))), "the same status again");
        assertInstanceOf(Outcome.UnknownUser.class,
                store.record(status(userId, "n-1", Channel.EMAIL, Status.DELIVERED, null, null, NOW.plusSeconds(6))), "a later one");
        String other = UUID.randomUUID().toString();
        account(other);
        assertInstanceOf(Outcome.AnotherUsers.class, store.record(new NotificationStatus(UUID.randomUUID().toString(),
                userId + "/n-1", other, Channel.EMAIL, Status.SENT, null, null, NOW, NOW)),
                "the same status of the id for a user who exists: a campaign's one id, refused as another user's");
        String markerPk = "STATUS#" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(
                NotificationStatus.deduplicationKey(userId + "/n-1", Channel.EMAIL, Status.SENT).getBytes(StandardCharsets.UTF_8)));
        Map<String, AttributeValue> tombstone = DynamoDbLocalTable.client().getItem(request -> request
                .tableName(DynamoDbLocalTable.TABLE).key(Item.keyOf(markerPk, "STATUS"))).item();
        assertEquals(Set.of(Item.PK, Item.SK, Item.TYPE, "user_id", Item.EXPIRES_AT, "erased"), tombstone.keySet(),
                "no owner (a second erasure does not find it) and no history item");
        assertEquals(List.of(), store.history(userId, HistoryFilter.NONE, Optional.empty(), 10).records());
    }

    @Test
    void theHistoryIsNewestFirstAcrossPagesWhateverTheTimestampsPrecision() {
        account(userId);
        List<NotificationStatus> recorded = new ArrayList<>();
        // Instant.toString writes ".500Z" but no fraction for whole seconds: the order must still be by time.
        for (Instant at : List.of(NOW, NOW.plusMillis(500), NOW.plusSeconds(1), NOW.plusSeconds(2), NOW.plusMillis(2001))) {
            NotificationStatus status = status(userId, "n-" + at.toEpochMilli(), Channel.EMAIL, Status.SENT, null, null, at);
            store.record(status);
            recorded.add(status);
        }

        HistoryPage first = store.history(userId, HistoryFilter.NONE, Optional.empty(), 2);
        HistoryPage second = store.history(userId, HistoryFilter.NONE, first.next(), 2);
        HistoryPage last = store.history(userId, HistoryFilter.NONE, second.next(), 2);

        assertEquals(List.of(recorded.get(4), recorded.get(3)), first.records());
        assertEquals(List.of(recorded.get(2), recorded.get(1)), second.records());
        assertEquals(List.of(recorded.get(0)), last.records());
        assertEquals(Optional.empty(), last.next());
    }

    @Test
    void aChannelFilterFillsItsPagesAcrossTheOtherChannelsStatuses() {
        account(userId);
        NotificationStatus olderPush = status(userId, "n-1", Channel.PUSH, Status.SENT, null, null, NOW);
        NotificationStatus newerPush = status(userId, "n-2", Channel.PUSH, Status.SENT, null, null, NOW.plusSeconds(1));
        store.record(olderPush);
        store.record(newerPush);
        for (int i = 0; i < 5; i++) {
            store.record(status(userId, "e-" + i, Channel.EMAIL, Status.SENT, null, null, NOW.plusSeconds(10 + i)));
        }

        HistoryPage first = store.history(userId, new HistoryFilter(Optional.of(Channel.PUSH), Optional.empty()), Optional.empty(), 1);
        HistoryPage second = store.history(userId, new HistoryFilter(Optional.of(Channel.PUSH), Optional.empty()), first.next(), 1);

        assertEquals(List.of(newerPush), first.records());
        assertEquals(List.of(olderPush), second.records());
        assertEquals(Optional.empty(), second.next());
    }

    @Test
    void aStatusFilterAndAChannelFilterTogetherListOnlyWhatMatchesBoth() {
        account(userId);
        NotificationStatus failedPush = status(userId, "n-1", Channel.PUSH, Status.FAILED, "unregistered", null, NOW);
        store.record(failedPush);
        store.record(status(userId, "n-2", Channel.PUSH, Status.DELIVERED, null, null, NOW.plusSeconds(1)));
        store.record(status(userId, "n-3", Channel.EMAIL, Status.FAILED, null, null, NOW.plusSeconds(2)));

        HistoryFilter failedPushes = new HistoryFilter(Optional.of(Channel.PUSH), Optional.of(Status.FAILED));
        assertEquals(List.of(failedPush), store.history(userId, failedPushes, Optional.empty(), 10).records());
        assertEquals(2, store.history(userId, new HistoryFilter(Optional.empty(), Optional.of(Status.FAILED)), Optional.empty(), 10)
                .records().size());
    }

    @Test
    void aFilteredPageReadsThePartitionAtMostFourTimesAndResumesWhereItStopped() {
        account(userId);
        NotificationStatus bounce = status(userId, "n-bounce", Channel.EMAIL, Status.BOUNCED, null, null, NOW);
        store.record(bounce);
        int sent = DynamoNotificationStore.HISTORY_READS * DynamoNotificationStore.FILTERED_READ + 20;
        for (int i = 0; i < sent; i++) {
            store.record(status(userId, "n-" + i, Channel.EMAIL, Status.SENT, null, null, NOW.plusSeconds(1 + i)));
        }
        AtomicInteger queries = new AtomicInteger();
        DynamoNotificationStore counting = new DynamoNotificationStore(DynamoDbLocalTable.countingQueries(queries), DynamoDbLocalTable.TABLE, devices, at(NOW.plus(Duration.ofDays(1))));
        HistoryFilter bounces = new HistoryFilter(Optional.empty(), Optional.of(Status.BOUNCED));

        HistoryPage first = counting.history(userId, bounces, Optional.empty(), 1);
        assertEquals(DynamoNotificationStore.HISTORY_READS, queries.get(), "a page's reads are bounded, not the partition's size");
        assertEquals(List.of(), first.records());
        assertTrue(first.next().isPresent(), "the partition goes on");

        HistoryPage second = counting.history(userId, bounces, first.next(), 1);
        assertEquals(List.of(bounce), second.records());
        assertEquals(Optional.empty(), second.next());
    }

    /** An account's profile item: recording checks only that it exists, and marks a bounce on it. */
    private static void account(String userId) {
        DynamoDbLocalTable.client().putItem(request -> request.tableName(DynamoDbLocalTable.TABLE)
                .item(Item.key(Keys.user(userId), Keys.PROFILE).put(Item.TYPE, "user").put("id", userId).values()));
    }

    /** Notification ids are the pipeline's, unique across users: here each test's are its user's. */
    private static NotificationStatus status(String userId, String notificationId, Channel channel, Status status,
                                             String error, String deviceToken, Instant at) {
        return new NotificationStatus(UUID.randomUUID().toString(), userId + "/" + notificationId, userId, channel, status,
                error, deviceToken, at, at);
    }
}
