package dev.userservice.functions.auth;

import dev.userservice.Services;
import dev.userservice.http.Access;
import dev.userservice.http.HttpFunction;
import dev.userservice.http.HttpRequest;
import dev.userservice.http.Reply;
import dev.userservice.sessions.AuthService;
import dev.userservice.sessions.RefreshRequest;
import java.util.Map;

/**
 * {@code POST /api/v1/auth/refresh}: trades a refresh token for a new pair; the old refresh token is retired.
 * <pre>
 * curl -X POST localhost:3000/api/v1/auth/refresh -H 'Content-Type: application/json' -d '{"refresh_token":"..."}'
 * </pre>
 */
public final class RefreshHandler extends HttpFunction {
    private final AuthService auth;

    public RefreshHandler() {
        this(System.getenv());
    }

    public RefreshHandler(Map<String, String> environment) {
        this(Services.of(environment));
    }

    RefreshHandler(Services services) {
        super(Access.PUBLIC, services.httpRuntime());
        this.auth = services.authService();
    }

    @Override
    protected Reply handle(HttpRequest request) {
        Reply tokens = Reply.ok("Tokens refreshed", auth.refresh(RefreshRequest.read(request.jsonObject()))).notCached();
        return SimpleJwtRoutes.answer(request, tokens);
    }
}
