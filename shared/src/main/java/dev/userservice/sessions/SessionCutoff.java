package dev.userservice.sessions;

import java.time.Instant;

/**
 * The sessions a password reset or change ended, stored on the account in the write that replaced the password, so
 * they are over even if the function died before revoking them one by one: every session begun before {@code at},
 * but {@code kept}, the session that changed the password (null after a reset, which keeps none).
 */
public record SessionCutoff(Instant at, String kept) {

    public boolean ended(String sessionId, Instant sessionCreatedAt) {
        return sessionCreatedAt.isBefore(at) && !sessionId.equals(kept);
    }
}
