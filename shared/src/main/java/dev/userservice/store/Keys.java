package dev.userservice.store;

/**
 * The single table's key layout, in one place. Items of a user share the partition {@code USER#<id>}; the
 * lookups by something other than the user id (email, refresh token) have items of their own.
 */
public final class Keys {
    public static final String PROFILE = "PROFILE";
    public static final String PREFERENCES = "PREFERENCES";
    public static final String SESSION_PREFIX = "SESSION#";
    /** The GSI partition listing users by email. */
    public static final String USERS_BY_EMAIL = "USERS";

    private Keys() {}

    public static String user(String userId) {
        return "USER#" + userId;
    }

    public static String email(String email) {
        return "EMAIL#" + email;
    }

    public static String session(String sessionId) {
        return SESSION_PREFIX + sessionId;
    }

    public static String refreshToken(String hash) {
        return "REFRESH#" + hash;
    }

    public static String rateCounter(String key) {
        return "RATE#" + key;
    }

    public static String outbox(String eventId) {
        return "OUTBOX#" + eventId;
    }

    public static String idempotency(String id) {
        return "IDEMPOTENCY#" + id;
    }
}
