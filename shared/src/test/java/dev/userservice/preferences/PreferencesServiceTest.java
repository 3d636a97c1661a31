package dev.userservice.preferences;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.userservice.cache.CacheKeys;
import dev.userservice.errors.ErrorCode;
import dev.userservice.errors.ServiceException;
import dev.userservice.events.EventType;
import dev.userservice.events.UserEvent;
import dev.userservice.json.Json;
import dev.userservice.testing.InMemoryCache;
import dev.userservice.testing.MutableClock;
import dev.userservice.users.UserService;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class PreferencesServiceTest {
    private static final Instant REGISTERED = Instant.parse("2025-06-01T08:30:00Z");

    private final MutableClock clock = new MutableClock(REGISTERED);
    private final InMemoryCache cache = new InMemoryCache(clock);
    private final InMemoryPreferencesStore store = new InMemoryPreferencesStore();
    // forget(userId) only deletes cache keys; no account is read here.
    private final PreferencesService service = new PreferencesService(store, cache, new UserService(null, cache, clock), clock);
    private final String userId = UUID.randomUUID().toString();

    @Test
    void aReadIsCachedAndAStoredChangeForgetsIt() {
        store.save(userId, Preferences.defaults(REGISTERED));

        assertEquals(true, service.view(userId).push());
        assertTrue(cache.contains(CacheKeys.preferences(userId)));
        cache.put(CacheKeys.user(userId), "{}", Duration.ofHours(1));

        clock.advance(Duration.ofMinutes(1));
        service.update(userId, change("{\"push\": false}"));

        assertFalse(cache.contains(CacheKeys.preferences(userId)));
        assertFalse(cache.contains(CacheKeys.user(userId)), "every cached view of the user is forgotten");
        assertEquals(false, service.view(userId).push());
    }

    @Test
    void aCachedViewIsServedWithoutReadingTheStore() {
        store.save(userId, Preferences.defaults(REGISTERED));
        Preferences first = service.view(userId);

        Preferences second = service.view(userId);

        assertEquals(first, second);
        assertEquals(1, store.reads);
    }

    @Test
    void anUnreadableCachedViewIsReadAgainFromTheStore() {
        store.save(userId, Preferences.defaults(REGISTERED));
        cache.put(CacheKeys.preferences(userId), "{\"layout\": \"of an older release\"}", Duration.ofHours(1));

        assertEquals(Preferences.defaults(REGISTERED), service.view(userId));
        assertEquals(1, store.reads);
    }

    @Test
    void aStoredChangeCarriesItsEventWithBothVersions() {
        Preferences registered = Preferences.defaults(REGISTERED);
        store.save(userId, registered);
        clock.advance(Duration.ofMinutes(1));

        Preferences after = service.update(userId, change("{\"quiet_hours_start\": \"22:00\", \"quiet_hours_end\": \"07:00\"}"));

        assertEquals(clock.instant(), after.updatedAt());
        UserEvent event = store.events.getFirst();
        assertEquals(EventType.PREFERENCES_UPDATED, event.type());
        assertEquals(userId, event.userId());
        assertEquals(Json.parse(Json.write(Map.of("before", registered, "after", after))), Json.parse(Json.write(event.data())));
    }

    @Test
    void aChangeThatChangesNothingStoresAndEmitsNothing() {
        Preferences registered = Preferences.defaults(REGISTERED);
        store.save(userId, registered);
        cache.put(CacheKeys.preferences(userId), Json.write(registered), Duration.ofHours(1));

        Preferences answered = service.update(userId, change("{\"email\": true, \"categories\": {\"news\": null}}"));

        assertEquals(registered, answered);
        assertEquals(0, store.writes);
        assertTrue(store.events.isEmpty());
        assertTrue(cache.contains(CacheKeys.preferences(userId)), "nothing changed, so nothing is forgotten");
    }

    @Test
    void aConcurrentChangeIsKeptAndTheLaterOneAppliedOnTopOfIt() {
        store.save(userId, Preferences.defaults(REGISTERED));
        // Another writer stores its change between this writer's read and write, once.
        store.beforeNextReplace = () -> store.save(userId, new Preferences(false, true, null, null, Map.of(), REGISTERED.plusSeconds(1)));

        Preferences after = service.update(userId, change("{\"push\": false}"));

        assertEquals(false, after.email(), "the other writer's change survives");
        assertEquals(false, after.push());
        assertEquals(after, store.find(userId).orElseThrow());
        assertEquals(1, store.events.size());
    }

    @Test
    void aChangeThatKeepsLosingToOtherWritersIsRefusedAsUnavailable() {
        store.save(userId, Preferences.defaults(REGISTERED));
        store.othersAlwaysWriteFirst = true;

        ServiceException refused = assertThrows(ServiceException.class, () -> service.update(userId, change("{\"push\": false}")));

        assertEquals(ErrorCode.SERVICE_UNAVAILABLE, refused.error());
        assertEquals(0, store.writes);
        assertTrue(store.events.isEmpty());
    }

    @Test
    void everyWriteMovesUpdatedAtEvenWhenTheClockDoesNot() {
        store.save(userId, Preferences.defaults(REGISTERED));

        Preferences first = service.update(userId, change("{\"push\": false}"));
        Preferences second = service.update(userId, change("{\"push\": true}"));

        assertTrue(second.updatedAt().isAfter(first.updatedAt()), "concurrent writers compare updated_at");
    }

    @Test
    void aRefusedChangeStoresNothing() {
        store.save(userId, Preferences.defaults(REGISTERED));

        ServiceException refused = assertThrows(ServiceException.class, () -> service.update(userId, change("{\"quiet_hours_start\": \"22:00\"}")));

        assertEquals(ErrorCode.VALIDATION_FAILED, refused.error());
        assertEquals(0, store.writes);
    }

    @Test
    void unknownAndMadeUpUsersAreNotFound() {
        assertEquals(ErrorCode.NOT_FOUND, assertThrows(ServiceException.class, () -> service.view(userId)).error());
        assertEquals(ErrorCode.NOT_FOUND, assertThrows(ServiceException.class, () -> service.update(userId, change("{\"push\": false}"))).error());
        int readsOfTheUnknownUser = store.reads;

        assertEquals(ErrorCode.NOT_FOUND, assertThrows(ServiceException.class, () -> service.view("../PROFILE")).error());
        assertEquals(ErrorCode.NOT_FOUND, assertThrows(ServiceException.class, () -> service.update("x", change("{}"))).error());
        assertEquals(readsOfTheUnknownUser, store.reads, "a made-up id never reaches the store");
    }

    @Test
    void quietHoursSpanningMidnightAreStored() {
        store.save(userId, Preferences.defaults(REGISTERED));

        Preferences after = service.update(userId, change("{\"quiet_hours_start\": \"23:00\", \"quiet_hours_end\": \"06:30\"}"));

        assertEquals(LocalTime.of(23, 0), after.quietHoursStart());
        assertEquals(LocalTime.of(6, 30), after.quietHoursEnd());
    }

    private static Preferences.Change change(String json) {
        return Preferences.Change.read(Json.parseObject(json));
    }

    /** The store's contract in memory: a replace lands only on the version it read. */
    private static final class InMemoryPreferencesStore implements PreferencesStore {
        private final Map<String, Preferences> byUser = new HashMap<>();
        private final List<UserEvent> events = new ArrayList<>();
        private Runnable beforeNextReplace;
        /** Every replace finds the preferences changed since they were read. */
        private boolean othersAlwaysWriteFirst;
        private int reads;
        private int writes;

        void save(String userId, Preferences preferences) {
            byUser.put(userId, preferences);
        }

        @Override
        public Optional<Preferences> find(String userId) {
            reads++;
            return Optional.ofNullable(byUser.get(userId));
        }

        @Override
        public boolean replace(String userId, Preferences before, Preferences after, UserEvent updated) {
            if (beforeNextReplace != null) {
                Runnable other = beforeNextReplace;
                beforeNextReplace = null;
                other.run();
            }
            Preferences stored = byUser.get(userId);
            if (othersAlwaysWriteFirst || stored == null || !stored.updatedAt().equals(before.updatedAt())) {
                return false;
            }
            writes++;
            byUser.put(userId, after);
            events.add(updated);
            return true;
        }
    }
}
