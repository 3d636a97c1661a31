package dev.userservice.functions.users;

import dev.userservice.Services;
import dev.userservice.accounts.UserStatistics;
import dev.userservice.http.Access;
import dev.userservice.http.HttpFunction;
import dev.userservice.http.HttpRequest;
import dev.userservice.http.Reply;
import java.util.Map;

/**
 * {@code GET /api/v1/users/me/stats}: the caller's sessions and devices (active, total), notification statuses by
 * channel and status over the last 30 and 90 days, and the last sign-in.
 * <pre>
 * curl localhost:3000/api/v1/users/me/stats -H "Authorization: Bearer $ACCESS_TOKEN"
 * </pre>
 */
public final class GetUserStatsHandler extends HttpFunction {
    private final UserStatistics statistics;

    public GetUserStatsHandler() {
        this(System.getenv());
    }

    public GetUserStatsHandler(Map<String, String> environment) {
        this(Services.of(environment));
    }

    GetUserStatsHandler(Services services) {
        super(Access.USER, services.httpRuntime());
        this.statistics = services.userStatistics();
    }

    @Override
    protected Reply handle(HttpRequest request) {
        return Reply.ok("Statistics", statistics.of(request.principal()));
    }
}
