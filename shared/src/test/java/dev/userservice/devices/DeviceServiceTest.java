package dev.userservice.devices;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.userservice.auth.Principal;
import dev.userservice.auth.Role;
import dev.userservice.cache.CacheKeys;
import dev.userservice.errors.ErrorCode;
import dev.userservice.errors.ServiceException;
import dev.userservice.events.EventType;
import dev.userservice.events.UserEvent;
import dev.userservice.json.Json;
import dev.userservice.testing.InMemoryCache;
import dev.userservice.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Every device rule, through the service, on an in-memory store that keeps the DynamoDB store's conditions. */
class DeviceServiceTest {
    private static final Instant START = Instant.parse("2026-03-01T10:00:00Z");
    private static final String ALICE = "alice";
    private static final String BOB = "bob";
    private static final int MAX_INACTIVE = 3;

    private final MutableClock clock = new MutableClock(START);
    private final Map<String, DeviceRegistration.InSession> liveSessions = new HashMap<>();
    private final DeviceSessions sessions = (userId, sessionId) -> Optional.ofNullable(liveSessions.get(userId + "/" + sessionId));
    private final Set<String> knownUsers = new HashSet<>(Set.of(ALICE, BOB));
    private final List<String> forgotten = new ArrayList<>();
    private final InMemoryCache cache = new InMemoryCache(clock);
    private final InMemoryDeviceStore store = new InMemoryDeviceStore(sessions);
    private final DeviceService service = new DeviceService(store, sessions, new DeviceOwners() {
        @Override
        public void requireExists(String userId) {
            if (!knownUsers.contains(userId)) {
                throw new ServiceException(ErrorCode.NOT_FOUND, "User not found");
            }
        }

        @Override
        public void devicesChanged(String userId) {
            forgotten.add(userId);
            cache.delete(CacheKeys.ofUser(userId));
        }
    }, new InactiveDeviceLimit(MAX_INACTIVE), cache, clock);

    @Test
    void registeringANewTokenCreatesAnActiveDeviceInTheCallersSession() {
        Principal alice = signedIn(ALICE, "session-1");

        DeviceService.Registered registered = service.register(ALICE, alice, registration("token-1", "Phone"));

        assertTrue(registered.created());
        Device device = registered.device();
        assertTrue(device.active());
        assertEquals("session-1", device.sessionId());
        assertEquals(Optional.of(new DeviceStore.Holder(ALICE, device.id())), store.holderOf("token-1"));
        assertEquals(List.of(device.target()), store.activeDevices(ALICE).targets());
        assertEquals(List.of(EventType.DEVICE_REGISTERED), types(store.events));
        assertEquals(List.of(ALICE), forgotten);
    }

    @Test
    void reRegisteringOwnTokenUpdatesTheSameDeviceAndKeepsItsName() {
        Principal alice = signedIn(ALICE, "session-1");
        Device first = service.register(ALICE, alice, registration("token-1", "Phone")).device();
        clock.advance(Duration.ofDays(1));
        Principal later = signedIn(ALICE, "session-2");

        DeviceService.Registered again = service.register(ALICE, later, registration("token-1", null));

        assertFalse(again.created());
        assertEquals(first.id(), again.device().id());
        assertEquals("Phone", again.device().deviceName());
        assertEquals("session-2", again.device().sessionId());
        assertEquals(clock.instant(), again.device().lastSeenAt());
        assertEquals(1, store.list(ALICE).size());
        assertEquals(List.of(EventType.DEVICE_REGISTERED, EventType.DEVICE_REGISTERED), types(store.events));
    }

    @Test
    void aTokenAnotherUserHoldsMovesAndTheirDeviceIsDeactivated() {
        Device bobs = service.register(BOB, signedIn(BOB, "bob-session"), registration("shared-token", null)).device();
        store.events.clear();
        forgotten.clear();

        Device alices = service.register(ALICE, signedIn(ALICE, "session-1"), registration("shared-token", null)).device();

        assertNotEquals(bobs.id(), alices.id());
        Device moved = store.find(BOB, bobs.id()).orElseThrow();
        assertFalse(moved.active());
        assertEquals(DeactivationReason.TOKEN_MOVED, moved.deactivatedReason());
        assertEquals(List.of(), store.activeDevices(BOB).targets());
        assertEquals(Optional.of(new DeviceStore.Holder(ALICE, alices.id())), store.holderOf("shared-token"));
        assertEquals(List.of(EventType.DEVICE_DEACTIVATED, EventType.DEVICE_REGISTERED), types(store.events));
        assertEquals("token_moved", store.events.getFirst().data().get("reason"));
        assertEquals(BOB, store.events.getFirst().userId());
        assertEquals(Set.of(ALICE, BOB), Set.copyOf(forgotten));
    }

