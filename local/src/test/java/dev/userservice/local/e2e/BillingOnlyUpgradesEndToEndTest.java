package dev.userservice.local.e2e;

import static dev.userservice.local.e2e.Accounts.assertError;
import static dev.userservice.local.e2e.Accounts.uniqueEmail;
import static dev.userservice.local.e2e.Api.bearer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.userservice.json.Json;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A deployment with {@code SelfServiceUpgrade=false}: a user's own upgrade is refused with a message saying only
 * billing upgrades, and nothing changes; the billing service's service token still sets the plan.
 */
class BillingOnlyUpgradesEndToEndTest {
    @RegisterExtension
    static final RunningService running = RunningService.start(billingOnly());
    private static final Api api = running.api();
    private static final Accounts accounts = running.accounts();
    private static final PublishedEvents events = running.events();

    private static Map<String, String> billingOnly() {
        Map<String, String> environment = new HashMap<>(TestEnvironment.FAST);
        environment.put("SELF_SERVICE_UPGRADE", "false");
        return environment;
    }

    @Test
    void aUsersOwnUpgradeIsRefusedAndBillingStillUpgrades() {
        Accounts.Account user = accounts.register(uniqueEmail("billing-only"));

        Api.Response refused = api.send("POST", "/api/v1/users/me/upgrade", null, "Authorization", user.authorization());

        assertError(refused, 403, "forbidden");
        assertTrue(String.valueOf(refused.body().get("message")).contains("only the billing service upgrades"), refused.text());
        assertEquals("basic", accounts.me(user).data().get("plan"));
        events.assertNone("user.plan_changed", user.id());

        Api.Response billed = api.send("PUT", "/api/v1/users/" + user.id() + "/plan", Json.write(Map.of("plan", "premium")),
                "Authorization", bearer(running.serviceToken()), "Content-Type", "application/json");
        assertEquals(200, billed.status(), billed.text());
        assertEquals("premium", accounts.me(user).data().get("plan"));
        assertEquals(200, api.send("POST", "/api/v1/users/me/downgrade", null, "Authorization", user.authorization()).status(),
                "a downgrade stays the user's own");
    }
}
