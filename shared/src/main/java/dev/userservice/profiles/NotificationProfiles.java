package dev.userservice.profiles;

import dev.userservice.cache.Cache;
import dev.userservice.cache.CacheKeys;
import dev.userservice.errors.ErrorCode;
import dev.userservice.errors.ServiceException;
import dev.userservice.json.Json;
import dev.userservice.json.JsonWritable;
import dev.userservice.logging.Log;
import dev.userservice.users.UserService;
import dev.userservice.validation.Text;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Notification profiles for the pipeline, one or a batch. The inputs are read cache-aside: one multi-get from the
 * cache, one batch read of the table for the misses, and the misses put back for an hour; every write that changes
 * a user forgets them ({@link CacheKeys#ofUser}). The profile itself is computed on every read, so a cached entry is
 * never stale across a quiet-hours boundary.
 */
public final class NotificationProfiles {
    public static final Duration INPUTS_TTL = Duration.ofHours(1);
    public static final int MAX_BATCH = 100;

    private final ProfileInputsStore store;
    private final Cache cache;
    private final Clock clock;

    public NotificationProfiles(ProfileInputsStore store, Cache cache, Clock clock) {
        this.store = store;
        this.cache = cache;
        this.clock = clock;
    }

    /** The profile of one user; 404 {@code not_found} for an id that is not a user's. */
    public NotificationProfile profile(String userId, ProfileRequest request) {
        if (!Text.isId(userId)) {
            throw new ServiceException(ErrorCode.NOT_FOUND, "User not found");
        }
        ProfileInputs inputs = inputs(List.of(userId)).get(userId);
        if (inputs == null) {
            throw new ServiceException(ErrorCode.NOT_FOUND, "User not found");
        }
        return NotificationProfile.of(inputs, request, clock);
    }

    /**
     * What the profile of one user is judged from (the cached inputs when there are), for a reader that needs them
     * unjudged; empty for an id that is no user's.
     */
    public Optional<ProfileInputs> inputsOf(String userId) {
        return Text.isId(userId) ? Optional.ofNullable(inputs(List.of(userId)).get(userId)) : Optional.empty();
    }

    /** The answer of a batch: the profiles in the order asked, and the ids that are no user's, also in that order. */
    public record Batch(List<NotificationProfile> profiles, List<String> unknownUserIds) implements JsonWritable {
        @Override
        public Map<String, Object> toJson() {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("profiles", profiles);
            json.put("unknown_user_ids", unknownUserIds);
            return json;
        }
    }

    /** Profiles of distinct, well-formed user ids (the caller validates them), at most {@value #MAX_BATCH}. */
    public Batch profiles(List<String> userIds, ProfileRequest request) {
        if (userIds.size() > MAX_BATCH) {
            throw new IllegalArgumentException("At most " + MAX_BATCH + " profiles per batch");
        }
        Map<String, ProfileInputs> found = inputs(userIds);
        List<NotificationProfile> profiles = new ArrayList<>();
        List<String> unknown = new ArrayList<>();
        for (String userId : userIds) {
            ProfileInputs inputs = found.get(userId);
            if (inputs == null) {
                unknown.add(userId);
            } else {
                profiles.add(NotificationProfile.of(inputs, request, clock));
            }
        }
        return new Batch(profiles, unknown);
    }

    private Map<String, ProfileInputs> inputs(List<String> userIds) {
        if (userIds.isEmpty()) {
            return Map.of();
        }
        String[] keys = userIds.stream().map(CacheKeys::notificationInputs).toArray(String[]::new);
        List<Optional<String>> cached = cache.getAll(keys);
        Map<String, ProfileInputs> inputs = new HashMap<>();
        List<String> misses = new ArrayList<>();
        for (int i = 0; i < userIds.size(); i++) {
            Optional<ProfileInputs> hit = cached.get(i).flatMap(NotificationProfiles::parse);
            if (hit.isPresent()) {
                inputs.put(userIds.get(i), hit.get());
            } else {
                misses.add(userIds.get(i));
            }
        }
        if (!misses.isEmpty()) {
            Instant readStartedAt = clock.instant();
            Map<String, String> entries = new HashMap<>();
            store.findAll(misses).forEach((userId, stored) -> {
                ProfileInputs read = stored.withZoneOffsetAround(readStartedAt);
                entries.put(CacheKeys.notificationInputs(userId), Json.write(read));
                inputs.put(userId, read);
            });
            cache.fillAll(entries, INPUTS_TTL, readStartedAt);
        }
        return inputs;
    }

    /** A cached entry of another layout (an older release) reads as a miss and is replaced. */
    private static Optional<ProfileInputs> parse(String cached) {
        try {
            return Optional.of(ProfileInputs.fromJson(Json.parseObject(cached)));
        } catch (RuntimeException e) {
            Log.warn("unreadable cached notification inputs", Map.of("error_type", e.getClass().getSimpleName()));
            return Optional.empty();
        }
    }
}