    /** A deleted account's devices are the eraser's: its events ended with user.deleted, and its items change no more. */
    @Test
    void aTokenHeldByADeletedAccountsDeviceMovesAloneWithNoEventForThatAccount() {
        Device bobs = service.register(BOB, signedIn(BOB, "bob-session"), registration("shared-token", null)).device();
        store.accountExists = userId -> knownUsers.contains(userId);
        knownUsers.remove(BOB);
        store.events.clear();
        forgotten.clear();

        Device alices = service.register(ALICE, signedIn(ALICE, "session-1"), registration("shared-token", null)).device();

        assertEquals(Optional.of(new DeviceStore.Holder(ALICE, alices.id())), store.holderOf("shared-token"));
        assertEquals(List.of(EventType.DEVICE_REGISTERED), types(store.events));
        assertEquals(ALICE, store.events.getFirst().userId());
        assertEquals(List.of(ALICE), forgotten);
        assertEquals(Optional.of(bobs), store.find(BOB, bobs.id()), "left for the eraser as it was");
        assertEquals(List.of(bobs.target()), store.activeDevices(BOB).targets());
    }

    /** Deleted after the registration read the account: the move that would deactivate is refused, and planned anew. */
    @Test
    void aHolderDeletedWhileTheTokenMovesIsPlannedAgainWithNoEventForThem() {
        Device bobs = service.register(BOB, signedIn(BOB, "bob-session"), registration("shared-token", null)).device();
        store.accountExists = userId -> knownUsers.contains(userId);
        store.events.clear();
        int commitsBefore = store.commits;

        store.beforeNextCommit = () -> knownUsers.remove(BOB);
        Device alices = service.register(ALICE, signedIn(ALICE, "session-1"), registration("shared-token", null)).device();

        assertEquals(commitsBefore + 1, store.commits, "the first plan was refused");
        assertEquals(Optional.of(new DeviceStore.Holder(ALICE, alices.id())), store.holderOf("shared-token"));
        assertEquals(List.of(EventType.DEVICE_REGISTERED), types(store.events));
        assertTrue(store.find(BOB, bobs.id()).orElseThrow().active());
    }

    @Test
    void aTokenWhoseFormerHolderDeviceIsInactiveMovesWithoutTouchingThatUser() {
        Device bobs = service.register(BOB, signedIn(BOB, "bob-session"), registration("shared-token", null)).device();
        service.update(user(BOB), BOB, bobs.id(), new DeviceUpdate(Optional.of(false), false, null));
        store.events.clear();
        forgotten.clear();

        service.register(ALICE, signedIn(ALICE, "session-1"), registration("shared-token", null));

        assertEquals(List.of(EventType.DEVICE_REGISTERED), types(store.events));
        assertEquals(List.of(ALICE), forgotten);
        assertEquals(DeactivationReason.USER_REQUEST, store.find(BOB, bobs.id()).orElseThrow().deactivatedReason());
    }

    @Test
    void theDeviceOverTheLimitEvictsTheLeastRecentlySeen() {
        List<Device> registered = new ArrayList<>();
        for (int i = 0; i < DeviceLimit.MAX_ACTIVE; i++) {
            clock.advance(Duration.ofMinutes(1));
            registered.add(service.register(ALICE, signedIn(ALICE, "session-1"), registration("token-" + i, null)).device());
        }
        // The first device is seen again, so the second is now the least recently seen.
        clock.advance(Duration.ofMinutes(1));
        service.register(ALICE, signedIn(ALICE, "session-1"), registration("token-0", null));
        store.events.clear();

        clock.advance(Duration.ofMinutes(1));
        Device newest = service.register(ALICE, signedIn(ALICE, "session-1"), registration("one-too-many", null)).device();

        Device evicted = store.find(ALICE, registered.get(1).id()).orElseThrow();
        assertFalse(evicted.active());
        assertEquals(DeactivationReason.EVICTED_LIMIT, evicted.deactivatedReason());
        assertEquals(DeviceLimit.MAX_ACTIVE, store.activeDevices(ALICE).targets().size());
        assertTrue(store.activeDevices(ALICE).targets().contains(newest.target()));
        assertEquals(List.of(EventType.DEVICE_DEACTIVATED, EventType.DEVICE_REGISTERED), types(store.events));
        assertEquals("evicted_limit", store.events.getFirst().data().get("reason"));
        assertEquals(registered.get(1).id(), store.events.getFirst().data().get("device_id"));
    }

