package dev.userservice.functions.users;

import dev.userservice.Services;
import dev.userservice.accounts.UserSearch;
import dev.userservice.accounts.UserSearchQuery;
import dev.userservice.http.Access;
import dev.userservice.http.HttpFunction;
import dev.userservice.http.HttpRequest;
import dev.userservice.http.Reply;
import dev.userservice.paging.Cursors;
import java.util.Map;

/**
 * {@code GET /api/v1/users/search?q=&cursor=&limit=}: accounts by the start of their name or username (and email, for
 * admins and services), for premium users, admins and services.
 * <pre>
 * curl 'localhost:3000/api/v1/users/search?q=ali' -H "Authorization: Bearer $ACCESS_TOKEN"
 * </pre>
 * A caller on the basic plan gets 403 saying why; see {@link UserSearch#search}.
 */
public final class SearchUsersHandler extends HttpFunction {
    private final UserSearch search;

    public SearchUsersHandler() {
        this(System.getenv());
    }

    public SearchUsersHandler(Map<String, String> environment) {
        this(Services.of(environment));
    }

    SearchUsersHandler(Services services) {
        super(Access.ANY, services.httpRuntime());
        this.search = services.userSearch();
    }

    @Override
    protected Reply handle(HttpRequest request) {
        Cursors.Page page = search.search(request.principal(), UserSearchQuery.read(request.query()));
        return new Reply(200, "Users found", page.items(), page.meta(), Map.of(), null, false);
    }
}
