package dev.userservice.functions.auth;

import dev.userservice.Services;
import dev.userservice.http.Access;
import dev.userservice.http.HttpFunction;
import dev.userservice.http.HttpRequest;
import dev.userservice.http.Reply;
import dev.userservice.sessions.SessionService;
import java.util.Map;

/**
 * {@code DELETE /api/v1/auth/sessions/{session_id}} (the caller's) and
 * {@code DELETE /api/v1/users/{id}/sessions/{session_id}} (that user, an admin or a service; recorded as ended by
 * {@code admin}): ends one session; its refresh token stops working and its access tokens are refused at once.
 * Another user's session, an ended or unknown one answer 404 {@code not_found}. Ending the current session is a
 * sign-out.
 * <pre>
 * curl -X DELETE localhost:3000/api/v1/auth/sessions/$SESSION_ID -H "Authorization: Bearer $ACCESS_TOKEN"
 * </pre>
 */
public final class RevokeSessionHandler extends HttpFunction {
    private final SessionService sessions;

    public RevokeSessionHandler() {
        this(System.getenv());
    }

    public RevokeSessionHandler(Map<String, String> environment) {
        this(Services.of(environment));
    }

    RevokeSessionHandler(Services services) {
        super(Access.SELF, services.httpRuntime());
        this.sessions = services.sessionService();
    }

    @Override
    protected Reply handle(HttpRequest request) {
        request.requireNoFields();
        sessions.revoke(request.principal(), request.targetUserId(), request.pathParameter("session_id"));
        return Reply.ok("Session revoked", null);
    }
}
