package dev.userservice.preferences;

import dev.userservice.cache.Cache;
import dev.userservice.cache.CacheAside;
import dev.userservice.cache.CacheKeys;
import dev.userservice.concurrency.OptimisticRetry;
import dev.userservice.concurrency.OptimisticWrites;
import dev.userservice.errors.ErrorCode;
import dev.userservice.errors.ServiceException;
import dev.userservice.events.EventType;
import dev.userservice.events.UserEvent;
import dev.userservice.json.Json;
import dev.userservice.users.UserService;
import dev.userservice.validation.Text;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Reading and changing a user's notification preferences. Reads are cache-aside (24 h); a change is read, merged
 * and written on condition that nobody wrote in between, retried on the fresh preferences when somebody did, so
 * concurrent PATCHes of different fields both land. Each stored change carries its {@code preferences.updated}
 * event in the same transaction and forgets every cached view of the user.
 */
public final class PreferencesService {
    /**
     * Read on every notification, changed rarely: the longest of the views, yet shorter than the table's stream
     * consumer waits at a record it cannot confirm (see the template's {@code MaximumRecordAgeInSeconds}), so a view
     * whose forget was never confirmed has expired by the time that record is given up.
     */
    public static final Duration CACHE_TTL = Duration.ofHours(23);

    private final PreferencesStore store;
    private final CacheAside<Preferences> views;
    private final UserService users;
    private final Clock clock;

    public PreferencesService(PreferencesStore store, Cache cache, UserService users, Clock clock) {
        this.store = store;
        this.views = new CacheAside<>(cache, clock, CACHE_TTL, cached -> Preferences.fromJson(Json.parseObject(cached)), Json::write);
        this.users = users;
        this.clock = clock;
    }

    /** The user's preferences, from the cache when it has them; 404 {@code not_found} for an unknown user. */
    public Preferences view(String userId) {
        requireUserId(userId);
        return views.read(CacheKeys.preferences(userId), () -> store.find(userId).orElseThrow(PreferencesService::notFound));
    }

    /**
     * PUT and PATCH alike: changes the fields given ({@link Preferences.Change}) and answers the preferences as
     * stored. A change the stored preferences make invalid (half of the quiet hours, too many categories) is
     * refused with 400 {@code validation_failed} before anything is stored; a change that leaves everything as it
     * was stores and emits nothing. 404 for an unknown user.
     */
    public Preferences update(String userId, Preferences.Change change) {
        requireUserId(userId);

        return OptimisticRetry.run(() -> {
            Preferences before = store.find(userId).orElseThrow(PreferencesService::notFound);
            Preferences after = change.applyTo(before, OptimisticWrites.nextUpdatedAt(clock, before.updatedAt()));
            if (after.sameChoicesAs(before)) {
                return Optional.of(before);
            }
            if (!store.replace(userId, before, after, updated(userId, before, after))) {
                return Optional.empty();
            }
            users.forget(userId);
            return Optional.of(after);
        }, "The preferences are being changed by other requests; try again");
    }

    /** {@code preferences.updated}: both versions whole, so a consumer needs no state of its own to see what changed. */
    private UserEvent updated(String userId, Preferences before, Preferences after) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("before", before);
        data.put("after", after);
        return UserEvent.of(EventType.PREFERENCES_UPDATED, userId, data, clock);
    }

    /** A made-up id of any length never reaches the table or the cache. */
    private static void requireUserId(String userId) {
        if (!Text.isId(userId)) {
            throw notFound();
        }
    }

    private static ServiceException notFound() {
        return new ServiceException(ErrorCode.NOT_FOUND, "User not found");
    }
}
