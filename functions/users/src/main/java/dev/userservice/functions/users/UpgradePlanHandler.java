package dev.userservice.functions.users;

import dev.userservice.Services;
import dev.userservice.accounts.PlanChanges;
import dev.userservice.http.Access;
import dev.userservice.http.HttpFunction;
import dev.userservice.http.HttpRequest;
import dev.userservice.http.Reply;
import java.util.Map;

/**
 * {@code POST /api/v1/users/me/upgrade}: the signed-in user moves to the premium plan; a repeat changes nothing.
 * <pre>
 * curl -X POST localhost:3000/api/v1/users/me/upgrade -H "Authorization: Bearer $ACCESS_TOKEN"
 * </pre>
 * 403 where the deployment lets only billing upgrade; see {@link PlanChanges#upgrade}.
 */
public final class UpgradePlanHandler extends HttpFunction {
    private final PlanChanges plans;

    public UpgradePlanHandler() {
        this(System.getenv());
    }

    public UpgradePlanHandler(Map<String, String> environment) {
        this(Services.of(environment));
    }

    UpgradePlanHandler(Services services) {
        super(Access.USER, services.httpRuntime());
        this.plans = services.planChanges();
    }

    @Override
    protected Reply handle(HttpRequest request) {
        request.requireNoFields();
        return Reply.ok("Plan upgraded", plans.upgrade(request.principal()));
    }
}
