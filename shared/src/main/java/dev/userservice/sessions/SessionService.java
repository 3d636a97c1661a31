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

/** A signed-in user's view of their own sessions: listing them, and ending one or all of them. */
public final class SessionService {

    private final SessionStore sessions;
    private final SessionGuard guard;
    private final Duration idleTimeout;
    private final Clock clock;

    public SessionService(SessionStore sessions, SessionGuard guard, Duration idleTimeout, Clock clock) {
        this.sessions = sessions;
        this.guard = guard;
        this.idleTimeout = idleTimeout;
        this.clock = clock;
    }

    /**
     * The caller's sessions in {@code state}, newest first, the one the caller's token belongs to marked
     * {@code current}: the live ones, the ended ones of the last {@link Session#HISTORY_RETENTION} with when and why
     * they ended (an expiry is recognised here, as nothing writes when a session runs out), or both.
     */
    public List<SessionView> list(Principal caller, SessionState state) {
        Instant now = clock.instant();
        return sessions.listAll(caller.subject()).stream()
                .map(session -> new SessionView(session, session.id().equals(caller.sessionId()),
                        session.ending(now, idleTimeout)))
                .filter(view -> view.ending().map(ending -> state != SessionState.ACTIVE
                                && now.isBefore(Session.retainedAfterEndingAt(ending.at())))
                        .orElse(state != SessionState.ENDED))
                .toList();
    }

    /**
     * Ends one of the caller's sessions (the current one too, which is a sign-out). Another user's session, an
     * ended one, an unknown or a malformed id all answer 404 alike, so ids of other users' sessions cannot be probed.
     */
    public void revoke(Principal caller, String sessionId) {
        boolean ownLiveSession = Text.isId(sessionId)
                && sessions.find(caller.subject(), sessionId, true)
                        .filter(session -> session.isActive(clock.instant(), idleTimeout))
                        .isPresent();
        if (!ownLiveSession) {
            throw new ServiceException(ErrorCode.NOT_FOUND, "Session not found");
        }
        guard.revoke(caller.subject(), sessionId, SessionEnd.REVOKED);
    }

    /** Ends every session of the caller, the current one included. */
    public void revokeAll(Principal caller) {
        guard.revokeAll(caller.subject(), Optional.empty(), SessionEnd.LOGOUT_ALL);
    }
}
