package dev.userservice.functions.users;

import dev.userservice.Services;
import dev.userservice.accounts.AccountDeletion;
import dev.userservice.accounts.AccountService;
import dev.userservice.http.Access;
import dev.userservice.http.HttpFunction;
import dev.userservice.http.HttpRequest;
import dev.userservice.http.Reply;
import java.util.Map;

/**
 * {@code DELETE /api/v1/users/me}: the signed-in user erases their account, confirming with their password.
 * <pre>
 * curl -X DELETE localhost:3000/api/v1/users/me -H "Authorization: Bearer $ACCESS_TOKEN" \
 *   -H 'Content-Type: application/json' -d '{"password":"lilac tractor honey window"}'
 * </pre>
 * The caller's access tokens are refused from the moment it answers; see {@link AccountService#deleteAccount}.
 */
public final class DeleteCurrentUserHandler extends HttpFunction {
    private final AccountService accounts;

    public DeleteCurrentUserHandler() {
        this(System.getenv());
    }

    public DeleteCurrentUserHandler(Map<String, String> environment) {
        this(Services.of(environment));
    }

    DeleteCurrentUserHandler(Services services) {
        super(Access.USER, services.httpRuntime());
        this.accounts = services.accountService();
    }

    @Override
    protected Reply handle(HttpRequest request) {
        accounts.deleteAccount(request.principal().subject(), AccountDeletion.read(request.jsonObject()));
        return Reply.ok("Account deleted", null);
    }
}
