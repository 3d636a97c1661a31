package dev.userservice.local.e2e;

import static dev.userservice.local.e2e.Accounts.assertError;
import static dev.userservice.local.e2e.Accounts.uniqueEmail;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import java.util.function.IntSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A DELETE takes no body (but the account's own, which takes the password): one that is not JSON, or holds a field,
 * is a mistake the client hears of before anything irreversible happens, as a POST that takes no fields does.
 */
class DeleteBodiesEndToEndTest {
    /** Each body with the error it earns: not JSON, not an object, a field. */
    private static final Map<String, String> BAD_BODIES = Map.of("garbage", "malformed_json", "[]", "malformed_json",
            "{\"zz\":1}", "validation_failed");

    @RegisterExtension
    static final RunningService running = RunningService.shared();
    private static final Api api = running.api();
    private static final Accounts accounts = running.accounts();

    @Test
    void anAdminsDeletionOfAnAccountWithABodyDeletesNothing() {
        Accounts.Account admin = accounts.admin();
        Accounts.Account user = accounts.register(uniqueEmail("kept"));

        assertRefusedAndThenDone("/api/v1/users/" + user.id(), admin,
                () -> api.get("/api/v1/users/" + user.id(), "Authorization", admin.authorization()).status());
    }

    @Test
    void aDevicesDeletionWithABodyDeletesNothing() {
        Accounts.Account user = accounts.register(uniqueEmail("kept"));
        String device = (String) api.post("/api/v1/users/me/devices", Map.of("token", "token-of-" + user.id(), "platform", "ios"),
                "Authorization", user.authorization()).data().get("id");

        assertRefusedAndThenDone("/api/v1/users/me/devices/" + device, user,
                () -> api.get("/api/v1/users/me/devices/" + device, "Authorization", user.authorization()).status());
    }

    @Test
    void aSessionsRevocationWithABodyEndsNothing() {
        Accounts.Account user = accounts.register(uniqueEmail("kept"));
        Accounts.Account other = accounts.login(user.email());
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> sessions = (List<Map<String, Object>>) api.get("/api/v1/auth/sessions",
                "Authorization", user.authorization()).body().get("data");
        String session = (String) sessions.stream().filter(listed -> Boolean.FALSE.equals(listed.get("current")))
                .findFirst().orElseThrow().get("id");

        assertRefusedAndThenDone("/api/v1/auth/sessions/" + session, user,
                () -> api.get("/api/v1/users/me", "Authorization", other.authorization()).status());
    }

    /**
     * Every bad body is refused with its error while {@code stillThere} answers 200; then the DELETE without a body
     * does its work, so the refusals were not for some other reason.
     */
    private static void assertRefusedAndThenDone(String path, Accounts.Account caller, IntSupplier stillThere) {
        BAD_BODIES.forEach((body, error) -> {
            assertError(api.send("DELETE", path, body, "Authorization", caller.authorization(), "Content-Type", "application/json"),
                    400, error);
            assertEquals(200, stillThere.getAsInt(), path + " after " + body);
        });
        assertEquals(200, api.send("DELETE", path, "{}", "Authorization", caller.authorization(), "Content-Type", "application/json").status(),
                path + " with an empty object");
    }
}
