package dev.userservice.accounts;

import dev.userservice.users.Plans;
import dev.userservice.validation.Fields;
import java.util.Map;

/** An admin's or a service's choice of plan for an account: {@code {"plan"}}, one of the deployment's plans. */
public record PlanChange(String plan) {
    /** Reads the body; a plan the deployment does not offer is {@code validation_failed}, naming those it does. */
    public static PlanChange read(Map<String, Object> body, Plans plans) {
        Fields fields = Fields.of(body);
        String plan = fields.required("plan", Plans.NAME_MAX_LENGTH, plans::choice);
        fields.validate();
        return new PlanChange(plan);
    }
}
