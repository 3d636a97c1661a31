package dev.userservice.cache;

/**
 * The cache keys of a user's views, in one place: every write that changes a user, their preferences, their
 * devices or their sessions forgets all of them at once ({@link #ofUser}), so no reader sees an old version.
 */
public final class CacheKeys {
    private CacheKeys() {}

    /** The public view of the account (1 hour). */
    public static String user(String userId) {
        return "user:" + userId;
    }

    /** The notification preferences (24 hours). */
    public static String preferences(String userId) {
        return "preferences:" + userId;
    }

    /** What a notification profile is computed from; quiet hours are computed on every read, never cached. */
    public static String notificationInputs(String userId) {
        return "profile:" + userId;
    }

    /** Every cached view of the user. */
    public static String[] ofUser(String userId) {
        return new String[] {user(userId), preferences(userId), notificationInputs(userId)};
    }
}
