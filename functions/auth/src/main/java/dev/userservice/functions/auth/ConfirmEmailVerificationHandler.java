package dev.userservice.functions.auth;

import dev.userservice.Services;
import dev.userservice.accounts.EmailVerification;
import dev.userservice.accounts.VerificationConfirmation;
import dev.userservice.http.Access;
import dev.userservice.http.HttpFunction;
import dev.userservice.http.HttpRequest;
import dev.userservice.http.Reply;
import java.util.Map;

/**
 * {@code POST /api/v1/auth/verify-email/confirm}: {@code {token}}. Marks the email verified; the token works once,
 * within 24 hours, and only while the account still has the address it was sent to (else 401 {@code invalid_token}).
 * Access tokens carry {@code email_verified} as of their issue: the next refresh brings the new value.
 * <pre>
 * curl -X POST localhost:3000/api/v1/auth/verify-email/confirm -H 'Content-Type: application/json' \
 *   -d '{"token":"'$VERIFICATION_TOKEN'"}'
 * </pre>
 */
public final class ConfirmEmailVerificationHandler extends HttpFunction {
    private final EmailVerification verification;

    public ConfirmEmailVerificationHandler() {
        this(System.getenv());
    }

    public ConfirmEmailVerificationHandler(Map<String, String> environment) {
        this(Services.of(environment));
    }

    ConfirmEmailVerificationHandler(Services services) {
        super(Access.PUBLIC, services.httpRuntime());
        this.verification = services.emailVerification();
    }

    @Override
    protected Reply handle(HttpRequest request) {
        verification.confirm(VerificationConfirmation.read(request.jsonObject()));
        return Reply.ok("Email verified", null);
    }

    /** Run again, a retry would find its token used and answer 401; the answer holds no credential. */
    @Override
    protected boolean replaysRetries() {
        return true;
    }
}
