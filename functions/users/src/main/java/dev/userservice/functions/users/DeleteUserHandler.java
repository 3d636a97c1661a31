package dev.userservice.functions.users;

import dev.userservice.Services;
import dev.userservice.accounts.AccountView;
import dev.userservice.accounts.AdminAccounts;
import dev.userservice.http.Access;
import dev.userservice.http.HttpFunction;
import dev.userservice.http.HttpRequest;
import dev.userservice.http.Reply;
import dev.userservice.users.AccountTypes;
import java.util.Map;

/**
 * {@code DELETE /api/v1/users/{id}}: an admin deletes an account, as its owner would, without its password.
 * <pre>
 * curl -X DELETE localhost:3000/api/v1/users/$USER_ID -H "Authorization: Bearer $ADMIN_TOKEN"
 * </pre>
 * {@code user.deleted} says {@code by: admin}; see {@link AdminAccounts#delete}.
 */
public final class DeleteUserHandler extends HttpFunction {
    private final AdminAccounts accounts;
    private final AccountTypes types;

    public DeleteUserHandler() {
        this(System.getenv());
    }

    public DeleteUserHandler(Map<String, String> environment) {
        this(Services.of(environment));
    }

    DeleteUserHandler(Services services) {
        super(Access.ADMIN, services.httpRuntime());
        this.accounts = services.adminAccounts();
        this.types = services.accountTypes();
    }

    @Override
    protected Reply handle(HttpRequest request) {
        request.requireNoFields();
        accounts.delete(request.principal(), request.pathParameter("id"), AccountView.ofRoute(request.routeKey(), types));
        return Reply.ok("User deleted", null);
    }
}
