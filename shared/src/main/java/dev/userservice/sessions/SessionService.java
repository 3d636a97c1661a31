package dev.userservice.sessions;

import dev.userservice.auth.Principal;
import dev.userservice.errors.ErrorCode;
import dev.userservice.errors.ServiceException;
import dev.userservice.validation.Text;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The sessions of one user as the user sees them, or as an admin (or a service) does on the user's behalf: listing
 * them, and ending one or all of them. An end asked for by someone else than the user is recorded as
 * {@link SessionEnd#ADMIN}.
 */
public final class SessionService {

    private final SessionStore sessions;
    private final SessionGuard guard;
    private final Duration idleTimeout;
    private final Clock clock;
    private final Consumer<String> requireUser;

    /** {@code requireUser} throws the not-found error of a user who does not exist, as reading the user would. */
    public SessionService(SessionStore sessions, SessionGuard guard, Duration idleTimeout, Clock clock, Consumer<String> requireUser) {
        this.sessions = sessions;
        this.guard = guard;
        this.idleTimeout = idleTimeout;
        this.clock = clock;
        this.requireUser = requireUser;
    }

    /**
     * The user's sessions in {@code state}, newest first, the one the caller's token belongs to marked
     * {@code current}: the live ones, the ended ones of the last {@link Session#HISTORY_RETENTION} with when and why
     * they ended (an expiry is recognised here, as nothing writes when a session runs out), or both. 404 for a user
     * who does not exist.
     */
    public List<SessionView> list(Principal caller, String userId, SessionState state) {
        requireUnlessCaller(caller, userId);
        Instant now = clock.instant();
        return sessions.listHistory(userId, state == SessionState.ACTIVE).stream()
                .map(session -> new SessionView(session, session.id().equals(caller.sessionId()),
                        session.ending(now, idleTimeout)))
                .filter(view -> view.ending().map(ending -> state != SessionState.ACTIVE
                                && now.isBefore(Session.retainedAfterEndingAt(ending.at())))
                        .orElse(state != SessionState.ENDED))
                .toList();
    }

    /**
     * Ends one of the user's sessions (the caller's current one too, which is a sign-out). Another user's session,
     * an ended one, an unknown or a malformed id all answer 404 alike, so ids of other users' sessions cannot be
     * probed.
     */
    public void revoke(Principal caller, String userId, String sessionId) {
        // Live as every check judges it: one a password change, reset or disable ended is ended, though its own
        // revocation, which follows that write, has not come (or failed); revoking it would restate its end.
        boolean liveSession = Text.isId(sessionId) && sessions.findLive(userId, sessionId, clock.instant(), idleTimeout).isPresent();
        if (!liveSession) {
            throw new ServiceException(ErrorCode.NOT_FOUND, "Session not found");
        }
        guard.revoke(userId, sessionId, caller.isSignedInAs(userId) ? SessionEnd.REVOKED : SessionEnd.ADMIN);
    }

    /** Ends every session of the user, the caller's current one included; 404 for a user who does not exist. */
    public void revokeAll(Principal caller, String userId) {
        requireUnlessCaller(caller, userId);
        guard.revokeAll(userId, Optional.empty(), caller.isSignedInAs(userId) ? SessionEnd.LOGOUT_ALL : SessionEnd.ADMIN);
    }

    /** The caller's own account exists (its token was just checked); anyone else's is read to find out. */
    private void requireUnlessCaller(Principal caller, String userId) {
        if (!caller.isSignedInAs(userId)) {
            requireUser.accept(userId);
        }
    }
}
