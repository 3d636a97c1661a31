package dev.userservice.functions.users;

import dev.userservice.Services;
import dev.userservice.accounts.PlanChanges;
import dev.userservice.http.Access;
import dev.userservice.http.HttpFunction;
import dev.userservice.http.HttpRequest;
import dev.userservice.http.Reply;
import java.util.Map;

/**
 * {@code POST /api/v1/users/me/downgrade}: the signed-in user moves back to the default plan; a repeat changes nothing.
 * <pre>
 * curl -X POST localhost:3000/api/v1/users/me/downgrade -H "Authorization: Bearer $ACCESS_TOKEN"
 * </pre>
 */
public final class DowngradePlanHandler extends HttpFunction {
    private final PlanChanges plans;

    public DowngradePlanHandler() {
        this(System.getenv());
    }

    public DowngradePlanHandler(Map<String, String> environment) {
        this(Services.of(environment));
    }

    DowngradePlanHandler(Services services) {
        super(Access.USER, services.httpRuntime());
        this.plans = services.planChanges();
    }

    @Override
    protected Reply handle(HttpRequest request) {
        request.requireNoFields();
        return Reply.ok("Plan downgraded", plans.downgrade(request.principal()));
    }
}
