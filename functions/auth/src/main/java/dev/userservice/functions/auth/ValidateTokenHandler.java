package dev.userservice.functions.auth;

import dev.userservice.Services;
import dev.userservice.errors.ErrorCode;
import dev.userservice.errors.ServiceException;
import dev.userservice.http.Access;
import dev.userservice.http.HttpFunction;
import dev.userservice.http.HttpRequest;
import dev.userservice.http.Reply;
import dev.userservice.sessions.IntrospectionRequest;
import dev.userservice.sessions.TokenService;
import java.util.Map;

/**
 * {@code GET /api/v1/auth/validate-token} (and the earlier {@code GET /api/v1/users/validate-token}): whether the
 * bearer token this request carries is active, and whose it is. Unlike introspection, where a service asks about
 * another token, the caller asks about its own, so the route is public: a token that fails verification, belongs to
 * a revoked session or a disabled account answers 200 {@code {active: false}}, and only a request with no bearer
 * token at all is 401.
 * <pre>
 * curl localhost:3000/api/v1/auth/validate-token -H "Authorization: Bearer $ACCESS_TOKEN"
 * </pre>
 */
public final class ValidateTokenHandler extends HttpFunction {
    private final TokenService tokens;

    public ValidateTokenHandler() {
        this(System.getenv());
    }

    public ValidateTokenHandler(Map<String, String> environment) {
        this(Services.of(environment));
    }

    ValidateTokenHandler(Services services) {
        super(Access.PUBLIC, services.httpRuntime());
        this.tokens = services.tokenService();
    }

    @Override
    protected Reply handle(HttpRequest request) {
        String token = request.bearerToken().orElseThrow(() -> new ServiceException(ErrorCode.UNAUTHORIZED));
        return Reply.ok("Token validated", tokens.introspect(new IntrospectionRequest(token))).notCached();
    }
}
