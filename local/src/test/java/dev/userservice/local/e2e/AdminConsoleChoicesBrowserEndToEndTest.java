package dev.userservice.local.e2e;

import static dev.userservice.local.e2e.Accounts.uniqueEmail;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.userservice.local.e2e.Accounts.Account;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The admin console offers the deployment's own account types and plans, not the template's defaults: with
 * {@code Plans} {@code free,pro,team} an admin must be able to move the first account onto {@code team}, and never
 * be offered {@code premium}, which the API refuses. Opened straight at a user's page, as a link from a ticket
 * does, so the dashboard never showed the metrics first. Skipped as {@link BrowserScript} says without node, its
 * packages or chromium.
 */
class AdminConsoleChoicesBrowserEndToEndTest {
    private static final List<String> PLANS = List.of("free", "pro", "team");
    private static final List<String> TYPES = List.of("member", "contractor");

    @RegisterExtension
    static final RunningService running = RunningService.start(Map.of("BCRYPT_COST", "6",
            "PLANS", String.join(",", PLANS), "ACCOUNT_TYPES", String.join(",", TYPES)));

    @Test
    void theChangeDialogsAndTheFiltersOfferTheDeploymentsTypesAndPlans() throws Exception {
        BrowserScript browser = BrowserScript.require("admin-console-choices.mjs");
        Accounts accounts = running.accounts();
        Account admin = accounts.admin();
        Account user = accounts.register(uniqueEmail("choices"));

        Map<String, Object> report = browser.run(running.service().apiUrl().toString().replaceAll("/$", ""), Map.of(
                "ADMIN_EMAIL", admin.email(), "ADMIN_PASSWORD", Accounts.PASSWORD, "USER_ID", user.id()));

        Map<?, ?> afterRefusedRead = (Map<?, ?>) report.get("afterRefusedRead");
        assertEquals(List.of(true, false), List.of(afterRefusedRead.get("signInShown"), afterRefusedRead.get("navShown")),
                () -> "a refused token at the sign-in's read left the console half open: " + afterRefusedRead);
        assertTrue(String.valueOf(afterRefusedRead.get("message")).contains("ended"), afterRefusedRead::toString);
        assertEquals(PLANS, report.get("planDialog"));
        assertEquals(TYPES, report.get("typeDialog"));
        assertEquals(List.of("", "free", "pro", "team"), report.get("planFilter"));
        assertEquals(List.of("", "member", "contractor"), report.get("typeFilter"));
        assertEquals(List.of(), report.get("pageErrors"));
        assertEquals(List.of(), report.get("consoleErrors"));
    }
}
