package dev.userservice.sessions;

import java.time.Instant;
import java.util.Optional;

/**
 * The sessions the last password reset and the last password change ended, stored on the account in the write that
 * replaced the password, so they are over even if the function died before revoking them one by one: every session
 * begun before {@code resetAt}, and every one begun before {@code changedAt} but {@code kept}, the session that
 * changed the password. Either instant may be null (no such event). They are kept apart because a reset ends every
 * session and a change all but one: a version of the service that knows only resets reads only {@code resetAt}.
 */
public record SessionCutoff(Instant resetAt, Instant changedAt, String kept) {

    public static SessionCutoff reset(Instant at) {
        return new SessionCutoff(at, null, null);
    }

    public static SessionCutoff change(Instant at, String keptSessionId) {
        return new SessionCutoff(null, at, keptSessionId);
    }

    /**
     * When and why this cutoff ended {@code session}, if it did: {@code resetReason} is what set {@code resetAt} (a
     * reset, or an account's loss of access); a change always ends for {@link SessionEnd#PASSWORD_CHANGED}.
     */
    public Optional<Session.Ending> ending(Session session, SessionEnd resetReason) {
        if (resetAt != null && session.createdAt().isBefore(resetAt)) {
            return Optional.of(new Session.Ending(resetAt, resetReason));
        }
        return ended(session.id(), session.createdAt())
                ? Optional.of(new Session.Ending(changedAt, SessionEnd.PASSWORD_CHANGED)) : Optional.empty();
    }

    public boolean ended(String sessionId, Instant sessionCreatedAt) {
        return (resetAt != null && sessionCreatedAt.isBefore(resetAt))
                || (changedAt != null && sessionCreatedAt.isBefore(changedAt) && !sessionId.equals(kept));
    }
}
