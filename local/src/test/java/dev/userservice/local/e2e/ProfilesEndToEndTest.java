package dev.userservice.local.e2e;

import static dev.userservice.local.e2e.Accounts.assertError;
import static dev.userservice.local.e2e.Accounts.detailFields;
import static dev.userservice.local.e2e.Accounts.uniqueEmail;
import static dev.userservice.local.e2e.Api.bearer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.userservice.json.Json;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Extended profiles and their visibility per field, as the owner, another user on the basic plan, a user on the
 * premium plan, an admin and a service see them.
 */
class ProfilesEndToEndTest {
    @RegisterExtension
    static final RunningService running = RunningService.shared();
    private static final Api api = running.api();
    private static final Accounts accounts = running.accounts();

    @Test
    void eachCallerSeesWhatTheFieldsVisibilityAllows() {
        Accounts.Account owner = accounts.register(uniqueEmail("profile-owner"));
        assertEquals(200, accounts.patch("/api/v1/users/me", owner, Map.of("attributes", Map.of("team", "search"))).status());
        Map<String, Object> written = ok(send("PUT", "/api/v1/users/me/profile", owner.authorization(), Map.of(
                "avatar_url", "https://images.example.com/a.png", "bio", "Builds search", "title", "Staff engineer",
                "location", "Lisbon", "links", List.of("https://example.com/alice"),
                "visibility", Map.of("title", "private"))));
        Map<String, Object> everything = new LinkedHashMap<>(Map.of("user_id", owner.id(), "name", "Alice Example",
                "avatar_url", "https://images.example.com/a.png", "bio", "Builds search", "title", "Staff engineer",
                "location", "Lisbon", "links", List.of("https://example.com/alice"), "attributes", Map.of("team", "search")));
        assertEquals(Map.of("name", "public", "avatar_url", "public", "bio", "public", "title", "private",
                "location", "premium", "links", "premium", "attributes", "private"), written.get("visibility"));

        Accounts.Account basic = accounts.register(uniqueEmail("profile-basic"));
        Accounts.Account premium = accounts.register(uniqueEmail("profile-premium"));
        assertEquals(200, api.send("POST", "/api/v1/users/me/upgrade", null, "Authorization", premium.authorization()).status());
        Accounts.Account admin = accounts.admin();
        String path = "/api/v1/users/" + owner.id() + "/profile";

        assertEquals(everything, withoutOwnersFields(ok(api.get("/api/v1/users/me/profile", "Authorization", owner.authorization()))), "the owner");
        assertEquals(everything, withoutOwnersFields(ok(api.get(path, "Authorization", owner.authorization()))), "the owner by id");
        assertEquals(everything, withoutOwnersFields(ok(api.get(path, "Authorization", admin.authorization()))), "an admin");
        assertEquals(everything, withoutOwnersFields(ok(api.get(path, "Authorization", bearer(running.serviceToken())))), "a service");

        Map<String, Object> seenByPremium = ok(api.get(path, "Authorization", premium.authorization()));
        assertEquals(Set.of("user_id", "name", "avatar_url", "bio", "location", "links"), seenByPremium.keySet(),
                "public and premium fields; no private one, and no visibilities");

        Api.Response seenByBasic = api.get(path, "Authorization", basic.authorization());
        assertError(seenByBasic, 403, "forbidden");
        assertTrue(String.valueOf(seenByBasic.body().get("message")).contains("premium feature"), seenByBasic.text());
    }

    @Test
    void aPatchChangesTheFieldsGivenAndAnythingButHttpsIsRefused() {
        Accounts.Account owner = accounts.register(uniqueEmail("profile-patch"));
        ok(send("PATCH", "/api/v1/users/me/profile", owner.authorization(), Map.of("bio", "First", "title", "Engineer")));

        Map<String, Object> patched = ok(send("PATCH", "/api/v1/users/me/profile", owner.authorization(),
                Map.of("bio", "Second", "visibility", Map.of("bio", "premium"))));
        Api.Response insecure = send("PATCH", "/api/v1/users/me/profile", owner.authorization(),
                Map.of("avatar_url", "http://images.example.com/a.png", "links", List.of("javascript:alert(1)")));

        assertEquals(List.of("Second", "Engineer", "premium"), List.of(patched.get("bio"), patched.get("title"),
                ((Map<?, ?>) patched.get("visibility")).get("bio")));
        assertEquals(400, insecure.status(), insecure.text());
        assertEquals(List.of("avatar_url", "links"), detailFields(insecure).stream().sorted().toList());
        assertEquals(patched, ok(api.get("/api/v1/users/me/profile", "Authorization", owner.authorization())), "nothing changed");
    }

    /** A phone and a laptop each replace the profile they read: the second, which missed the first's change, is refused. */
    @Test
    void aReplacementOfAProfileChangedSinceItWasReadIsRefused() {
        Accounts.Account owner = accounts.register(uniqueEmail("profile-put"));
        ok(send("PUT", "/api/v1/users/me/profile", owner.authorization(), Map.of("bio", "First", "title", "Engineer")));
        Map<String, Object> read = ok(api.get("/api/v1/users/me/profile", "Authorization", owner.authorization()));

        Map<String, Object> phone = new LinkedHashMap<>(read);
        phone.put("bio", "From the phone");
        ok(send("PUT", "/api/v1/users/me/profile", owner.authorization(), phone));
        Map<String, Object> laptop = new LinkedHashMap<>(read);
        laptop.put("title", "Lead");
        Api.Response stale = send("PUT", "/api/v1/users/me/profile", owner.authorization(), laptop);

        assertEquals(400, stale.status(), stale.text());
        assertEquals(List.of("updated_at"), detailFields(stale));
        Map<String, Object> stored = ok(api.get("/api/v1/users/me/profile", "Authorization", owner.authorization()));
        assertEquals(List.of("From the phone", "Engineer"), List.of(stored.get("bio"), stored.get("title")));
    }

    private static Map<String, Object> withoutOwnersFields(Map<String, Object> profile) {
        Map<String, Object> fields = new LinkedHashMap<>(profile);
        fields.remove("visibility");
        fields.remove("updated_at");
        return fields;
    }

    private static Map<String, Object> ok(Api.Response response) {
        assertEquals(200, response.status(), response.text());
        return response.data();
    }

    private static Api.Response send(String method, String path, String authorization, Object body) {
        return api.send(method, path, Json.write(body), "Authorization", authorization, "Content-Type", "application/json");
    }
}
