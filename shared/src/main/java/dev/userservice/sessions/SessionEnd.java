package dev.userservice.sessions;

import java.util.Locale;

/**
 * Why a session ended, as its history tells it. The first ten are recorded with the revocation, in the same write;
 * the two expiries are recognised on read, since nothing writes when a session runs out.
 */
public enum SessionEnd {
    /** The user signed out of this session. */
    LOGOUT,
    /** The user signed out of every session. */
    LOGOUT_ALL,
    /** The user ended this session from another ({@code DELETE /auth/sessions/{id}}). */
    REVOKED,
    /** The user changed the password in another session. */
    PASSWORD_CHANGED,
    /** A password reset ended every session. */
    PASSWORD_RESET,
    /** A retired refresh token was presented again: the token was copied. */
    REFRESH_REUSE,
    /** Unused for longer than the idle timeout. */
    EXPIRED_IDLE,
    /** Reached the sessions' maximum lifetime. */
    EXPIRED_ABSOLUTE,
    /** An administrator ended it, disabled the account or took its access away. */
    ADMIN,
    /** A sign-in beyond the live-session limit ended the oldest session. */
    SESSION_LIMIT;

    /** The code clients read, {@code password_changed}. */
    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The reason of a stored code; an item revoked before reasons were recorded reads as {@link #REVOKED}. */
    public static SessionEnd ofCode(String code) {
        if (code == null) {
            return REVOKED;
        }
        try {
            return valueOf(code.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            // A reason an earlier version stored and this one no longer writes (account_deleted).
            return REVOKED;
        }
    }
}
