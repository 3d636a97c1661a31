package dev.userservice.functions.auth;

import dev.userservice.Services;
import dev.userservice.errors.ErrorCode;
import dev.userservice.errors.ServiceException;
import dev.userservice.http.Access;
import dev.userservice.http.HttpFunction;
import dev.userservice.http.HttpRequest;
import dev.userservice.http.Reply;
import dev.userservice.sessions.AuthService;
import dev.userservice.sessions.LogoutRequest;
import java.util.Map;
import java.util.Optional;

/**
 * {@code POST /api/v1/auth/logout}: revokes the caller's session; its tokens stop working at once, and so does the
 * caller's other session the body's {@code refresh_token} (Simple JWT's {@code refresh}) names, if any. Without an
 * access token the service still accepts, the session that refresh token names.
 * <pre>
 * curl -X POST localhost:3000/api/v1/auth/logout -H "Authorization: Bearer $ACCESS_TOKEN"
 * curl -X POST localhost:3000/api/v1/auth/logout -H 'Content-Type: application/json' -d "{\"refresh_token\":\"$REFRESH_TOKEN\"}"
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
        super(Access.USER_OR_REFRESH_TOKEN, services.httpRuntime());
        this.auth = services.authService();
    }

    @Override
    protected Reply handle(HttpRequest request) {
        // Only the refresh token Simple JWT clients send along; anything else is a mistake worth reporting.
        Optional<String> refreshToken = request.hasBody() ? LogoutRequest.read(request.jsonObject()).refreshToken() : Optional.empty();
        if (request.principal() != null) {
            auth.logout(request.principal(), refreshToken);
        } else {
            auth.logout(refreshToken.orElseThrow(() -> new ServiceException(ErrorCode.UNAUTHORIZED,
                    "Sign out with an access token that is still valid, or with the session's refresh_token in the body")));
        }
        return Reply.ok("Signed out", null);
    }
}
