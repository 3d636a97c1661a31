package dev.userservice.profiles;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.userservice.cache.CacheKeys;
import dev.userservice.devices.PushTarget;
import dev.userservice.errors.ErrorCode;
import dev.userservice.errors.ServiceException;
import dev.userservice.preferences.Preferences.CategoryChoice;
import dev.userservice.preferences.Preferences;
import dev.userservice.testing.InMemoryCache;
import dev.userservice.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Profiles as the pipeline reads them: inputs cache-aside, the profile computed on every read. */
class NotificationProfilesTest {
    /** Half an hour before the users' quiet hours end. */
    private static final Instant EARLY_MORNING = Instant.parse("2026-11-23T06:30:00Z");
    private static final Preferences QUIET_AT_NIGHT = new Preferences(true, true, LocalTime.of(22, 0), LocalTime.of(7, 0),
            Map.of("marketing", new CategoryChoice(false, true)), Instant.EPOCH);

    private final MutableClock clock = new MutableClock(EARLY_MORNING);
    private final InMemoryCache cache = new InMemoryCache(clock);
    private final InMemoryProfileInputsStore store = new InMemoryProfileInputsStore();
    private final NotificationProfiles profiles = new NotificationProfiles(store, cache, clock);

    @Test
    void theInputsAreReadOnceAndThenServedFromTheCache() {
        String userId = store.add(QUIET_AT_NIGHT);

        profiles.profile(userId, ProfileRequest.DEFAULT);
        profiles.profile(userId, ProfileRequest.DEFAULT);

        assertEquals(List.of(List.of(userId)), store.asked);
        assertTrue(cache.contains(CacheKeys.notificationInputs(userId)));
    }

    @Test
    void quietHoursEndWithoutTheCachedInputsChanging() {
        String userId = store.add(QUIET_AT_NIGHT);

        NotificationProfile quiet = profiles.profile(userId, ProfileRequest.DEFAULT);
        clock.advance(Duration.ofMinutes(40));
        NotificationProfile awake = profiles.profile(userId, ProfileRequest.DEFAULT);

        assertEquals(Optional.of(Reason.QUIET_HOURS), quiet.pushChannel().blocked());
        assertEquals(Optional.of(Instant.parse("2026-11-23T07:00:00Z")), quiet.quietHoursEndAt());
        assertTrue(awake.pushChannel().allowedNow());
        assertEquals(1, store.asked.size(), "the same cached inputs, another answer");
    }

    @Test
    void cachedInputsCarryTheZonesOffsetAndAClockChangeNearByIsReadFromTheRules() {
        // Berlin leaves summer time on 2026-10-25 at 01:00 UTC: 07:00 that morning is 06:00 UTC, not 05:00.
        String userId = store.add(QUIET_AT_NIGHT, "Europe/Berlin");
        clock.advance(Duration.between(EARLY_MORNING, Instant.parse("2026-10-25T00:30:00Z")));

        NotificationProfile beforeTheChange = profiles.profile(userId, ProfileRequest.DEFAULT);
        clock.advance(Duration.ofMinutes(50));
        NotificationProfile afterIt = profiles.profile(userId, ProfileRequest.DEFAULT);

        assertEquals(Optional.of(Instant.parse("2026-10-25T06:00:00Z")), beforeTheChange.quietHoursEndAt());
        assertEquals(Optional.of(Instant.parse("2026-10-25T06:00:00Z")), afterIt.quietHoursEndAt());
        assertEquals(1, store.asked.size(), "both answered from the inputs cached first");
        assertTrue(cache.get(CacheKeys.notificationInputs(userId)).orElseThrow()
                .contains("\"zone_offset\":{\"offset_seconds\":7200,\"from\":\"2026-03-29T01:00:00Z\",\"until\":\"2026-10-25T01:00:00Z\"}"));
    }

    @Test
    void aCategoryOptOutStopsOnlyTheChannelItNames() {
        String userId = store.add(QUIET_AT_NIGHT);
        clock.advance(Duration.ofHours(6));

        NotificationProfile marketing = profiles.profile(userId, new ProfileRequest(Optional.of("marketing"), Priority.NORMAL, false));

        assertEquals(Optional.of(Reason.CATEGORY_OPT_OUT), marketing.emailChannel().blocked());
        assertTrue(marketing.emailChannel().enabled(), "the switch itself stays on");
        assertTrue(marketing.pushChannel().allowedNow());
    }