    @Test
    void aNewDeviceBeyondTheInactiveLimitRemovesTheOldestInactiveDevicesAndReleasesTheirTokens() {
        Principal alice = signedIn(ALICE, "session-1");
        List<Device> inactive = new ArrayList<>();
        for (int i = 0; i < MAX_INACTIVE; i++) {
            Device device = service.register(ALICE, alice, registration("token-" + i, null)).device();
            clock.advance(Duration.ofMinutes(1));
            inactive.add(service.update(user(ALICE), ALICE, device.id(), new DeviceUpdate(Optional.of(false), false, null)));
        }
        store.events.clear();

        service.register(ALICE, alice, registration("token-new", null));

        List<String> kept = service.list(ALICE).stream().map(Device::id).toList();
        assertFalse(kept.contains(inactive.getFirst().id()), "the oldest inactive device is removed");
        assertTrue(kept.containsAll(List.of(inactive.get(1).id(), inactive.get(2).id())));
        assertEquals(MAX_INACTIVE, kept.size(), "room for the device this registration may deactivate");
        assertEquals(Optional.empty(), store.holderOf("token-0"), "its token is free for anyone to register");
        assertEquals(List.of(EventType.DEVICE_REGISTERED), types(store.events), "an inactive device leaves without an event");
    }

    @Test
    void reRegisteringATokenTheUserHoldsRemovesNothing() {
        Principal alice = signedIn(ALICE, "session-1");
        for (int i = 0; i < MAX_INACTIVE; i++) {
            Device device = service.register(ALICE, alice, registration("token-" + i, null)).device();
            service.update(user(ALICE), ALICE, device.id(), new DeviceUpdate(Optional.of(false), false, null));
        }

        service.register(ALICE, alice, registration("token-0", null));

        assertEquals(MAX_INACTIVE, service.list(ALICE).size());
    }

    @Test
    void theInactiveLimitNeverOutgrowsItselfThroughEvictions() {
        // At the active limit, every new device evicts one: the inactive ones still stay within their limit.
        Principal alice = signedIn(ALICE, "session-1");
        for (int i = 0; i < DeviceLimit.MAX_ACTIVE + 2 * MAX_INACTIVE; i++) {
            service.register(ALICE, alice, registration("token-" + i, null));
            clock.advance(Duration.ofMinutes(1));
        }

        assertEquals(DeviceLimit.MAX_ACTIVE, store.activeDevices(ALICE).targets().size());
        assertEquals(MAX_INACTIVE, service.list(ALICE).stream().filter(device -> !device.active()).count());
    }

    @Test
    void anInactiveDeviceComesBackInItsLiveSession() {
        Device device = service.register(ALICE, signedIn(ALICE, "session-1"), registration("token-1", null)).device();
        service.update(user(ALICE), ALICE, device.id(), new DeviceUpdate(Optional.of(false), false, null));
        store.events.clear();

        Device back = service.update(user(ALICE), ALICE, device.id(), new DeviceUpdate(Optional.of(true), false, null));

        assertTrue(back.active());
        assertEquals(null, back.deactivatedReason());
        assertEquals(List.of(back.target()), store.activeDevices(ALICE).targets());
        assertEquals(List.of(EventType.DEVICE_REGISTERED), types(store.events));
    }

    @Test
    void aDeviceWhoseTokenMovedCannotComeBack() {
        Device alices = service.register(ALICE, signedIn(ALICE, "session-1"), registration("shared-token", null)).device();
        service.register(BOB, signedIn(BOB, "bob-session"), registration("shared-token", null));

        ServiceException refused = assertThrows(ServiceException.class,
                () -> service.update(user(ALICE), ALICE, alices.id(), new DeviceUpdate(Optional.of(true), false, null)));

        assertEquals(ErrorCode.VALIDATION_FAILED, refused.error());
        assertEquals("active", refused.details().getFirst().field());
        assertFalse(store.find(ALICE, alices.id()).orElseThrow().active());
    }

