package dev.userservice.functions.auth;

import dev.userservice.Services;
import dev.userservice.accounts.PasswordFlows;
import dev.userservice.accounts.PasswordResetRequest;
import dev.userservice.http.Access;
import dev.userservice.http.HttpFunction;
import dev.userservice.http.HttpRequest;
import dev.userservice.http.Reply;
import dev.userservice.sessions.Client;
import java.util.Map;

/**
 * {@code POST /api/v1/auth/password-reset/request}: {@code {email}}. Always 202 with the same body, taking about the
 * same time, whether or not the email is registered; for an active account it emits
 * {@code user.password_reset_requested} with a token valid for one hour. Limited to 3 requests an hour per email,
 * registered or not, and 20 an hour per client IP (429 {@code rate_limited} with {@code Retry-After}).
 * <pre>
 * curl -X POST localhost:3000/api/v1/auth/password-reset/request -H 'Content-Type: application/json' \
 *   -d '{"email":"alice@example.com"}'
 * </pre>
 */
public final class RequestPasswordResetHandler extends HttpFunction {
    private final PasswordFlows passwords;

    public RequestPasswordResetHandler() {
        this(System.getenv());
    }

    public RequestPasswordResetHandler(Map<String, String> environment) {
        this(Services.of(environment));
    }

    RequestPasswordResetHandler(Services services) {
        super(Access.PUBLIC, services.httpRuntime());
        this.passwords = services.passwordFlows();
    }

    @Override
    protected Reply handle(HttpRequest request) {
        passwords.requestReset(PasswordResetRequest.read(request.jsonObject()), new Client(request.sourceIp(), request.userAgent()));
        return Reply.accepted("If the email is registered, a password reset link is on its way");
    }

    /** Run again, a retry would mail another token and count against the limit; the answer holds no token. */
    @Override
    protected boolean replaysRetries() {
        return true;
    }
}
