package dev.userservice.cache;

import java.util.Map;
import java.util.Optional;

/**
 * Every cache key, in one place. Keys that are read or forgotten together share a Redis hash tag (the part in
 * braces), so multi-key commands on them stay in one hash slot, as a cluster (ElastiCache Serverless) requires:
 * a user's views share {@code {userId}}, a session's markers {@code {sessionId}}. Every write that changes a user,
 * their preferences, their devices or their sessions forgets all of the user's views at once ({@link #ofUser}), and
 * the table's stream consumer forgets them again in case that write could not ({@code CachedViewSources}).
 */
public final class CacheKeys {
    private static final String USER = "user:";
    private static final String PREFERENCES = "preferences:";
    private static final String NOTIFICATION_INPUTS = "profile:";
    private static final String DEVICES = "devices:";
    /** The name of each view in metrics, by its key's prefix. */
    private static final Map<String, String> VIEW_NAMES = Map.of(
            USER, "user", PREFERENCES, "preferences", NOTIFICATION_INPUTS, "notification_inputs", DEVICES, "devices");

    private CacheKeys() {}

    /** Which of a user's views a key holds ("user", "preferences", "notification_inputs", "devices"), for metrics. */
    public static Optional<String> viewName(String key) {
        return VIEW_NAMES.entrySet().stream().filter(view -> key.startsWith(view.getKey())).map(Map.Entry::getValue).findFirst();
    }

    /** The public view of the account (1 hour). */
    public static String user(String userId) {
        return USER + "{" + userId + "}";
    }

    /** The notification preferences (24 hours). */
    public static String preferences(String userId) {
        return PREFERENCES + "{" + userId + "}";
    }

    /** What a notification profile is computed from; quiet hours are computed on every read, never cached. */
    public static String notificationInputs(String userId) {
        return NOTIFICATION_INPUTS + "{" + userId + "}";
    }

    /** The user's devices as clients list them, active or not (1 hour). */
    public static String devices(String userId) {
        return DEVICES + "{" + userId + "}";
    }

    /** The signing keys' public half as the key-set authority signed it (a refresh interval of the keys). */
    public static String publishedKeySet() {
        return "keys:published";
    }

    /**
     * The marker that the user's session was revoked: it wins over {@link #sessionActive}. Both name the user as well
     * as the session, as the table's item does, so a marker says nothing of a token that pairs the session's id with
     * another user (only a token signed with a leaked key could), and such a token plants no marker on the session.
     */
    public static String sessionRevoked(String userId, String sessionId) {
        return "session:{" + sessionId + "}:" + userId + ":revoked";
    }

    /** The marker that the user's session was alive a moment ago. */
    public static String sessionActive(String userId, String sessionId) {
        return "session:{" + sessionId + "}:" + userId + ":active";
    }

    /** Every cached view of the user. */
    public static String[] ofUser(String userId) {
        return new String[] {user(userId), preferences(userId), notificationInputs(userId), devices(userId)};
    }
}