    @Test
    void aDeviceWhoseSessionEndedCannotComeBack() {
        Device device = service.register(ALICE, signedIn(ALICE, "session-1"), registration("token-1", null)).device();
        service.update(user(ALICE), ALICE, device.id(), new DeviceUpdate(Optional.of(false), false, null));
        liveSessions.remove(ALICE + "/session-1");

        assertThrows(ServiceException.class,
                () -> service.update(user(ALICE), ALICE, device.id(), new DeviceUpdate(Optional.of(true), false, null)));
    }

    @Test
    void renamingChangesNoPushTargetAndFiresNoEvent() {
        Device device = service.register(ALICE, signedIn(ALICE, "session-1"), registration("token-1", "Phone")).device();
        store.events.clear();
        clock.advance(Duration.ofMinutes(5));

        Device renamed = service.update(user(ALICE), ALICE, device.id(), new DeviceUpdate(Optional.empty(), true, "Old phone"));

        assertEquals("Old phone", renamed.deviceName());
        assertEquals(clock.instant(), renamed.updatedAt());
        assertEquals(List.of(), store.events);
    }

    @Test
    void anUpdateThatChangesNothingWritesNothing() {
        Device device = service.register(ALICE, signedIn(ALICE, "session-1"), registration("token-1", "Phone")).device();
        int commits = store.commits;

        Device same = service.update(user(ALICE), ALICE, device.id(), new DeviceUpdate(Optional.of(true), true, "Phone"));

        assertEquals(device, same);
        assertEquals(commits, store.commits);
    }

    @Test
    void deactivatingAtTheUsersRequestFiresDeactivated() {
        Device device = service.register(ALICE, signedIn(ALICE, "session-1"), registration("token-1", null)).device();
        store.events.clear();

        Device off = service.update(user(ALICE), ALICE, device.id(), new DeviceUpdate(Optional.of(false), false, null));

        assertEquals(DeactivationReason.USER_REQUEST, off.deactivatedReason());
        assertEquals(List.of(), store.activeDevices(ALICE).targets());
        assertEquals("user_request", store.events.getFirst().data().get("reason"));
    }

    /** The device as the list answers it, cached or not: its JSON as read back (instants as their text). */
    private static List<Object> listed(Device device) {
        return List.of(Json.parseObject(Json.write(device.toJson())));
    }

    @Test
    void anAdminDeactivatingAUsersDeviceIsRecordedAsTheAdminsAndListsOnlyKnownUsers() {
        Device device = service.register(ALICE, signedIn(ALICE, "session-1"), registration("token-1", null)).device();
        store.events.clear();
        Principal admin = new Principal("admin", "admin-session", Set.of(Role.ADMIN), true, "jti", clock.instant().plusSeconds(900));

        Device off = service.update(admin, ALICE, device.id(), new DeviceUpdate(Optional.of(false), false, null));

        assertEquals(DeactivationReason.ADMIN, off.deactivatedReason());
        assertEquals("admin", store.events.getFirst().data().get("reason"));
        assertEquals(listed(off), service.listView(admin, ALICE));
        assertEquals(ErrorCode.NOT_FOUND, assertThrows(ServiceException.class, () -> service.listView(admin, "nobody")).error());
    }

    @Test
    void theListIsCachedAsItIsAnsweredUntilAChangeForgetsIt() {
        Principal alice = signedIn(ALICE, "session-1");
        Device device = service.register(ALICE, alice, registration("token-1", "Phone")).device();
        clock.advance(Duration.ofMinutes(1)); // a fill is refused when the read began no later than the last forget

        List<Object> first = service.listView(alice, ALICE);
        store.rename(ALICE, device.id(), "Changed behind the cache's back");
        List<Object> second = service.listView(alice, ALICE);

        assertEquals(Json.write(first), Json.write(second), "the cached list answers as the stored one did");
        assertEquals("Phone", ((Map<?, ?>) second.getFirst()).get("device_name"));
        clock.advance(Duration.ofMinutes(1));
        service.update(alice, ALICE, device.id(), new DeviceUpdate(Optional.empty(), true, "Old phone"));
        assertEquals("Old phone", ((Map<?, ?>) service.listView(alice, ALICE).getFirst()).get("device_name"));
    }

