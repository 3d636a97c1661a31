package dev.userservice.functions.auth;

import dev.userservice.Services;
import dev.userservice.http.Access;
import dev.userservice.http.HttpFunction;
import dev.userservice.http.HttpRequest;
import dev.userservice.http.Reply;
import dev.userservice.sessions.AuthService;
import dev.userservice.sessions.LogoutRequest;
import java.util.Map;

/**
 * {@code POST /api/v1/auth/logout}: revokes the caller's session; its tokens stop working at once.
 * <pre>
 * curl -X POST localhost:3000/api/v1/auth/logout -H "Authorization: Bearer $ACCESS_TOKEN"
 * </pre>
 */
public final class LogoutHandler extends HttpFunction {
    private final AuthService auth;

    public LogoutHandler() {
        this(System.getenv());
    }

    public LogoutHandler(Map<String, String> environment) {
        this(Services.of(environment));
    }

    LogoutHandler(Services services) {
        super(Access.USER, services.httpRuntime());
        this.auth = services.authService();
    }

    @Override
    protected Reply handle(HttpRequest request) {
        if (request.hasBody()) {
            // Only the refresh token Simple JWT clients send along; anything else is a mistake worth reporting.
            LogoutRequest.read(request.jsonObject());
        }
        auth.logout(request.principal());
        return Reply.ok("Signed out", null);
    }
}
