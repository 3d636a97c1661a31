package dev.userservice.functions.users;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import dev.userservice.Services;
import dev.userservice.accounts.AdminPromotion;
import dev.userservice.accounts.UserAdministration;
import dev.userservice.errors.ServiceException;
import dev.userservice.json.Json;
import dev.userservice.logging.Log;
import dev.userservice.snapstart.SnapStartFunction;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Makes an existing account an admin: the way to create the first admin without editing the table. No route
 * reaches it; an operator invokes it.
 * <pre>
 * aws lambda invoke --function-name &lt;PromoteAdminFunction&gt; --cli-binary-format raw-in-base64-out \
 *   --payload '{"email":"admin@example.com"}' out.json
 * java -jar local/target/local-api.jar invoke PromoteAdminFunction events/promote-admin.json
 * </pre>
 * Answers {@code {"user_id", "email", "role": "admin", "changed"}} ({@code changed} false when the account was an
 * admin already), {@code {"error": "not_found"}} for an unknown email, and {@code {"error": "validation_failed",
 * "details": [...]}} (or {@code malformed_json}) for bad input; nothing changes in the error cases. The account's
 * new role is in its tokens from its next sign-in or refresh.
 */
public final class PromoteAdminHandler extends SnapStartFunction implements RequestStreamHandler {
    private final UserAdministration administration;

    public PromoteAdminHandler() {
        this(System.getenv());
    }

    public PromoteAdminHandler(Map<String, String> environment) {
        this(Services.of(environment));
    }

    PromoteAdminHandler(Services services) {
        super(services);
        this.administration = services.userAdministration();
    }

    /** A promotion of an email nobody has: the account is looked up, not found, and nothing changes or is logged. */
    @Override
    protected void prime() {
        promote(Json.writeBytes(Map.of("email", UUID.randomUUID() + "@snapstart-priming.invalid")));
        wiring().warmUp();
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        Json.write(promote(input.readAllBytes()), output);
    }

    private Map<String, Object> promote(byte[] input) {
        Map<String, Object> answer = new LinkedHashMap<>();
        Object parsed;
        try {
            parsed = Json.parse(input);
        } catch (Json.MalformedJsonException e) {
            parsed = null;
        }
        if (!(parsed instanceof Map<?, ?> object)) {
            answer.put("error", "malformed_json");
            answer.put("message", "The input must be a JSON object such as {\"email\": \"admin@example.com\"}");
            return answer;
        }
        try {
            @SuppressWarnings("unchecked")
            Map<String, Object> request = (Map<String, Object>) object;
            return administration.promote(AdminPromotion.read(request)).map(promotion -> {
                answer.put("user_id", promotion.user().id());
                answer.put("email", promotion.user().email());
                answer.put("role", promotion.user().role().claim());
                answer.put("changed", promotion.changed());
                Log.info("admin promotion", Map.of("user_id", promotion.user().id(), "changed", promotion.changed()));
                return answer;
            }).orElseGet(() -> {
                answer.put("error", "not_found");
                answer.put("message", "No account has this email");
                return answer;
            });
        } catch (ServiceException e) {
            answer.put("error", e.error().code());
            answer.put("message", e.getMessage());
            if (!e.details().isEmpty()) {
                answer.put("details", e.details());
            }
            return answer;
        }
    }
}