    @Test
    void aCachedListOfAnotherLayoutOrADeadCacheReadsTheStore() {
        Principal alice = signedIn(ALICE, "session-1");
        Device device = service.register(ALICE, alice, registration("token-1", null)).device();
        cache.put(CacheKeys.devices(ALICE), "{\"layout\": \"of an older release\"}", Duration.ofHours(1));

        assertEquals(listed(device), service.listView(alice, ALICE));

        cache.setDown(true);
        assertEquals(listed(device), service.listView(alice, ALICE));
    }

    @Test
    void deletingRemovesTheDeviceAndReleasesItsToken() {
        Device device = service.register(ALICE, signedIn(ALICE, "session-1"), registration("token-1", null)).device();
        store.events.clear();

        service.delete(ALICE, device.id());

        assertEquals(List.of(), store.list(ALICE));
        assertEquals(Optional.empty(), store.holderOf("token-1"));
        assertEquals(List.of(), store.activeDevices(ALICE).targets());
        assertEquals(List.of(EventType.DEVICE_DEACTIVATED), types(store.events));
        assertThrows(ServiceException.class, () -> service.get(ALICE, device.id()));
    }

    /** The account was deleted while the request planned: 404, not planned again until the retries are spent. */
    @Test
    void deletingOrSwitchingOffDevicesOfAnAccountDeletedMeanwhileIsNotFound() {
        Device device = service.register(ALICE, signedIn(ALICE, "session-1"), registration("token-1", null)).device();
        store.events.clear();
        int commitsBefore = store.commits;
        store.accountExists = userId -> knownUsers.contains(userId);

        store.beforeNextCommit = () -> knownUsers.remove(ALICE);
        assertEquals(ErrorCode.NOT_FOUND, assertThrows(ServiceException.class, () -> service.delete(ALICE, device.id())).error());
        knownUsers.add(ALICE);
        store.beforeNextCommit = () -> knownUsers.remove(ALICE);
        assertEquals(ErrorCode.NOT_FOUND, assertThrows(ServiceException.class, () -> service.deactivateAll(ALICE)).error());

        assertEquals(List.of(device), store.list(ALICE));
        assertEquals(List.of(), store.events);
        assertEquals(commitsBefore, store.commits, "no commit held");
    }

    @Test
    void deletingADeviceWhoseTokenMovedLeavesTheNewHoldersClaim() {
        Device alices = service.register(ALICE, signedIn(ALICE, "session-1"), registration("shared-token", null)).device();
        Device bobs = service.register(BOB, signedIn(BOB, "bob-session"), registration("shared-token", null)).device();
        store.events.clear();

        service.delete(ALICE, alices.id());

        assertEquals(Optional.of(new DeviceStore.Holder(BOB, bobs.id())), store.holderOf("shared-token"));
        assertEquals(List.of(), store.events, "the deleted device was inactive already");
    }

    @Test
    void deactivatingAllCountsTheActiveDevicesAndFiresOneEventEach() {
        service.register(ALICE, signedIn(ALICE, "session-1"), registration("token-1", null));
        service.register(ALICE, signedIn(ALICE, "session-1"), registration("token-2", null));
        service.register(ALICE, signedIn(ALICE, "session-1"), new DeviceRegistration("token-3", "ios", null, false, null));
        store.events.clear();
        forgotten.clear();

        assertEquals(2, service.deactivateAll(ALICE));

        assertTrue(store.list(ALICE).stream().noneMatch(Device::active));
        assertEquals(List.of(EventType.DEVICE_DEACTIVATED, EventType.DEVICE_DEACTIVATED), types(store.events));
        assertEquals(List.of(ALICE), forgotten);
        assertEquals(0, service.deactivateAll(ALICE));
        assertEquals(List.of(ALICE), forgotten, "nothing changed the second time");
    }

    @Test
    void aRegistrationInAnEndedSessionIsRefused() {
        Principal alice = signedIn(ALICE, "session-1");
        liveSessions.clear();

        ServiceException refused = assertThrows(ServiceException.class,
                () -> service.register(ALICE, alice, registration("token-1", null)));

        assertEquals(ErrorCode.UNAUTHORIZED, refused.error());
        assertEquals(List.of(), store.list(ALICE));
    }

