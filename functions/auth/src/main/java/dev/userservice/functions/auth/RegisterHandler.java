package dev.userservice.functions.auth;

import dev.userservice.Services;
import dev.userservice.http.Access;
import dev.userservice.http.HttpFunction;
import dev.userservice.http.HttpRequest;
import dev.userservice.http.Reply;
import dev.userservice.sessions.AuthService;
import dev.userservice.sessions.Client;
import java.util.Map;

/**
 * {@code POST /api/v1/auth/register} (and {@code POST /api/v1/users}): creates an account and signs it in.
 * <pre>
 * curl -X POST localhost:3000/api/v1/auth/register -H 'Content-Type: application/json' \
 *   -d '{"email":"alice@example.com","password":"lilac tractor honey window","name":"Alice"}'
 * </pre>
 */
public final class RegisterHandler extends HttpFunction {
    private final AuthService auth;

    public RegisterHandler() {
        this(System.getenv());
    }

    public RegisterHandler(Map<String, String> environment) {
        this(Services.of(environment));
    }

    RegisterHandler(Services services) {
        super(Access.PUBLIC, services.httpRuntime());
        this.auth = services.authService();
    }

    @Override
    protected Reply handle(HttpRequest request) {
        return Reply.created("User registered", auth.register(request.jsonObject(), Client.of(request))).notCached();
    }
}
