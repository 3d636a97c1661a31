package dev.userservice.functions.auth;

import dev.userservice.Services;
import dev.userservice.http.Access;
import dev.userservice.http.HttpFunction;
import dev.userservice.http.HttpRequest;
import dev.userservice.http.Reply;
import dev.userservice.sessions.ClientCredentials;
import dev.userservice.sessions.TokenService;
import java.util.Map;

/**
 * {@code POST /api/v1/auth/token}: the client-credentials grant; a registered service gets a service token.
 * <pre>
 * curl -X POST localhost:3000/api/v1/auth/token -H 'Content-Type: application/json' \
 *   -d '{"grant_type":"client_credentials","client_id":"local-dev","client_secret":"..."}'
 * </pre>
 */
public final class ServiceTokenHandler extends HttpFunction {
    private final TokenService tokens;

    public ServiceTokenHandler() {
        this(System.getenv());
    }

    public ServiceTokenHandler(Map<String, String> environment) {
        this(Services.of(environment));
    }

    ServiceTokenHandler(Services services) {
        super(Access.PUBLIC, services.httpRuntime());
        this.tokens = services.tokenService();
    }

    @Override
    protected Reply handle(HttpRequest request) {
        return Reply.ok("Service token issued", tokens.grant(ClientCredentials.read(request.jsonObject()))).notCached();
    }
}