    @Test
    void aServiceRegistersForAKnownUserWithoutASession() {
        Principal service = new Principal("client-1", null, Set.of(Role.SERVICE), false, "jti", START.plusSeconds(900));

        Device device = this.service.register(ALICE, service, registration("token-1", null)).device();

        assertEquals(null, device.sessionId());
        ServiceException unknown = assertThrows(ServiceException.class,
                () -> this.service.register("nobody", service, registration("token-2", null)));
        assertEquals(ErrorCode.NOT_FOUND, unknown.error());
    }

    /** Its session ended without deactivating it (it ran out, or a password reset ended it): the profile skips it. */
    @Test
    void aServiceRegisteringAnActiveDeviceWhoseSessionEndedBringsItBackInNoSession() {
        Principal service = new Principal("client-1", null, Set.of(Role.SERVICE), false, "jti", START.plusSeconds(900));
        Device inSession = this.service.register(ALICE, signedIn(ALICE, "session-1"), registration("token-1", "Phone")).device();
        Device kept = this.service.register(ALICE, service, registration("token-1", null)).device();
        assertEquals("session-1", kept.sessionId(), "an active device keeps its session while it lives");

        liveSessions.remove(ALICE + "/session-1");
        Device again = this.service.register(ALICE, service, registration("token-1", null)).device();

        assertEquals(inSession.id(), again.id());
        assertTrue(again.active());
        assertEquals(null, again.sessionId());
        assertEquals(null, again.sessionCreatedAt());
    }

    /** The user registered the device again, in a live session, after the service's registration found its old one ended. */
    @Test
    void aSessionTheDeviceGainedSinceItsOldOneWasFoundEndedIsKept() {
        Principal service = new Principal("client-1", null, Set.of(Role.SERVICE), false, "jti", START.plusSeconds(900));
        this.service.register(ALICE, signedIn(ALICE, "session-1"), registration("token-1", "Phone"));
        liveSessions.remove(ALICE + "/session-1");
        Principal again = signedIn(ALICE, "session-2");
        store.afterNextDeviceRead = () -> this.service.register(ALICE, again, registration("token-1", null));

        Device device = this.service.register(ALICE, service, registration("token-1", null)).device();

        assertEquals("session-2", device.sessionId());
    }

    @Test
    void aConcurrentChangeMakesTheRegistrationReadAndPlanAgain() {
        Principal alice = signedIn(ALICE, "session-1");
        store.beforeNextCommit = () -> store.touchedConcurrently(ALICE);

        DeviceService.Registered registered = service.register(ALICE, alice, registration("token-1", null));

        assertTrue(registered.created());
        assertEquals(1, store.commits);
        assertEquals(2, store.activeDevices(ALICE).version(), "one concurrent write, then this one");
    }

    @Test
    void aTokenComingBackToAFormerHolderRegistersTheirDeviceAgain() {
        Device first = service.register(ALICE, signedIn(ALICE, "session-1"), registration("shared-token", "Phone")).device();
        service.register(BOB, signedIn(BOB, "bob-session"), registration("shared-token", null));
        store.events.clear();

        DeviceService.Registered back = service.register(ALICE, signedIn(ALICE, "session-2"), registration("shared-token", null));

        assertFalse(back.created(), "one device per user and token");
        assertEquals(first.id(), back.device().id());
        assertEquals("Phone", back.device().deviceName());
        assertEquals("session-2", back.device().sessionId());
        assertEquals(List.of(back.device()), store.list(ALICE));
        assertEquals(Optional.of(new DeviceStore.Holder(ALICE, first.id())), store.holderOf("shared-token"));
        assertEquals(List.of(EventType.DEVICE_DEACTIVATED, EventType.DEVICE_REGISTERED), types(store.events));
    }

    @Test
    void aTokenTakenBetweenTheReadsOfARegistrationIsPlannedAgainAndEndsWithOneHolder() {
        Device alices = service.register(ALICE, signedIn(ALICE, "session-1"), registration("shared-token", null)).device();
        Principal bob = signedIn(BOB, "bob-session");
        store.afterNextClaimRead = () -> service.register(BOB, bob, registration("shared-token", null));

        DeviceService.Registered again = service.register(ALICE, signedIn(ALICE, "session-1"), registration("shared-token", null));

        Device bobs = store.list(BOB).getFirst();
        assertEquals(alices.id(), again.device().id());
        assertEquals(Optional.of(new DeviceStore.Holder(ALICE, alices.id())), store.holderOf("shared-token"),
                "Alice's registration, read before Bob's and committed after it, takes the token back");
        assertTrue(store.find(ALICE, alices.id()).orElseThrow().active());
        assertFalse(bobs.active(), "one active device holds the token");
        assertEquals(DeactivationReason.TOKEN_MOVED, bobs.deactivatedReason());
        assertEquals(List.of(), store.activeDevices(BOB).targets());
    }

