package dev.userservice.functions.auth;

import dev.userservice.Services;
import dev.userservice.accounts.EmailVerification;
import dev.userservice.http.Access;
import dev.userservice.http.HttpFunction;
import dev.userservice.http.HttpRequest;
import dev.userservice.http.Reply;
import java.util.Map;

/**
 * {@code POST /api/v1/auth/verify-email/request}: mails the caller a verification link. 202 when a token (valid 24
 * hours, bound to the current email) was stored together with the {@code user.email_verification_requested} event
 * that carries it; 200 with {@code "Email is already verified"} and no token or event when there is nothing to verify.
 * <pre>
 * curl -X POST localhost:3000/api/v1/auth/verify-email/request -H "Authorization: Bearer $ACCESS_TOKEN"
 * </pre>
 */
public final class RequestEmailVerificationHandler extends HttpFunction {
    private final EmailVerification verification;

    public RequestEmailVerificationHandler() {
        this(System.getenv());
    }

    public RequestEmailVerificationHandler(Map<String, String> environment) {
        this(Services.of(environment));
    }

    RequestEmailVerificationHandler(Services services) {
        super(Access.USER, services.httpRuntime());
        this.verification = services.emailVerification();
    }

    @Override
    protected Reply handle(HttpRequest request) {
        request.requireNoFields();
        return switch (verification.request(request.principal())) {
            case SENT -> Reply.accepted("A verification email is on its way");
            case ALREADY_VERIFIED -> Reply.ok("Email is already verified", null);
        };
    }

    /** Run again, a retry would mail another token and count against the limit; the answer holds no token. */
    @Override
    protected boolean replaysRetries() {
        return true;
    }
}
