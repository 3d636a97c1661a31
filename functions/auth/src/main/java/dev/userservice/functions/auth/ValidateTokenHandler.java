package dev.userservice.functions.auth;

import dev.userservice.Services;
import dev.userservice.errors.ErrorCode;
import dev.userservice.errors.ServiceException;
import dev.userservice.http.Access;
import dev.userservice.http.HttpFunction;
import dev.userservice.http.HttpRequest;
import dev.userservice.http.Reply;
import dev.userservice.sessions.Introspection;
import dev.userservice.sessions.IntrospectionRequest;
import dev.userservice.sessions.TokenService;
import java.util.Map;

/**
 * {@code GET /api/v1/auth/validate-token} (and the earlier {@code GET /api/v1/users/validate-token}): whether the
 * bearer token this request carries is active, and whose it is. Unlike introspection, where a service asks about
 * another token, the caller asks about its own, so the route is public: a token that fails verification, belongs to
 * a revoked session or a disabled account answers 200 {@code {active: false}}, and only a request with no bearer
 * token at all is 401. On the earlier path such a token is 401 too: that service's route sat behind its token
 * check, so its callers took any 2xx for a valid token.
 * <pre>
 * curl localhost:3000/api/v1/auth/validate-token -H "Authorization: Bearer $ACCESS_TOKEN"
 * </pre>
 */
public final class ValidateTokenHandler extends HttpFunction {
    private static final String EARLIER_ROUTE = "GET /api/v1/users/validate-token";

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
        Introspection judged = tokens.introspect(new IntrospectionRequest(token));
        if (!judged.isActive() && request.routeKey().equals(EARLIER_ROUTE)) {
            throw new ServiceException(ErrorCode.UNAUTHORIZED, "The token is not valid: malformed, expired or revoked");
        }
        return Reply.ok("Token validated", judged).notCached();
    }
}
