package dev.userservice.local.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.userservice.accounts.OneTimeToken;
import dev.userservice.auth.Role;
import dev.userservice.devices.DeactivationReason;
import dev.userservice.devices.DevicePlanner;
import dev.userservice.devices.DeviceRegistration;
import dev.userservice.events.EventType;
import dev.userservice.sessions.CheckedPassword;
import dev.userservice.sessions.LiveSessionsChangedException;
import dev.userservice.sessions.RefreshToken;
import dev.userservice.sessions.Session;
import dev.userservice.sessions.SessionEnd;
import dev.userservice.sessions.SessionStore;
import dev.userservice.store.DynamoSessionStore;
import dev.userservice.store.Item;
import dev.userservice.store.Keys;
import dev.userservice.store.SessionEndWrites;
import dev.userservice.users.User;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

/** Sessions and refresh-token rotation as DynamoDB Local evaluates their conditions, on the template's table. */
class DynamoSessionStoreTest {
    private final IdentityStores stores = new IdentityStores();
    private final SessionStore sessions = stores.sessions;

    @Test
    void aRefreshTokenRotatesOnceAndStaysKnownAsRetired() {
        User user = stores.newUser();
        Session session = stores.registered(user);
        RefreshToken presented = sessions.findRefreshToken("refresh-" + session.id()).orElseThrow();
        Session used = session.usedAt(stores.now.plusSeconds(60));

        assertTrue(sessions.rotate(presented, "next-" + session.id(), used));
        assertFalse(sessions.rotate(presented, "again-" + session.id(), used), "the same token cannot rotate twice");

        assertFalse(sessions.findRefreshToken(presented.hash()).orElseThrow().current(), "kept, to recognise its reuse");
        assertTrue(sessions.findRefreshToken("next-" + session.id()).orElseThrow().current());
        assertEquals(Optional.empty(), sessions.findRefreshToken("again-" + session.id()));
        assertEquals(used.lastUsedAt(), sessions.find(user.id(), session.id(), true).orElseThrow().lastUsedAt());
    }

    @Test
    void aRevokedSessionCannotRotateAndIsNoLongerListed() {
        User user = stores.newUser();
        Session first = stores.registered(user);
        Session second = stores.newSession(user.id());
        sessions.create(second, "refresh-" + second.id());

        sessions.revoke(user.id(), first.id(), stores.now.plusSeconds(5), SessionEnd.LOGOUT);

        RefreshToken presented = sessions.findRefreshToken("refresh-" + first.id()).orElseThrow();
        assertFalse(sessions.rotate(presented, "next-" + first.id(), first.usedAt(stores.now.plusSeconds(6))));
        assertEquals(List.of(second.id()), sessions.listActive(user.id(), stores.now.plusSeconds(6), IdentityStores.SESSION_IDLE_TIMEOUT)
                .stream().map(Session::id).toList());
        assertEquals(stores.now.plusSeconds(5), sessions.find(user.id(), first.id(), true).orElseThrow().revokedAt());
    }

    @Test
    void aRevokedSessionKeepsItsFirstReasonAndStaysThirtyDaysAfterItsEnd() {
        User user = stores.newUser();
        Session session = stores.registered(user);
        assertEquals(session.expiry(IdentityStores.SESSION_IDLE_TIMEOUT).plus(Session.HISTORY_RETENTION).getEpochSecond(),
                expiresAt(user.id(), session.id()), "a live session is kept for the history after it would run out");

        sessions.revoke(user.id(), session.id(), stores.now.plusSeconds(5), SessionEnd.PASSWORD_RESET);
        sessions.revoke(user.id(), session.id(), stores.now.plusSeconds(9), SessionEnd.LOGOUT);

        Session ended = sessions.find(user.id(), session.id(), true).orElseThrow();
        assertEquals(stores.now.plusSeconds(5), ended.revokedAt());
        assertEquals(SessionEnd.PASSWORD_RESET, ended.endReason(), "the first end is the one recorded");
        assertEquals(stores.now.plusSeconds(5).plus(Session.HISTORY_RETENTION).getEpochSecond(), expiresAt(user.id(), session.id()),
                "kept from its first end: ending it again (a retired token replayed, say) does not keep it longer");
        assertEquals(List.of(session.id()), sessions.listAll(user.id()).stream().map(Session::id).toList());
    }