    @Test
    void anInactiveHoldersDeviceReactivatedAfterARegistrationReadItIsDeactivated() {
        Device bobs = service.register(BOB, signedIn(BOB, "bob-session"), registration("shared-token", null)).device();
        service.update(user(BOB), BOB, bobs.id(), new DeviceUpdate(Optional.of(false), false, null));
        store.afterNextDeviceRead = () -> service.update(user(BOB), BOB, bobs.id(), new DeviceUpdate(Optional.of(true), false, null));

        service.register(ALICE, signedIn(ALICE, "session-1"), registration("shared-token", null));

        assertFalse(store.find(BOB, bobs.id()).orElseThrow().active(), "one active device holds the token");
        assertEquals(DeactivationReason.TOKEN_MOVED, store.find(BOB, bobs.id()).orElseThrow().deactivatedReason());
        assertEquals(List.of(), store.activeDevices(BOB).targets());
    }

    @Test
    void endingASessionDeactivatesOnlyItsDevices() {
        Device inSession = service.register(ALICE, signedIn(ALICE, "session-1"), registration("token-1", null)).device();
        Device other = service.register(ALICE, signedIn(ALICE, "session-2"), registration("token-2", null)).device();
        store.events.clear();

        DevicePlan plan = DeviceRules.sessionEnded(ALICE, "session-1", store.activeDevices(ALICE), clock.instant());
        assertTrue(store.commit(plan));

        assertFalse(store.find(ALICE, inSession.id()).orElseThrow().active());
        assertEquals(DeactivationReason.SESSION_ENDED, store.find(ALICE, inSession.id()).orElseThrow().deactivatedReason());
        assertEquals(List.of(other.target()), store.activeDevices(ALICE).targets());
        assertEquals("session_ended", store.events.getFirst().data().get("reason"));
        assertTrue(DeviceRules.sessionEnded(ALICE, "session-9", store.activeDevices(ALICE), clock.instant()).deactivations().isEmpty());
    }

    @Test
    void aRefusedTokenDeactivatesTheDeviceHoldingIt() {
        Device device = service.register(ALICE, signedIn(ALICE, "session-1"), registration("token-1", null)).device();

        DevicePlan plan = DevicePlanner.deactivationOfToken(store, "token-1", DeactivationReason.UNREGISTERED, clock.instant(), clock.instant(), ALICE)
                .orElseThrow();
        assertTrue(store.commit(plan));

        assertEquals(DeactivationReason.UNREGISTERED, store.find(ALICE, device.id()).orElseThrow().deactivatedReason());
        assertEquals(Optional.empty(), DevicePlanner.deactivationOfToken(store, "token-1", DeactivationReason.UNREGISTERED,
                clock.instant(), clock.instant(), ALICE), "an inactive device is left as it is");
        assertEquals(Optional.empty(), DevicePlanner.deactivationOfToken(store, "unknown", DeactivationReason.UNREGISTERED,
                clock.instant(), clock.instant(), ALICE));
    }

    /**
     * A refusal in a push to Alice switches off the device her token moved to, Bob's, but never one whose token was
     * never hers: a report naming the wrong user leaves a stranger's pushes alone.
     */
    @Test
    void aRefusedTokenSwitchesOffAnotherUsersDeviceOnlyWhenItMovedFromTheReportedUser() {
        service.register(BOB, signedIn(BOB, "session-2"), registration("token-of-bob", null));
        service.register(ALICE, signedIn(ALICE, "session-1"), registration("token-1", null));
        clock.advance(Duration.ofMinutes(1));
        Device moved = service.register(BOB, signedIn(BOB, "session-2"), registration("token-1", null)).device();
        clock.advance(Duration.ofMinutes(1));

        assertEquals(Optional.empty(), DevicePlanner.deactivationOfToken(store, "token-of-bob", DeactivationReason.UNREGISTERED,
                clock.instant(), clock.instant(), ALICE), "never Alice's");
        DevicePlan plan = DevicePlanner.deactivationOfToken(store, "token-1", DeactivationReason.UNREGISTERED,
                clock.instant(), clock.instant(), ALICE).orElseThrow();
        assertTrue(store.commit(plan));

        assertEquals(DeactivationReason.UNREGISTERED, store.find(BOB, moved.id()).orElseThrow().deactivatedReason());
    }

