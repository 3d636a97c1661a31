package dev.userservice.local.e2e;

import static dev.userservice.local.e2e.Accounts.assertError;
import static dev.userservice.local.e2e.Accounts.uniqueEmail;
import static dev.userservice.local.e2e.Api.bearer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.userservice.json.Json;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Plans: every account starts on {@code basic}, moves itself up and down idempotently (one {@code user.plan_changed}
 * per real change), and is set by an admin or the billing service; the user cannot set their own through that route.
 * Admins list the accounts of one plan.
 */
class PlansEndToEndTest {
    @RegisterExtension
    static final RunningService running = RunningService.shared();
    private static final Api api = running.api();
    private static final Accounts accounts = running.accounts();
    private static final PublishedEvents events = running.events();

    @Test
    void upgradeAndDowngradeTwiceEachPublishOneEventEach() {
        Accounts.Account user = accounts.register(uniqueEmail("plans"));
        assertEquals("basic", accounts.me(user).data().get("plan"), "a new account is on the first plan");

        Api.Response upgraded = post("/api/v1/users/me/upgrade", user);
        Api.Response upgradedAgain = post("/api/v1/users/me/upgrade", user);
        assertEquals(200, upgraded.status(), upgraded.text());
        assertEquals("premium", upgraded.data().get("plan"));
        assertEquals(200, upgradedAgain.status(), upgradedAgain.text());
        assertEquals(upgraded.data(), upgradedAgain.data(), "a repeated upgrade changes nothing, not even updated_at");
        assertEquals("premium", accounts.me(user).data().get("plan"));

        Api.Response downgraded = post("/api/v1/users/me/downgrade", user);
        Api.Response downgradedAgain = post("/api/v1/users/me/downgrade", user);
        assertEquals("basic", downgraded.data().get("plan"));
        assertEquals(downgraded.data(), downgradedAgain.data(), "a repeated downgrade changes nothing");

        events.receiveEverythingPublished();
        List<Map<String, Object>> changes = planChanges(user.id());
        assertEquals(List.of(Map.of("before", "basic", "after", "premium", "by", "self"),
                Map.of("before", "premium", "after", "basic", "by", "self")), changes.stream().map(event -> event.get("data")).toList());
    }

    /** The upgrade takes no fields: a client asking for a plan by name is told so, and moves nowhere. */
    @Test
    void anUpgradeNamingAPlanIsRefusedAndChangesNothing() {
        Accounts.Account user = accounts.register(uniqueEmail("plans-named"));

        assertError(api.post("/api/v1/users/me/upgrade", Map.of("plan", "gold"), "Authorization", user.authorization()),
                400, "validation_failed");
        assertError(api.postRaw("/api/v1/users/me/upgrade", "{\"plan\":\"gold\"}", "Authorization", user.authorization(),
                "Content-Type", "text/plain"), 415, "unsupported_media_type");
        assertError(api.post("/api/v1/users/me/downgrade", Map.of("plan", "basic"), "Authorization", user.authorization()),
                400, "validation_failed");
        assertEquals("basic", accounts.me(user).data().get("plan"));
        assertEquals(200, api.post("/api/v1/users/me/upgrade", Map.of(), "Authorization", user.authorization()).status(),
                "an empty object is no field");
    }

    @Test
    void theBillingServiceAndAnAdminSetAPlanAndTheUserCannot() {
        Accounts.Account user = accounts.register(uniqueEmail("plans-billing"));
        Accounts.Account admin = accounts.admin();

        Api.Response byService = put(user.id(), bearer(running.serviceToken()), Map.of("plan", "premium"));
        assertEquals(200, byService.status(), byService.text());
        assertEquals("premium", byService.data().get("plan"));
        Api.Response byAdmin = put(user.id(), admin.authorization(), Map.of("plan", "basic"));
        assertEquals("basic", byAdmin.data().get("plan"));

        Api.Response bySelf = put(user.id(), user.authorization(), Map.of("plan", "premium"));
        assertError(bySelf, 403, "forbidden");
        assertTrue(bySelf.body().get("message").toString().contains("Only admins and services set a plan"), bySelf.text());
        assertError(put(user.id(), admin.authorization(), Map.of("plan", "gold")), 400, "validation_failed");
        assertEquals("basic", accounts.me(user).data().get("plan"), "refused requests changed nothing");

        events.receiveEverythingPublished();
        assertEquals(List.of("service", "admin"), planChanges(user.id()).stream()
                .map(event -> ((Map<?, ?>) event.get("data")).get("by")).toList());
    }

    @Test
    void anAdminListsTheAccountsOfOnePlanAndAChangeOfPlanMovesTheAccount() {
        String tag = uniqueEmail("plans-list").replaceAll("@.*", "");
        Accounts.Account basic = accounts.register(tag + "-a@example.com");
        Accounts.Account premium = accounts.register(tag + "-b@example.com");
        Accounts.Account admin = accounts.admin();
        assertEquals(200, post("/api/v1/users/me/upgrade", premium).status());

        assertEquals(List.of(premium.email()), emailsListed(admin, "plan=premium&email_prefix=" + tag));
        assertEquals(List.of(basic.email()), emailsListed(admin, "plan=basic&status=active&email_prefix=" + tag));
        assertEquals(200, put(premium.id(), admin.authorization(), Map.of("plan", "basic")).status());
        assertEquals(List.of(), emailsListed(admin, "plan=premium&email_prefix=" + tag), "moved by the change");
        assertEquals(List.of(basic.email(), premium.email()), emailsListed(admin, "plan=basic&email_prefix=" + tag));
        assertError(api.get("/api/v1/users?plan=gold", "Authorization", admin.authorization()), 400, "validation_failed");
    }

    @SuppressWarnings("unchecked")
    private static List<Object> emailsListed(Accounts.Account admin, String query) {
        Api.Response listed = api.get("/api/v1/users?" + query, "Authorization", admin.authorization());
        assertEquals(200, listed.status(), listed.text());
        return ((List<Map<String, Object>>) listed.body().get("data")).stream().map(user -> user.get("email")).toList();
    }

    private static List<Map<String, Object>> planChanges(String userId) {
        return events.receivedFor(userId).stream().filter(event -> "user.plan_changed".equals(event.get("type"))).toList();
    }

    private static Api.Response post(String path, Accounts.Account caller) {
        return api.send("POST", path, null, "Authorization", caller.authorization());
    }

    private static Api.Response put(String userId, String authorization, Map<String, Object> body) {
        return api.send("PUT", "/api/v1/users/" + userId + "/plan", Json.write(body), "Authorization", authorization,
                "Content-Type", "application/json");
    }
}
