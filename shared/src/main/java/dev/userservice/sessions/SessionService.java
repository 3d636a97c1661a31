package dev.userservice.sessions;

import dev.userservice.auth.Principal;
import dev.userservice.errors.ErrorCode;
import dev.userservice.errors.ServiceException;
import dev.userservice.validation.Text;
import java.time.Clock;
import java.time.Duration;
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

    /** The caller's live sessions, newest first, the one the caller's token belongs to marked {@code current}. */
    public List<SessionView> list(Principal caller) {
        return sessions.listActive(caller.subject(), clock.instant(), idleTimeout).stream()
                .map(session -> new SessionView(session, session.id().equals(caller.sessionId())))
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
        guard.revoke(caller.subject(), sessionId);
    }

    /** Ends every session of the caller, the current one included. */
    public void revokeAll(Principal caller) {
        guard.revokeAll(caller.subject(), Optional.empty());
    }
}
