package dev.userservice.functions.users;

import dev.userservice.Services;
import dev.userservice.accounts.Profiles;
import dev.userservice.http.Access;
import dev.userservice.http.HttpFunction;
import dev.userservice.http.HttpRequest;
import dev.userservice.http.Reply;
import java.util.Map;

/**
 * {@code GET /api/v1/users/me/profile}: the signed-in user's extended profile, every field with its visibility.
 * <pre>
 * curl localhost:3000/api/v1/users/me/profile -H "Authorization: Bearer $ACCESS_TOKEN"
 * </pre>
 */
public final class GetOwnProfileHandler extends HttpFunction {
    private final Profiles profiles;

    public GetOwnProfileHandler() {
        this(System.getenv());
    }

    public GetOwnProfileHandler(Map<String, String> environment) {
        this(Services.of(environment));
    }

    GetOwnProfileHandler(Services services) {
        super(Access.USER, services.httpRuntime());
        this.profiles = services.profiles();
    }

    @Override
    protected Reply handle(HttpRequest request) {
        return Reply.ok("Profile", profiles.own(request.principal()));
    }
}
