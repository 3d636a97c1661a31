package dev.userservice.functions.auth;

import dev.userservice.Services;
import dev.userservice.accounts.PasswordChange;
import dev.userservice.accounts.PasswordFlows;
import dev.userservice.http.Access;
import dev.userservice.http.HttpFunction;
import dev.userservice.http.HttpRequest;
import dev.userservice.http.Reply;
import java.util.Map;

/**
 * {@code POST /api/v1/auth/change-password}: {@code {current_password, new_password}}. A wrong current password is
 * 401 {@code invalid_credentials} (counted against the login limit of the account's email); the new one must pass
 * the password policy (400 {@code validation_failed}). Every other session of the caller ends; this one stays.
 * <pre>
 * curl -X POST localhost:3000/api/v1/auth/change-password -H "Authorization: Bearer $ACCESS_TOKEN" \
 *   -H 'Content-Type: application/json' \
 *   -d '{"current_password":"lilac tractor honey window","new_password":"a brand new passphrase"}'
 * </pre>
 */
public final class ChangePasswordHandler extends HttpFunction {
    private final PasswordFlows passwords;

    public ChangePasswordHandler() {
        this(System.getenv());
    }

    public ChangePasswordHandler(Map<String, String> environment) {
        this(Services.of(environment));
    }

    ChangePasswordHandler(Services services) {
        super(Access.USER, services.httpRuntime());
        this.passwords = services.passwordFlows();
    }

    @Override
    protected Reply handle(HttpRequest request) {
        passwords.change(request.principal(), PasswordChange.read(request.jsonObject()));
        return Reply.ok("Password changed; other sessions were signed out", null);
    }

    /** Run again, a retry would find the password already changed and answer 401, counted against the login limit. */
    @Override
    protected boolean replaysRetries() {
        return true;
    }
}
