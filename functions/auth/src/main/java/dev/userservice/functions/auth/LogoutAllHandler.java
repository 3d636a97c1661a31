package dev.userservice.functions.auth;

import dev.userservice.Services;
import dev.userservice.http.Access;
import dev.userservice.http.HttpFunction;
import dev.userservice.http.HttpRequest;
import dev.userservice.http.Reply;
import dev.userservice.sessions.SessionService;
import dev.userservice.validation.Fields;
import java.util.Map;

/**
 * {@code POST /api/v1/auth/logout-all}: ends every session of the caller, the current one included, on every device.
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
        super(Access.USER, services.httpRuntime());
        this.sessions = services.sessionService();
    }

    @Override
    protected Reply handle(HttpRequest request) {
        // No fields are defined: a body, if any, must be an empty object; anything in it is reported, not ignored.
        Fields.of(request.hasBody() ? request.jsonObject() : Map.of()).validate();
        sessions.revokeAll(request.principal());
        return Reply.ok("Signed out of every session", null);
    }
}
