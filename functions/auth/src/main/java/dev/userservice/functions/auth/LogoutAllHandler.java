package dev.userservice.functions.auth;

import dev.userservice.Services;
import dev.userservice.http.Access;
import dev.userservice.http.HttpFunction;
import dev.userservice.http.HttpRequest;
import dev.userservice.http.Reply;
import dev.userservice.sessions.SessionService;
import java.util.Map;

/**
 * {@code POST /api/v1/auth/logout-all} (the caller's) and {@code DELETE /api/v1/users/{id}/sessions} (that user, an
 * admin or a service; 404 for an unknown user, recorded as ended by {@code admin}): ends every session, the current
 * one included, on every device.
 * <pre>
 * curl -X POST localhost:3000/api/v1/auth/logout-all -H "Authorization: Bearer $ACCESS_TOKEN"
 * </pre>
 */
public final class LogoutAllHandler extends HttpFunction {
    private final SessionService sessions;

    public LogoutAllHandler() {
        this(System.getenv());
    }

    public LogoutAllHandler(Map<String, String> environment) {
        this(Services.of(environment));
    }

    LogoutAllHandler(Services services) {
        super(Access.SELF, services.httpRuntime());
        this.sessions = services.sessionService();
    }

    @Override
    protected Reply handle(HttpRequest request) {
        request.requireNoFields();
        String userId = request.targetUserId();
        sessions.revokeAll(request.principal(), userId);
        return Reply.ok(request.principal().isSignedInAs(userId) ? "Signed out of every session" : "Every session of the user ended", null);
    }
}