    /** A refusal reported after the token was registered again (late, or redelivered) switches off nothing. */
    @Test
    void aTokenRefusedBeforeItsLatestRegistrationStaysActive() {
        Instant refusedAt = clock.instant();
        clock.advance(Duration.ofMinutes(5));
        service.register(ALICE, signedIn(ALICE, "session-1"), registration("token-1", null));
        clock.advance(Duration.ofMinutes(5));

        assertEquals(Optional.empty(), DevicePlanner.deactivationOfToken(store, "token-1", DeactivationReason.UNREGISTERED,
                refusedAt, clock.instant(), ALICE));
        assertTrue(DevicePlanner.deactivationOfToken(store, "token-1", DeactivationReason.UNREGISTERED,
                clock.instant(), clock.instant(), ALICE).isPresent(), "a refusal since the registration");
    }

    @Test
    void aSignupRegistrationIsNotCheckedAgainstItsSessionWhichTheSameTransactionCreates() {
        DeviceRegistration atSignup = registration("token-1", null)
                .inSession(new DeviceRegistration.InSession("new-session", START));

        DeviceRules.Registration planned = DevicePlanner.registration(store, ALICE, atSignup, false, START);

        assertEquals(List.of(), planned.plan().liveSessions());
        assertEquals(List.of(new DevicePlan.LiveSession(ALICE, "new-session")),
                DevicePlanner.registration(store, ALICE, atSignup, true, START).plan().liveSessions());
    }

    /** The user, signed in, changing their own devices (the session is not looked at). */
    private Principal user(String userId) {
        return new Principal(userId, "session-of-the-change", Set.of(Role.USER), true, "jti", clock.instant().plusSeconds(900));
    }

    private Principal signedIn(String userId, String sessionId) {
        liveSessions.putIfAbsent(userId + "/" + sessionId, new DeviceRegistration.InSession(sessionId, clock.instant()));
        return new Principal(userId, sessionId, Set.of(Role.USER), true, "jti", clock.instant().plusSeconds(900));
    }

    private static DeviceRegistration registration(String token, String name) {
        return new DeviceRegistration(token, "android", name, true, null);
    }

    private static List<EventType> types(List<UserEvent> events) {
        return events.stream().map(UserEvent::type).toList();
    }

    @Test
    void aPutOfTheFetchedDeviceReplacesItsNameAndIgnoresTheReadOnlyFieldsSentBack() {
        Device device = service.register(ALICE, signedIn(ALICE, "session-1"), registration("token-1", "Phone")).device();
        Map<String, Object> fetched = dev.userservice.json.Json.parseObject(dev.userservice.json.Json.write(device));
        fetched.remove("device_name");
        fetched.put("active", false);

        Device replaced = service.update(user(ALICE), ALICE, device.id(), DeviceUpdate.readReplacement(fetched));

        assertEquals(null, replaced.deviceName(), "a name left out of a replacement is removed");
        assertFalse(replaced.active());
        assertEquals("token-1", replaced.token());
    }

    @Test
    void aPutChangingTheTokenIsRefusedNamingItAndChangesNothing() {
        Device device = service.register(ALICE, signedIn(ALICE, "session-1"), registration("token-1", "Phone")).device();
        Map<String, Object> fetched = dev.userservice.json.Json.parseObject(dev.userservice.json.Json.write(device));
        fetched.put("token", "token-2");
        fetched.put("device_name", "Renamed");

        ServiceException refused = assertThrows(ServiceException.class,
                () -> service.update(user(ALICE), ALICE, device.id(), DeviceUpdate.readReplacement(fetched)));

        assertEquals(List.of("token"), refused.details().stream().map(dev.userservice.errors.FieldError::field).toList());
        assertEquals("Phone", store.find(ALICE, device.id()).orElseThrow().deviceName());
    }
}
