package dev.userservice.functions.auth;

import dev.userservice.Services;
import dev.userservice.http.Access;
import dev.userservice.http.HttpFunction;
import dev.userservice.http.HttpRequest;
import dev.userservice.http.Reply;
import dev.userservice.sessions.IntrospectionRequest;
import dev.userservice.sessions.TokenService;
import java.util.Map;

/**
 * {@code POST /api/v1/auth/introspect} (services only): whether a user's token is still active, seeing revoked
 * sessions and disabled accounts that an offline JWKS check cannot.
 * <pre>
 * curl -X POST localhost:3000/api/v1/auth/introspect -H "Authorization: Bearer $SERVICE_TOKEN" \
 *   -H 'Content-Type: application/json' -d "{\"token\":\"$USER_ACCESS_TOKEN\"}"
 * </pre>
 */
public final class IntrospectHandler extends HttpFunction {
    private final TokenService tokens;

    public IntrospectHandler() {
        this(System.getenv());
    }

    public IntrospectHandler(Map<String, String> environment) {
        this(Services.of(environment));
    }

    IntrospectHandler(Services services) {
        super(Access.SERVICE, services.httpRuntime());
        this.tokens = services.tokenService();
    }

    @Override
    protected Reply handle(HttpRequest request) {
        return Reply.ok("Token introspected", tokens.introspect(IntrospectionRequest.read(request.jsonObject()))).notCached();
    }
}