    @Test
    void theLiveSessionsASignInCountsAreReadWithoutTheEndedOnesKeptForTheHistory() {
        User user = stores.newUser();
        Session first = stores.registered(user);
        List<Session> more = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            Session session = stores.newSession(user.id());
            sessions.create(session, "refresh-" + session.id());
            more.add(session);
        }
        sessions.revoke(user.id(), more.get(0).id(), stores.now.plusSeconds(5), SessionEnd.LOGOUT);
        Session newest = stores.newSession(user.id());
        sessions.createEnding(newest, "refresh-" + newest.id(), Optional.of(first.id()), Optional.empty());
        Instant later = stores.now.plusSeconds(10);

        assertEquals(sessions.listActive(user.id(), later, IdentityStores.SESSION_IDLE_TIMEOUT).stream().map(Session::id).sorted().toList(),
                sessions.listLive(user.id(), later, IdentityStores.SESSION_IDLE_TIMEOUT).stream().map(Session::id).sorted().toList());
        assertEquals(4, liveMarkers(user.id()), "one marker per live session; the two ended took theirs with them");
        assertEquals(4, sessions.liveAtMost(user.id(), later, IdentityStores.SESSION_IDLE_TIMEOUT), "counted from the markers alone");
        assertEquals(6, sessions.listAll(user.id()).size(), "the ended ones are kept for the history");
    }

    private int liveMarkers(String userId) {
        return stores.dynamo.query(request -> request.tableName(DynamoDbLocalTable.TABLE).consistentRead(true)
                .keyConditionExpression("pk = :pk AND begins_with(sk, :prefix)")
                .expressionAttributeValues(Map.of(
                        ":pk", AttributeValue.fromS(Keys.user(userId)),
                        ":prefix", AttributeValue.fromS(Keys.LIVE_SESSION_PREFIX)))).count();
    }

    /** Ending every session reads the few still open, not the month of revoked ones kept for the history. */
    @Test
    void theSessionsToEndAreReadWithoutTheRevokedOnesKeptForTheHistory() {
        User user = stores.newUser();
        Session open = stores.registered(user);
        for (int i = 0; i < 5; i++) {
            Session ended = stores.newSession(user.id());
            sessions.create(ended, "refresh-" + ended.id());
            sessions.revoke(user.id(), ended.id(), stores.now, SessionEnd.SESSION_LIMIT);
        }
        AtomicInteger returned = new AtomicInteger();
        DynamoDbClient table = stores.dynamo;
        DynamoDbClient counting = new DynamoDbClient() {
            @Override
            public QueryResponse query(QueryRequest request) {
                QueryResponse response = table.query(request);
                returned.addAndGet(response.count());
                return response;
            }

            @Override
            public String serviceName() {
                return table.serviceName();
            }

            @Override
            public void close() {}
        };
        SessionStore counted = new DynamoSessionStore(counting, DynamoDbLocalTable.TABLE, IdentityStores.SESSION_IDLE_TIMEOUT, stores.devices);

        assertEquals(List.of(open.id()), counted.listActive(user.id(), stores.now.plusSeconds(1), IdentityStores.SESSION_IDLE_TIMEOUT)
                .stream().map(Session::id).toList());
        assertEquals(1, returned.get(), "sessions the table returned");
        assertEquals(6, sessions.listAll(user.id()).size(), "the history keeps them all");
    }

    @Test
    void aSessionEndedByTheLimitRecordsThatReason() {
        User user = stores.newUser();
        Session oldest = stores.registered(user);
        Session newest = stores.newSession(user.id());

        sessions.createEnding(newest, "refresh-" + newest.id(), Optional.of(oldest.id()), Optional.empty());

        assertEquals(SessionEnd.SESSION_LIMIT, sessions.find(user.id(), oldest.id(), true).orElseThrow().endReason());
    }

    private long expiresAt(String userId, String sessionId) {
        return Long.parseLong(stores.dynamo.getItem(request -> request.tableName(DynamoDbLocalTable.TABLE)
                .key(Item.keyOf(Keys.user(userId), Keys.session(sessionId))).consistentRead(true)).item().get(Item.EXPIRES_AT).n());
    }

    @Test
    void aSessionStartedBeyondTheLimitEndsTheOldestWithItsDevicesInOneTransaction() {
        User user = stores.newUser();
        Session oldest = stores.registered(user);
        assertTrue(stores.devices.commit(DevicePlanner.registration(stores.devices, user.id(), phoneIn(oldest), true, stores.now).plan()));
        Session newest = stores.newSession(user.id());

        sessions.createEnding(newest, "refresh-" + newest.id(), Optional.of(oldest.id()), Optional.empty());

        assertEquals(newest.createdAt(), sessions.find(user.id(), oldest.id(), true).orElseThrow().revokedAt());
        assertTrue(sessions.find(user.id(), newest.id(), true).orElseThrow().isActive(stores.now, IdentityStores.SESSION_IDLE_TIMEOUT));
        assertEquals(List.of(), stores.devices.activeDevices(user.id()).targets(), "the ended session's device ended with it");
        assertEquals(DeactivationReason.SESSION_ENDED, stores.devices.list(user.id()).getFirst().deactivatedReason());
    }

    @Test
    void aSessionToEndThatIsAlreadyGoneHasTheStartPlannedAgain() {
        User user = stores.newUser();
        stores.registered(user);
        Session newest = stores.newSession(user.id());

        assertThrows(LiveSessionsChangedException.class,
                () -> sessions.createEnding(newest, "refresh-" + newest.id(), Optional.of("expired-and-deleted"), Optional.empty()));

        assertEquals(Optional.empty(), sessions.find(user.id(), newest.id(), true), "nothing written");
        assertEquals(Optional.empty(), sessions.find(user.id(), "expired-and-deleted", true), "not recreated by its revocation");
    }

    /**
     * Two sign-ins at the limit both plan to end the oldest session: the second finds it ended and writes nothing,
     * where it wrote its session without ending one and left the user a session beyond the limit.
     */
    @Test
    void ofTwoSignInsEndingTheSameOldestSessionTheSecondPlansAgain() {
        User user = stores.newUser();
        Session oldest = stores.registered(user);
        Session first = stores.newSession(user.id());
        Session second = stores.newSession(user.id());

        assertTrue(sessions.createEnding(first, "refresh-" + first.id(), Optional.of(oldest.id()), Optional.empty()));
        assertThrows(LiveSessionsChangedException.class,
                () -> sessions.createEnding(second, "refresh-" + second.id(), Optional.of(oldest.id()), Optional.empty()));

        assertEquals(List.of(first.id()), sessions.listLive(user.id(), stores.now.plusSeconds(1), IdentityStores.SESSION_IDLE_TIMEOUT)
                .stream().map(Session::id).toList());
    }

    /** A sign-in checked the old password; a change or reset replaced it before the session was written. */
    @Test
    void aSignInWhosePasswordWasReplacedMeanwhileStartsNoSessionAndEndsNone() {
        User user = stores.newUser();
        Session oldest = stores.registered(user);
        Session alone = stores.newSession(user.id());
        Session beyondTheLimit = stores.newSession(user.id());

        assertFalse(sessions.createEnding(alone, "refresh-" + alone.id(), Optional.empty(), checked("a replaced hash")));
        assertFalse(sessions.createEnding(beyondTheLimit, "refresh-" + beyondTheLimit.id(), Optional.of(oldest.id()),
                checked("a replaced hash")));

        assertEquals(Optional.empty(), sessions.find(user.id(), alone.id(), true));
        assertEquals(Optional.empty(), sessions.find(user.id(), beyondTheLimit.id(), true));
        assertEquals(Optional.empty(), sessions.findRefreshToken("refresh-" + alone.id()));
        assertEquals(null, sessions.find(user.id(), oldest.id(), true).orElseThrow().revokedAt(), "the oldest still lives");
        assertTrue(sessions.createEnding(alone, "refresh-" + alone.id(), Optional.empty(), checked(user.passwordHash())),
                "the password as stored signs in");
    }

    /** Raising the cost reaches the accounts that sign in: the upgrade is stored with the session, and nothing else changes. */
    @Test
    void aSignInStoresTheUpgradeOfTheHashItCheckedWithItsSessionOnly() {
        User user = stores.newUser();
        Session oldest = stores.registered(user);
        Session refused = stores.newSession(user.id());
        Session signedIn = stores.newSession(user.id());
        String upgrade = "$2b$12$upgrade-" + user.id();

        assertFalse(sessions.createEnding(refused, "refresh-" + refused.id(), Optional.of(oldest.id()),
                Optional.of(new CheckedPassword("a replaced hash", Optional.of(upgrade), Role.USER))));
        assertEquals(user.passwordHash(), stores.users.findById(user.id()).orElseThrow().passwordHash(),
                "no upgrade of a hash that was not the one stored");

        assertTrue(sessions.createEnding(signedIn, "refresh-" + signedIn.id(), Optional.of(oldest.id()),
                Optional.of(new CheckedPassword(user.passwordHash(), Optional.of(upgrade), Role.USER))));

        User stored = stores.users.findById(user.id()).orElseThrow();
        assertEquals(upgrade, stored.passwordHash());
        assertEquals(user.updatedAt(), stored.updatedAt(), "an upgrade is no change of the account");
        assertTrue(sessions.find(user.id(), signedIn.id(), true).isPresent());
        assertFalse(sessions.createEnding(refused, "refresh-" + refused.id(), Optional.empty(), checked(user.passwordHash())),
                "the hash checked before the upgrade is no longer the one stored");
    }

    /** A push device the app registers in {@code session}. */
    private static DeviceRegistration phoneIn(Session session) {
        return new DeviceRegistration("token-" + session.id(), "ios", "Phone", true, null)
                .inSession(new DeviceRegistration.InSession(session.id(), session.createdAt()));
    }

    private static Optional<CheckedPassword> checked(String passwordHash) {
        return Optional.of(new CheckedPassword(passwordHash, Optional.empty(), Role.USER));
    }

    /** The sessions end in the write that stores the new password, whether or not their revocations follow. */
    @Test
    void aPasswordChangeEndsEverySessionButTheOneThatChangedItInItsOwnWrite() {
        User user = stores.newUser();
        Session changing = stores.registered(user);
        Session other = stores.newSession(user.id());
        sessions.create(other, "refresh-" + other.id());

        assertTrue(stores.credentials.replacePasswordHash(user.id(), user.passwordHash(), "$2b$04$new", stores.now.plusSeconds(1),
                changing.id()));

        assertEquals(Optional.of(changing.id()), sessions.findAcceptedByOwner(user.id(), changing.id()).map(Session::id));
        assertEquals(Optional.empty(), sessions.findAcceptedByOwner(user.id(), other.id()));
        assertEquals(List.of(changing.id()), sessions.listLive(user.id(), stores.now.plusSeconds(2), IdentityStores.SESSION_IDLE_TIMEOUT)
                .stream().map(Session::id).toList(), "a sign-in counts no session the change ended, revoked or not yet");
        assertFalse(stores.dynamo.getItem(request -> request.tableName(DynamoDbLocalTable.TABLE).consistentRead(true)
                        .key(Item.keyOf(Keys.user(user.id()), Keys.PROFILE))).item().containsKey("sessions_valid_after"),
                "the reset's attribute, which a version that knows only resets reads as ending every session, the kept one too");
    }

    /**
     * The history tells a session its account's cutoff ended as ended then, for what ended it, when the revocation
     * that follows the cutoff's write never ran: its token is refused, so the list must not show it active.
     */
    @Test
    void theHistoryShowsTheSessionsACutoffEndedThoughTheirRevocationsNeverFollowed() {
        User changer = stores.newUser();
        Session changing = stores.registered(changer);
        Session other = stores.newSession(changer.id());
        sessions.create(other, "refresh-" + other.id());
        Instant changedAt = stores.now.plusSeconds(1);
        assertTrue(stores.credentials.replacePasswordHash(changer.id(), changer.passwordHash(), "$2b$04$new", changedAt, changing.id()));
        assertEquals(Map.of(changing.id(), Optional.empty(), other.id(), Optional.of(new Session.Ending(changedAt, SessionEnd.PASSWORD_CHANGED))),
                endings(changer.id()));

        User forgetful = stores.newUser();
        Session forgotten = stores.registered(forgetful);
        Instant resetAt = stores.now.plusSeconds(10);
        assertTrue(stores.credentials.issuePasswordReset(forgetful.email(), forgetful.id(), "reset-" + forgetful.id(), stores.now,
                stores.now.plus(Duration.ofHours(1)), stores.event(EventType.USER_PASSWORD_RESET_REQUESTED, forgetful)));
        OneTimeToken token = stores.credentials.findPasswordReset("reset-" + forgetful.id(), stores.now).orElseThrow();
        assertTrue(stores.credentials.resetPassword("reset-" + forgetful.id(), token, "$2b$04$new", resetAt));
        assertEquals(Map.of(forgotten.id(), Optional.of(new Session.Ending(resetAt, SessionEnd.PASSWORD_RESET))), endings(forgetful.id()));

        User disabled = stores.newUser();
        Session signedIn = stores.registered(disabled);
        Session revokedFirst = stores.newSession(disabled.id());
        sessions.create(revokedFirst, "refresh-" + revokedFirst.id());
        sessions.revoke(disabled.id(), revokedFirst.id(), stores.now, SessionEnd.LOGOUT);
        Instant disabledAt = stores.now.plusSeconds(1);
        stores.users.update(disabled, disabled.withAccess(Role.USER, User.Status.DISABLED, disabledAt), Optional.empty(), List.of());
        assertEquals(Map.of(signedIn.id(), Optional.of(new Session.Ending(disabledAt, SessionEnd.ADMIN)),
                        revokedFirst.id(), Optional.of(new Session.Ending(stores.now, SessionEnd.LOGOUT))),
                endings(disabled.id()), "a session revoked before keeps its own end");
        assertEquals(List.of(signedIn.id()), sessions.listHistory(disabled.id(), true).stream().map(Session::id).toList(),
                "an active listing reads the sessions not revoked, the cutoff's among them");
    }

    private Map<String, Optional<Session.Ending>> endings(String userId) {
        Instant later = stores.now.plusSeconds(30);
        return sessions.listHistory(userId, false).stream()
                .collect(java.util.stream.Collectors.toMap(Session::id, session -> session.ending(later, IdentityStores.SESSION_IDLE_TIMEOUT)));
    }

    @Test
    void aSessionIsAcceptedOnlyWhileItsOwnersAccountIsActive() {
        User user = stores.newUser();
        Session session = stores.registered(user);
        assertEquals(Optional.of(session), sessions.findAcceptedByOwner(user.id(), session.id()));

        stores.users.update(user, user.withAccess(Role.USER, User.Status.DISABLED, stores.now.plusSeconds(1)), Optional.empty(), List.of());

        assertEquals(Optional.empty(), sessions.findAcceptedByOwner(user.id(), session.id()));
        assertTrue(sessions.find(user.id(), session.id(), true).isPresent(), "the session itself is untouched");
    }

    /**
     * An admin's tokens claim the role for their whole life: losing it ends the sessions in the write that takes it,
     * even when a disable is undone or the revocations that follow never run, and not the sessions begun after it.
     */
    @Test
    void losingTheAdminRoleOrBeingDisabledEndsTheSessionsBegunBeforeInTheSameWrite() {
        User admin = stores.newUser().withAccess(Role.ADMIN, User.Status.ACTIVE, stores.now);
        Session before = stores.registered(admin);
        User demoted = admin.withAccess(Role.USER, User.Status.ACTIVE, stores.now.plusSeconds(1));
        stores.users.update(admin, demoted, Optional.empty(), List.of());

        assertEquals(Optional.empty(), sessions.findAcceptedByOwner(admin.id(), before.id()));
        Instant later = stores.now.plusSeconds(2);
        Session after = new Session(UUID.randomUUID().toString(), admin.id(), "phone", "tests/1.0", "203.0.113.1", later, later,
                later.plus(Duration.ofDays(1)), null);
        assertTrue(sessions.createEnding(after, "refresh-" + after.id(), Optional.empty(), Optional.empty()));
        assertEquals(Optional.of(after), sessions.findAcceptedByOwner(admin.id(), after.id()));

        User disabled = demoted.withAccess(Role.USER, User.Status.DISABLED, stores.now.plusSeconds(3));
        stores.users.update(demoted, disabled, Optional.empty(), List.of());
        stores.users.update(disabled, disabled.withAccess(Role.USER, User.Status.ACTIVE, stores.now.plusSeconds(4)), Optional.empty(), List.of());
        assertEquals(Optional.empty(), sessions.findAcceptedByOwner(admin.id(), after.id()), "re-enabling does not bring it back");
    }

    /** A sign-in that read the admin role while it was being taken away starts no session whose token claims it. */
    @Test
    void aSignInStoresNoSessionOnceTheRoleItReadHasChanged() {
        User user = stores.newUser();
        Session oldest = stores.registered(user);
        Session asAdmin = stores.newSession(user.id());
        Session asUser = stores.newSession(user.id());

        assertFalse(sessions.createEnding(asAdmin, "refresh-" + asAdmin.id(), Optional.of(oldest.id()),
                Optional.of(new CheckedPassword(user.passwordHash(), Optional.empty(), Role.ADMIN))));
        assertEquals(Optional.empty(), sessions.find(user.id(), asAdmin.id(), true));

        assertTrue(sessions.createEnding(asUser, "refresh-" + asUser.id(), Optional.empty(), checked(user.passwordHash())));
    }

    /**
     * A sign-in that checked the password while an admin disabled the account starts no session: its start would
     * come after the disable's cutoff, and enabling the account again would bring it to life.
     */
    @Test
    void aSignInStoresNoSessionOnceTheAccountItReadIsDisabled() {
        User user = stores.newUser();
        Session oldest = stores.registered(user);
        stores.users.update(user, user.withAccess(Role.USER, User.Status.DISABLED, stores.now.plusSeconds(1)), Optional.empty(), List.of());
        Session racing = stores.newSession(user.id());

        assertFalse(sessions.createEnding(racing, "refresh-" + racing.id(), Optional.empty(), checked(user.passwordHash())));
        assertFalse(sessions.createEnding(racing, "refresh-" + racing.id(), Optional.of(oldest.id()), checked(user.passwordHash())));
        assertEquals(Optional.empty(), sessions.find(user.id(), racing.id(), true));
    }

    /**
     * The app registers a device in the session while it is being ended: the registration checked the session before
     * the revocation committed, and the revocation read no device. Its transaction rests on the devices it read, so
     * it is planned again and ends the new device too.
     */
    @Test
    void aDeviceRegisteredInASessionWhileItEndsEndsWithIt() {
        User user = stores.newUser();
        Session session = stores.registered(user);
        DeviceRegistration phone = phoneIn(session);
        AtomicBoolean registered = new AtomicBoolean();
        SessionEndWrites registeringMeanwhile = (userId, sessionId, at) -> {
            List<TransactWriteItem> writes = stores.devices.writesFor(userId, sessionId, at);
            if (registered.compareAndSet(false, true)) {
                assertTrue(stores.devices.commit(DevicePlanner.registration(stores.devices, userId, phone, false, stores.now).plan()));
            }
            return writes;
        };
        SessionStore racing = new DynamoSessionStore(stores.dynamo, DynamoDbLocalTable.TABLE, IdentityStores.SESSION_IDLE_TIMEOUT,
                registeringMeanwhile);

        racing.revoke(user.id(), session.id(), stores.now.plusSeconds(1), SessionEnd.LOGOUT);

        assertEquals(List.of(), stores.devices.activeDevices(user.id()).targets());
        assertEquals(DeactivationReason.SESSION_ENDED, stores.devices.list(user.id()).getFirst().deactivatedReason());
    }

    /**
     * The account was deleted and its items wait for the eraser: ending one of its sessions (an admin's revocation,
     * a refresh token's reuse) writes nothing, so no device.deactivated follows its user.deleted.
     */
    @Test
    void aSessionOfADeletedAccountIsLeftToTheEraser() {
        User user = stores.newUser();
        Session session = stores.registered(user);
        assertTrue(stores.devices.commit(DevicePlanner.registration(stores.devices, user.id(), phoneIn(session), true, stores.now).plan()));
        stores.dynamo.deleteItem(request -> request.tableName(DynamoDbLocalTable.TABLE).key(Item.keyOf(Keys.user(user.id()), Keys.PROFILE)));

        sessions.revoke(user.id(), session.id(), stores.now.plusSeconds(1), SessionEnd.ADMIN);

        assertEquals(1, stores.devices.activeDevices(user.id()).targets().size(), "the device is the eraser's to delete");
        assertEquals(null, sessions.find(user.id(), session.id(), true).orElseThrow().revokedAt());
    }

    @Test
    void aSessionOfAnotherUserIsNotFound() {
        User owner = stores.newUser();
        Session session = stores.registered(owner);
        User stranger = stores.newUser();
        stores.registered(stranger);

        assertEquals(Optional.empty(), sessions.find(stranger.id(), session.id(), true));
        assertEquals(Optional.empty(), sessions.findAcceptedByOwner(stranger.id(), session.id()));
    }
}
