package dev.userservice.functions.auth;

import dev.userservice.Services;
import dev.userservice.http.Access;
import dev.userservice.http.HttpFunction;
import dev.userservice.http.HttpRequest;
import dev.userservice.http.PageRequest;
import dev.userservice.http.Reply;
import dev.userservice.sessions.SessionService;
import dev.userservice.sessions.SessionState;
import java.util.Map;

/**
 * {@code GET /api/v1/auth/sessions} (the caller's) and {@code GET /api/v1/users/{id}/sessions} (that user, an admin
 * or a service; 404 for an unknown user): the live sessions ({@code ?state=active}, the default), ended ones of
 * the last 30 days ({@code ?state=ended}) or both ({@code ?state=all}; the default of the earlier service's
 * {@code GET /api/v1/users/sessions}, its session history), newest first, page-paged
 * ({@code ?page=} from 1, {@code ?limit=} 1 to 100, default 20). Each is
 * {@code {id, device_name, user_agent, ip, created_at, last_used_at, current}}, with {@code ended_at} and
 * {@code end_reason} for an ended one; {@code current} marks the session of the token making the request.
 * <pre>
 * curl "localhost:3000/api/v1/auth/sessions?state=ended&amp;page=1&amp;limit=20" -H "Authorization: Bearer $ACCESS_TOKEN"
 * </pre>
 */
public final class ListSessionsHandler extends HttpFunction {
    private final SessionService sessions;

    public ListSessionsHandler() {
        this(System.getenv());
    }

    public ListSessionsHandler(Map<String, String> environment) {
        this(Services.of(environment));
    }

    ListSessionsHandler(Services services) {
        super(Access.SELF, services.httpRuntime());
        this.sessions = services.sessionService();
    }

    @Override
    protected Reply handle(HttpRequest request) {
        PageRequest page = PageRequest.of(request);
        SessionState state = SessionState.fromRequest(request.routeKey(), request.query());
        return page.reply(state == SessionState.ACTIVE ? "Active sessions" : "Sessions", sessions.list(request.principal(), request.targetUserId(), state));
    }
}
