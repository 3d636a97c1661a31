package dev.userservice.functions.users;

import com.amazonaws.services.lambda.runtime.Context;
import dev.userservice.Services;
import dev.userservice.accounts.AdminPromotion;
import dev.userservice.accounts.UserAdministration;
import dev.userservice.errors.ErrorCode;
import dev.userservice.errors.ServiceException;
import dev.userservice.json.Json;
import dev.userservice.logging.Log;
import dev.userservice.triggers.InvokedFunction;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Makes an existing account an active admin, the way to create the first admin (or to recover when no admin can sign
 * in); no route reaches it, an operator invokes it:
 * <pre>java -jar local/target/local-api.jar invoke PromoteAdminFunction events/promote-admin.json</pre>
 * Answers {@code {"user_id", "email", "role": "admin", "status": "active", "changed"}} ({@code changed} false for an
 * active admin already), or
 * the error envelope: {@code not_found} for an unknown email, {@code validation_failed} or {@code malformed_json};
 * nothing changes then. The new role is in the account's tokens from its next sign-in or refresh.
 */
public final class PromoteAdminHandler extends InvokedFunction {
    private final UserAdministration administration;

    public PromoteAdminHandler() {
        this(System.getenv());
    }

    public PromoteAdminHandler(Map<String, String> environment) {
        this(Services.of(environment));
        primeWhenInitialisedOnDemand();
    }

    PromoteAdminHandler(Services services) {
        super(services);
        this.administration = services.userAdministration();
    }

    @Override
    protected Object answer(Map<String, Object> event, Context context) {
        UserAdministration.Promotion promotion = administration.promote(AdminPromotion.read(event))
                .orElseThrow(() -> new ServiceException(ErrorCode.NOT_FOUND, "No account has this email"));
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("user_id", promotion.user().id());
        answer.put("email", promotion.user().email());
        answer.put("role", promotion.user().role().claim());
        answer.put("status", promotion.user().status());
        answer.put("changed", promotion.changed());
        Log.info("admin promotion", Map.of("user_id", promotion.user().id(), "changed", promotion.changed()));
        return answer;
    }

    /** A promotion of an email nobody has: the account is looked up, not found, and nothing changes or is logged. */
    @Override
    protected void prime() {
        answerTo(Json.writeBytes(Map.of("email", UUID.randomUUID() + "@snapstart-priming.invalid")), null);
        wiring().warmUp();
    }
}
