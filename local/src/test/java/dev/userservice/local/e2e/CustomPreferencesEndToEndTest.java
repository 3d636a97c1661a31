package dev.userservice.local.e2e;

import static dev.userservice.local.e2e.Accounts.assertError;
import static dev.userservice.local.e2e.Accounts.detailFields;
import static dev.userservice.local.e2e.Accounts.uniqueEmail;
import static dev.userservice.local.e2e.Api.bearer;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.userservice.local.e2e.Accounts.Account;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The application's own preference fields ({@code custom}): stored beside the notification ones by the rules of
 * {@code attributes}, and handed to pipelines in the notification profile, single and batch.
 */
class CustomPreferencesEndToEndTest {
    private static final String MINE = "/api/v1/users/me/preferences";

    @RegisterExtension
    static final RunningService running = RunningService.shared();
    private static final Api api = running.api();
    private static final Accounts accounts = running.accounts();
    private static final PublishedEvents events = running.events();
    private static final String serviceToken = running.serviceToken();

    @Test
    void customPreferencesReachTheNotificationProfileSingleAndBatch() {
        Account alice = accounts.register(uniqueEmail("custom"));

        Api.Response changed = accounts.patch(MINE, alice, Map.of("custom", Map.of("desired_role", "backend engineer",
                "remote_only", true, "min_salary", 70000)));

        assertEquals(200, changed.status(), changed.text());
        Map<String, Object> custom = Map.of("desired_role", "backend engineer", "remote_only", true, "min_salary", 70000L);
        assertEquals(custom, changed.data().get("custom"));
        assertEquals(custom, profile(alice.id()).get("custom"));
        Api.Response batch = api.post("/api/v1/internal/notification-profiles/batch", Map.of("user_ids", List.of(alice.id())),
                "Authorization", bearer(serviceToken));
        assertEquals(200, batch.status(), batch.text());
        assertEquals(custom, ((List<?>) batch.data().get("profiles")).stream().map(p -> ((Map<?, ?>) p).get("custom")).findFirst().orElseThrow());
        @SuppressWarnings("unchecked")
        Map<String, Object> after = (Map<String, Object>) events.await("preferences.updated", alice.id()).get("data");
        assertEquals(custom, ((Map<?, ?>) after.get("after")).get("custom"));

        Map<String, Object> patch = new LinkedHashMap<>();
        patch.put("remote_only", false);
        patch.put("min_salary", null);
        assertEquals(200, accounts.patch(MINE, alice, Map.of("custom", patch)).status());
        assertEquals(Map.of("desired_role", "backend engineer", "remote_only", false), profile(alice.id()).get("custom"),
                "merged by key, null removes; the cached profile was forgotten");
    }

    @Test
    void invalidOrOversizeCustomPreferencesAre400AndChangeNothing() {
        Account bob = accounts.register(uniqueEmail("custom"));
        assertEquals(200, accounts.patch(MINE, bob, Map.of("custom", Map.of("team", "platform"))).status());
        Map<String, Object> before = api.get(MINE, "Authorization", bob.authorization()).data();

        Map<String, Object> bad = new LinkedHashMap<>();
        bad.put("Bad-Key", 1);
        bad.put("nested", Map.of("a", 1));
        bad.put("bio", "x".repeat(1001));
        Api.Response invalid = accounts.patch(MINE, bob, Map.of("email", false, "custom", bad));
        Map<String, Object> fifty = IntStream.range(0, 50).boxed().collect(Collectors.toMap(i -> "key_" + i, i -> i));
        Api.Response tooMany = accounts.patch(MINE, bob, Map.of("email", false, "custom", fifty));
        Api.Response tooBig = accounts.patch(MINE, bob, Map.of("custom", Map.of("a", "x".repeat(1000), "b", "x".repeat(1000),
                "c", "x".repeat(1000), "d", "x".repeat(1000), "e", "x".repeat(200))));

        assertError(invalid, 400, "validation_failed");
        assertEquals(List.of("custom.Bad-Key", "custom.nested", "custom.bio"), detailFields(invalid));
        assertError(tooMany, 400, "validation_failed");
        assertEquals(List.of("custom"), detailFields(tooMany), "fifty new keys and the stored one are over the limit");
        assertError(tooBig, 400, "validation_failed");
        assertEquals(List.of("custom"), detailFields(tooBig));
        assertEquals(before, api.get(MINE, "Authorization", bob.authorization()).data(), "nothing changed");
        assertEquals(Map.of("team", "platform"), profile(bob.id()).get("custom"));
    }

    @Test
    void registrationMayGiveCustomPreferences() {
        Map<String, Object> body = Accounts.registration(uniqueEmail("custom"));
        body.put("preferences", Map.of("custom", Map.of("seniority", "senior")));

        String userId = Accounts.userId(accounts.registerGrant(body));

        assertEquals(Map.of("seniority", "senior"), profile(userId).get("custom"));
        Map<String, Object> refused = Accounts.registration(uniqueEmail("custom"));
        refused.put("preferences", Map.of("custom", Map.of("Seniority", "senior")));
        assertEquals(List.of("preferences.custom.Seniority"), detailFields(api.post("/api/v1/auth/register", refused)));
    }

    private static Map<String, Object> profile(String userId) {
        Api.Response answer = api.get("/api/v1/internal/users/" + userId + "/notification-profile", "Authorization", bearer(serviceToken));
        assertEquals(200, answer.status(), answer.text());
        return answer.data();
    }
}
