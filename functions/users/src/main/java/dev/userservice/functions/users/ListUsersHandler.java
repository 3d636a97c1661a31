package dev.userservice.functions.users;

import dev.userservice.Services;
import dev.userservice.accounts.AccountView;
import dev.userservice.accounts.UserAdministration;
import dev.userservice.accounts.UserListing;
import dev.userservice.http.Access;
import dev.userservice.http.HttpFunction;
import dev.userservice.http.HttpRequest;
import dev.userservice.http.Reply;
import dev.userservice.paging.Cursors;
import dev.userservice.users.AccountTypes;
import dev.userservice.users.Plans;
import java.util.Map;

/**
 * {@code GET /api/v1/users}: accounts in email order, for admins, cursor-paged, optionally of one type, role, status
 * or plan.
 * The earlier service's {@code /api/v1/users/students/}, {@code /staff/} and {@code /admins/} are views of it.
 * <pre>
 * curl 'localhost:3000/api/v1/users?email_prefix=alice&amp;limit=10' -H "Authorization: Bearer $ADMIN_TOKEN"
 * curl 'localhost:3000/api/v1/users?type=student&amp;status=active' -H "Authorization: Bearer $ADMIN_TOKEN"
 * curl "localhost:3000/api/v1/users?cursor=$NEXT_CURSOR&amp;limit=10" -H "Authorization: Bearer $ADMIN_TOKEN"
 * </pre>
 * {@code meta} is {@code {"limit", "has_next", "next_cursor"}}; see {@link UserAdministration#list}.
 */
public final class ListUsersHandler extends HttpFunction {
    private final UserAdministration administration;
    private final AccountTypes types;
    private final Plans plans;

    public ListUsersHandler() {
        this(System.getenv());
    }

    public ListUsersHandler(Map<String, String> environment) {
        this(Services.of(environment));
    }

    ListUsersHandler(Services services) {
        super(Access.ADMIN, services.httpRuntime());
        this.administration = services.userAdministration();
        this.types = services.accountTypes();
        this.plans = services.plans();
    }

    @Override
    protected Reply handle(HttpRequest request) {
        UserListing listing = UserListing.read(request.query(), types, plans);
        Cursors.Page page = administration.list(AccountView.ofRoute(request.routeKey(), types).map(listing::within).orElse(listing));
        return new Reply(200, "Users", page.items(), page.meta(), Map.of(), null, false);
    }
}
