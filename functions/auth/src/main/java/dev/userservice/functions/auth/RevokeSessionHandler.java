package dev.userservice.functions.auth;

import dev.userservice.Services;
import dev.userservice.http.Access;
import dev.userservice.http.HttpFunction;
import dev.userservice.http.HttpRequest;
import dev.userservice.http.Reply;
import dev.userservice.sessions.SessionService;
import java.util.Map;

/**
 * {@code DELETE /api/v1/auth/sessions/{session_id}}: ends one of the caller's sessions; its refresh token stops
 * working and its access tokens are refused at once. Another user's session, an ended or unknown one answer 404
 * {@code not_found}. Ending the current session is a sign-out.
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
        super(Access.USER, services.httpRuntime());
        this.sessions = services.sessionService();
    }

    @Override
    protected Reply handle(HttpRequest request) {
        sessions.revoke(request.principal(), request.pathParameter("session_id"));
        return Reply.ok("Session revoked", null);
    }
}
