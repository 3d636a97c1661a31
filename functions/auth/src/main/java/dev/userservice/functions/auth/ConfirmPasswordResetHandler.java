package dev.userservice.functions.auth;

import dev.userservice.Services;
import dev.userservice.accounts.PasswordFlows;
import dev.userservice.accounts.PasswordReset;
import dev.userservice.http.Access;
import dev.userservice.http.HttpFunction;
import dev.userservice.http.HttpRequest;
import dev.userservice.http.Reply;
import java.util.Map;

/**
 * {@code POST /api/v1/auth/password-reset/confirm}: {@code {token, new_password}}. The token from the reset email
 * works once, within an hour (else 401 {@code invalid_token}); the new password must pass the policy. Every session
 * of the account ends, so tokens issued before the reset stop working; sign in again with the new password.
 * <pre>
 * curl -X POST localhost:3000/api/v1/auth/password-reset/confirm -H 'Content-Type: application/json' \
 *   -d '{"token":"'$RESET_TOKEN'","new_password":"a brand new passphrase"}'
 * </pre>
 */
public final class ConfirmPasswordResetHandler extends HttpFunction {
    private final PasswordFlows passwords;

    public ConfirmPasswordResetHandler() {
        this(System.getenv());
    }

    public ConfirmPasswordResetHandler(Map<String, String> environment) {
        this(Services.of(environment));
    }

    ConfirmPasswordResetHandler(Services services) {
        super(Access.PUBLIC, services.httpRuntime());
        this.passwords = services.passwordFlows();
    }

    @Override
    protected Reply handle(HttpRequest request) {
        passwords.confirmReset(PasswordReset.read(request.jsonObject()));
        return Reply.ok("Password reset; sign in with the new password", null);
    }

    /** Run again, a retry would find its token used and answer 401; the answer holds no credential. */
    @Override
    protected boolean replaysRetries() {
        return true;
    }
}
