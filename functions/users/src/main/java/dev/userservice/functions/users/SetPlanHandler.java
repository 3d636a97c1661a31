package dev.userservice.functions.users;

import dev.userservice.Services;
import dev.userservice.accounts.PlanChange;
import dev.userservice.accounts.PlanChanges;
import dev.userservice.http.Access;
import dev.userservice.http.HttpFunction;
import dev.userservice.http.HttpRequest;
import dev.userservice.http.Reply;
import java.util.Map;

/**
 * {@code PUT /api/v1/users/{id}/plan}: an admin, or the billing service once a payment is confirmed, sets a plan.
 * <pre>
 * curl -X PUT localhost:3000/api/v1/users/$USER_ID/plan -H "Authorization: Bearer $SERVICE_TOKEN" \
 *   -H 'Content-Type: application/json' -d '{"plan":"premium"}'
 * </pre>
 * The user themself gets 403; see {@link PlanChanges#set}.
 */
public final class SetPlanHandler extends HttpFunction {
    private final PlanChanges plans;

    public SetPlanHandler() {
        this(System.getenv());
    }

    public SetPlanHandler(Map<String, String> environment) {
        this(Services.of(environment));
    }

    SetPlanHandler(Services services) {
        super(Access.SELF, services.httpRuntime());
        this.plans = services.planChanges();
    }

    @Override
    protected Reply handle(HttpRequest request) {
        return Reply.ok("Plan set", plans.set(request.principal(), request.pathParameter("id"),
                () -> PlanChange.read(request.jsonObject(), plans.plans())));
    }
}
