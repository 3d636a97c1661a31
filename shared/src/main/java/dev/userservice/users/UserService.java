package dev.userservice.users;

import dev.userservice.cache.Cache;
import dev.userservice.cache.CacheAside;
import dev.userservice.cache.CacheKeys;
import dev.userservice.errors.ErrorCode;
import dev.userservice.errors.ServiceException;
import dev.userservice.json.Json;
import dev.userservice.validation.Text;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

/** Reading accounts as clients see them, cache-aside: the cache holds the public view, never the password hash. */
public final class UserService {
    public static final Duration CACHE_TTL = Duration.ofHours(1);

    private final UserStore users;
    private final Cache cache;
    private final CacheAside<Map<String, Object>> views;

    public UserService(UserStore users, Cache cache, Clock clock) {
        this.users = users;
        this.cache = cache;
        this.views = new CacheAside<>(cache, clock, CACHE_TTL, Json::parseObject, Json::write);
    }

    /** The user's public representation; 404 {@code not_found} when the account no longer exists. */
    public Map<String, Object> view(String userId) {
        if (!Text.isId(userId)) {
            // Nothing else can exist, and a made-up id of any length never reaches the table or the cache.
            throw new ServiceException(ErrorCode.NOT_FOUND, "User not found");
        }
        return views.read(CacheKeys.user(userId), () -> users.findById(userId)
                .orElseThrow(() -> new ServiceException(ErrorCode.NOT_FOUND, "User not found")).toJson());
    }

    /**
     * Every write that changes an account calls this, so no reader sees the old version for up to an hour; false when
     * the cache could not be reached (see {@link Cache#delete}).
     */
    public boolean forget(String userId) {
        return cache.delete(CacheKeys.ofUser(userId));
    }
}