    @Test
    void anUnknownUserIsNotFound() {
        ServiceException refused = assertThrows(ServiceException.class,
                () -> profiles.profile(UUID.randomUUID().toString(), ProfileRequest.DEFAULT));

        assertEquals(ErrorCode.NOT_FOUND, refused.error());
    }

    @Test
    void aMadeUpIdNeverReachesTheStore() {
        ServiceException refused = assertThrows(ServiceException.class, () -> profiles.profile("../PROFILE", ProfileRequest.DEFAULT));

        assertEquals(ErrorCode.NOT_FOUND, refused.error());
        assertTrue(store.asked.isEmpty());
    }

    @Test
    void aBatchAnswersInTheOrderAskedAndNamesTheUnknownIds() {
        String first = store.add(QUIET_AT_NIGHT);
        String unknown = UUID.randomUUID().toString();
        String second = store.add(QUIET_AT_NIGHT);

        NotificationProfiles.Batch batch = profiles.profiles(List.of(second, unknown, first), ProfileRequest.DEFAULT);

        assertEquals(List.of(second, first), batch.profiles().stream().map(NotificationProfile::userId).toList());
        assertEquals(List.of(unknown), batch.unknownUserIds());
    }

    @Test
    void aBatchReadsOnlyWhatTheCacheMisses() {
        String cached = store.add(QUIET_AT_NIGHT);
        String notCached = store.add(QUIET_AT_NIGHT);
        profiles.profile(cached, ProfileRequest.DEFAULT);
        store.asked.clear();

        profiles.profiles(List.of(cached, notCached), ProfileRequest.DEFAULT);

        assertEquals(List.of(List.of(notCached)), store.asked);
    }

    @Test
    void anUnreadableCachedEntryIsReadAgainFromTheStore() {
        String userId = store.add(QUIET_AT_NIGHT);
        cache.put(CacheKeys.notificationInputs(userId), "{\"layout\": \"of an older release\"}", Duration.ofHours(1));

        NotificationProfile profile = profiles.profile(userId, ProfileRequest.DEFAULT);

        assertEquals(userId, profile.userId());
        assertEquals(List.of(List.of(userId)), store.asked);
    }

    @Test
    void aDeadCacheOnlyCostsAReadOfTheStore() {
        String userId = store.add(QUIET_AT_NIGHT);
        cache.setDown(true);

        profiles.profile(userId, ProfileRequest.DEFAULT);
        profiles.profile(userId, ProfileRequest.DEFAULT);

        assertEquals(2, store.asked.size());
    }

    @Test
    void aBatchOfMoreThanAHundredIsRefused() {
        List<String> tooMany = IntStream.rangeClosed(0, NotificationProfiles.MAX_BATCH)
                .mapToObj(i -> UUID.randomUUID().toString()).toList();

        assertThrows(IllegalArgumentException.class, () -> profiles.profiles(tooMany, ProfileRequest.DEFAULT));
        assertTrue(store.asked.isEmpty());
    }

    /** The inputs store's contract in memory, answering with a fresh map of what it holds, as a database would. */
    private static final class InMemoryProfileInputsStore implements ProfileInputsStore {
        private final Map<String, ProfileInputs> byUser = new HashMap<>();
        /** The ids of every read, in order. */
        final List<List<String>> asked = new ArrayList<>();

        String add(Preferences preferences) {
            return add(preferences, "UTC");
        }

        String add(Preferences preferences, String timezone) {
            String userId = UUID.randomUUID().toString();
            byUser.put(userId, new ProfileInputs(userId, userId + "@example.com", "Ada", "en", timezone, true, true, false,
                    null, preferences, List.of(new PushTarget("d-" + userId, "token-" + userId, "ios", null, null, Instant.EPOCH)), null));
            return userId;
        }

        @Override
        public Map<String, ProfileInputs> findAll(Collection<String> userIds) {
            asked.add(List.copyOf(userIds));
            Map<String, ProfileInputs> found = new HashMap<>();
            userIds.stream().filter(byUser::containsKey).forEach(userId -> found.put(userId, byUser.get(userId)));
            return found;
        }
    }
}
