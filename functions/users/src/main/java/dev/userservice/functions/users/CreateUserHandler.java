package dev.userservice.functions.users;

import dev.userservice.Services;
import dev.userservice.accounts.AccountView;
import dev.userservice.accounts.AdminAccounts;
import dev.userservice.accounts.UserCreation;
import dev.userservice.auth.PasswordPolicy;
import dev.userservice.errors.ServiceException;
import dev.userservice.http.Access;
import dev.userservice.http.HttpFunction;
import dev.userservice.http.HttpRequest;
import dev.userservice.http.Reply;
import dev.userservice.users.AccountTypes;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * {@code POST /api/v1/admin/users}: an admin creates an account, with a password or an invitation (no password).
 * <pre>
 * curl -X POST localhost:3000/api/v1/admin/users -H "Authorization: Bearer $ADMIN_TOKEN" \
 *   -H 'Content-Type: application/json' -d '{"email":"sam@example.com","name":"Sam","type":"student"}'
 * </pre>
 * The earlier service's {@code POST /api/v1/users/students/} and {@code /staff/} create an account of that type;
 * see {@link AdminAccounts#create}.
 */
public final class CreateUserHandler extends HttpFunction {
    private final AdminAccounts accounts;
    private final AccountTypes types;
    private final PasswordPolicy passwordPolicy;

    public CreateUserHandler() {
        this(System.getenv());
    }

    public CreateUserHandler(Map<String, String> environment) {
        this(Services.of(environment));
    }

    CreateUserHandler(Services services) {
        super(Access.ADMIN, services.httpRuntime());
        this.accounts = services.adminAccounts();
        this.types = services.accountTypes();
        this.passwordPolicy = services.passwordPolicy();
    }

    @Override
    protected Reply handle(HttpRequest request) {
        Map<String, Object> body = request.jsonObject();
        Optional<String> viewType = AccountView.ofRoute(request.routeKey(), types).flatMap(AccountView::type);
        if (viewType.isPresent()) {
            body = new HashMap<>(body);
            body.putIfAbsent("type", viewType.get());
        }
        UserCreation creation = UserCreation.read(body, types, passwordPolicy);
        if (viewType.isPresent() && !viewType.get().equals(creation.type())) {
            // As the collection's list refuses such a filter: the account would be created outside the collection.
            throw ServiceException.validation("type", "must be " + viewType.get() + " on this route, or left out");
        }
        return Reply.created("User created", accounts.create(creation));
    }

    /** Run again, a retry that created the account (and mailed its invitation) would answer 409 {@code email_taken}. */
    @Override
    protected boolean replaysRetries() {
        return true;
    }
}
