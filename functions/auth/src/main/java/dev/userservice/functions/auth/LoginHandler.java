package dev.userservice.functions.auth;

import dev.userservice.Services;
import dev.userservice.http.Access;
import dev.userservice.http.HttpFunction;
import dev.userservice.http.HttpRequest;
import dev.userservice.http.Reply;
import dev.userservice.sessions.AuthService;
import dev.userservice.sessions.Client;
import dev.userservice.sessions.LoginRequest;
import java.util.Map;

/**
 * {@code POST /api/v1/auth/login} (and {@code POST /api/v1/users/login}): starts a session.
 * <pre>
 * curl -X POST localhost:3000/api/v1/auth/login -H 'Content-Type: application/json' \
 *   -d '{"email":"alice@example.com","password":"lilac tractor honey window","device_name":"laptop"}'
 * </pre>
 */
public final class LoginHandler extends HttpFunction {
    private final AuthService auth;

    public LoginHandler() {
        this(System.getenv());
    }

    public LoginHandler(Map<String, String> environment) {
        this(Services.of(environment));
    }

    LoginHandler(Services services) {
        super(Access.PUBLIC, services.httpRuntime());
        this.auth = services.authService();
    }

    @Override
    protected Reply handle(HttpRequest request) {
        Client client = new Client(request.sourceIp(), request.userAgent());
        Reply tokens = Reply.ok("Signed in", auth.login(LoginRequest.read(request.jsonObject()), client)).notCached();
        return SimpleJwtRoutes.answer(request, tokens);
    }
}
