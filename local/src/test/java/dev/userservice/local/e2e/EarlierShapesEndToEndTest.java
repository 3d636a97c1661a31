package dev.userservice.local.e2e;

import static dev.userservice.local.e2e.Accounts.PASSWORD;
import static dev.userservice.local.e2e.Accounts.assertError;
import static dev.userservice.local.e2e.Accounts.detailFields;
import static dev.userservice.local.e2e.Accounts.uniqueEmail;
import static dev.userservice.local.e2e.Api.bearer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.userservice.json.Json;
import dev.userservice.local.e2e.Accounts.Account;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The earlier services' request bodies at the canonical routes, read where their meaning is unambiguous and refused
 * by name where it is not, and the answer fields their clients read (Simple JWT's {@code access} and {@code refresh},
 * {@code ?page_size=}).
 */
class EarlierShapesEndToEndTest {
    private static final String ME = "/api/v1/users/me";
    private static final String DEVICES = ME + "/devices";

    @RegisterExtension
    static final RunningService running = RunningService.shared();
    private static final Api api = running.api();
    private static final Accounts accounts = running.accounts();

    @Test
    void aRegistrationWithFullNameUsernameAndConfirmationIsAnsweredWithSimpleJwtsNamesToo() {
        String username = uniqueUsername();
        Api.Response registered = api.post("/api/v1/auth/register", Map.of("email", uniqueEmail("legacy"),
                "username", username, "full_name", "Test User", "password", PASSWORD, "confirm_password", PASSWORD));

        assertEquals(201, registered.status(), registered.text());
        Map<String, Object> grant = registered.data();
        assertEquals(grant.get("access_token"), grant.get("access"));
        assertEquals(grant.get("refresh_token"), grant.get("refresh"));
        assertEquals("Test User", user(grant).get("name"));
        assertEquals(username, user(grant).get("username"));
    }

    @Test
    void aRegistrationWhoseConfirmationDiffersIsRefusedNamingItAndStoresNothing() {
        String email = uniqueEmail("legacy");
        Api.Response refused = api.post("/api/v1/auth/register", Map.of("email", email, "name", "Test User",
                "password", PASSWORD, "confirm_password", PASSWORD + "!"));

        assertEquals(400, refused.status(), refused.text());
        assertEquals(List.of("confirm_password"), detailFields(refused));
        assertTrue(refused.text().contains("must be the same as password"), refused.text());
        assertError(api.post("/api/v1/auth/login", Map.of("email", email, "password", PASSWORD)), 401, "invalid_credentials");
    }

    @Test
    void aUsernameIsOneAccountsCaseInsensitivelyAndSignsIn() {
        String username = uniqueUsername();
        Account alice = register(uniqueEmail("alice"), username);

        assertError(api.post("/api/v1/auth/register", withUsername(uniqueEmail("bob"), username.toUpperCase())), 409, "username_taken");
        Api.Response login = api.post("/api/v1/auth/login", Map.of("username", username.toUpperCase(), "password", PASSWORD));

        assertEquals(200, login.status(), login.text());
        assertEquals(alice.id(), user(login.data()).get("id"));
        assertEquals(login.data().get("access_token"), login.data().get("access"));
        assertEquals(login.data().get("refresh_token"), login.data().get("refresh"));
    }

    @Test
    void aDeletedAccountsUsernameIsFreeAgain() {
        String username = uniqueUsername();
        Account alice = register(uniqueEmail("alice"), username);

        Api.Response deleted = api.send("DELETE", ME, Json.write(Map.of("password", PASSWORD)),
                "Authorization", alice.authorization(), "Content-Type", "application/json");
        assertEquals(200, deleted.status(), deleted.text());

        assertEquals(username, user(accounts.registerGrant(withUsername(uniqueEmail("bob"), username))).get("username"));
    }

    @Test
    void aChangedUsernameReleasesTheOldOne() {
        String first = uniqueUsername();
        Account alice = register(uniqueEmail("alice"), first);
        String second = uniqueUsername();

        Api.Response changed = accounts.patch(ME, alice, Map.of("username", second));
        assertEquals(200, changed.status(), changed.text());

        assertEquals(first, user(accounts.registerGrant(withUsername(uniqueEmail("bob"), first))).get("username"));
        assertError(api.post("/api/v1/auth/register", withUsername(uniqueEmail("carol"), second)), 409, "username_taken");
    }

    @Test
    void simpleJwtsRefreshAndLogoutBodiesAreRead() {
        Account alice = accounts.register(uniqueEmail("alice"));

        Api.Response refreshed = api.post("/api/v1/auth/refresh", Map.of("refresh", alice.refreshToken()));
        assertEquals(200, refreshed.status(), refreshed.text());
        assertEquals(refreshed.data().get("access_token"), refreshed.data().get("access"));
        assertEquals(refreshed.data().get("refresh_token"), refreshed.data().get("refresh"));

        String access = (String) refreshed.data().get("access");
        Api.Response loggedOut = api.post("/api/v1/auth/logout", Map.of("refresh", refreshed.data().get("refresh")),
                "Authorization", bearer(access));
        assertEquals(200, loggedOut.status(), loggedOut.text());
        assertError(api.get(ME, "Authorization", bearer(access)), 401, "unauthorized");
        assertError(api.post("/api/v1/auth/refresh", Map.of("refresh", refreshed.data().get("refresh"))), 401, "invalid_token");
    }

    /** A Simple JWT client signs out with its refresh token alone, or with an access token that ran out beside it. */
    @Test
    void aLogoutWithTheRefreshTokenAloneEndsItsSession() {
        Account alice = accounts.register(uniqueEmail("alice"));
        Account bob = accounts.register(uniqueEmail("bob"));

        Api.Response loggedOut = api.post("/api/v1/users/logout/", Map.of("refresh", alice.refreshToken()));
        Api.Response withARefusedAccessToken = api.post("/api/v1/users/logout/", Map.of("refresh", bob.refreshToken()),
                "Authorization", bearer(bob.accessToken() + "x"));

        assertEquals(200, loggedOut.status(), loggedOut.text());
        assertEquals(200, withARefusedAccessToken.status(), withARefusedAccessToken.text());
        for (Account signedOut : List.of(alice, bob)) {
            assertError(api.get(ME, "Authorization", bearer(signedOut.accessToken())), 401, "unauthorized");
            assertError(api.post("/api/v1/auth/refresh", Map.of("refresh", signedOut.refreshToken())), 401, "invalid_token");
        }
        assertError(api.post("/api/v1/users/logout/", Map.of("refresh", alice.refreshToken())), 401, "invalid_token");
        assertError(api.post("/api/v1/users/logout/", Map.of()), 401, "unauthorized");
    }

    /** An accepted access token names the session that ends: another's refresh token beside it ends nothing of theirs. */
    @Test
    void aLogoutWithAnAccessTokenEndsItsOwnSessionWhateverRefreshTokenIsBesideIt() {
        Account alice = accounts.register(uniqueEmail("alice"));
        Account bob = accounts.register(uniqueEmail("bob"));

        Api.Response loggedOut = api.post("/api/v1/auth/logout", Map.of("refresh_token", bob.refreshToken()),
                "Authorization", bearer(alice.accessToken()));

        assertEquals(200, loggedOut.status(), loggedOut.text());
        assertError(api.get(ME, "Authorization", bearer(alice.accessToken())), 401, "unauthorized");
        assertEquals(200, api.get(ME, "Authorization", bearer(bob.accessToken())).status(), "Bob is still signed in");
        assertEquals(200, api.post("/api/v1/auth/refresh", Map.of("refresh_token", bob.refreshToken())).status());
    }

    @Test
    void aSynonymAndItsFieldWithDifferentValuesAreRefused() {
        Account alice = accounts.register(uniqueEmail("alice"));

        Api.Response refused = api.post("/api/v1/auth/refresh", Map.of("refresh", alice.refreshToken(), "refresh_token", "other"));

        assertEquals(400, refused.status(), refused.text());
        assertEquals(List.of("refresh"), detailFields(refused));
        assertTrue(refused.text().contains("differs from refresh_token"), refused.text());
        assertEquals(200, api.post("/api/v1/auth/refresh", Map.of("refresh_token", alice.refreshToken())).status(),
                "the refused request used nothing up");
    }

    @Test
    void aPasswordChangeWithOldPasswordAndAConfirmationIsRead() {
        Account alice = accounts.register(uniqueEmail("alice"));
        String next = "violet harbour candle " + UUID.randomUUID();

        Api.Response mismatch = api.post("/api/v1/auth/change-password", Map.of("old_password", PASSWORD,
                "new_password", next, "confirm_password", next + "x"), "Authorization", alice.authorization());
        assertEquals(400, mismatch.status(), mismatch.text());
        assertEquals(List.of("confirm_password"), detailFields(mismatch));
        assertTrue(mismatch.text().contains("must be the same as new_password"), mismatch.text());

        Api.Response changed = api.post("/api/v1/auth/change-password", Map.of("old_password", PASSWORD,
                "new_password", next, "confirm_password", next), "Authorization", alice.authorization());
        assertEquals(200, changed.status(), changed.text());
        assertEquals(200, api.post("/api/v1/auth/login", Map.of("email", alice.email(), "password", next)).status());
    }

    @Test
    void aPutOfTheFetchedProfileReplacesItAndIgnoresTheReadOnlyFieldsSentBack() {
        Account alice = accounts.register(uniqueEmail("alice"));
        Map<String, Object> fetched = new LinkedHashMap<>(accounts.me(alice).data());
        fetched.remove("name");
        fetched.put("full_name", "Alice Replaced");
        fetched.put("attributes", Map.of("plan", "pro"));

        Api.Response replaced = put(ME, alice, fetched);

        assertEquals(200, replaced.status(), replaced.text());
        assertEquals("Alice Replaced", replaced.data().get("name"));
        assertEquals(Map.of("plan", "pro"), replaced.data().get("attributes"));
        assertEquals(fetched.get("created_at"), replaced.data().get("created_at"));
    }

    @Test
    void aPutChangingReadOnlyFieldsIsRefusedNamingThemAndChangesNothing() {
        Account alice = accounts.register(uniqueEmail("alice"));
        Map<String, Object> fetched = new LinkedHashMap<>(accounts.me(alice).data());
        fetched.put("role", "admin");
        fetched.put("id", UUID.randomUUID().toString());
        fetched.put("name", "Mallory");

        Api.Response refused = put(ME, alice, fetched);

        assertEquals(400, refused.status(), refused.text());
        assertEquals(List.of("id", "role"), detailFields(refused));
        assertEquals("Alice Example", accounts.me(alice).data().get("name"));
        assertEquals(List.of("id"), detailFields(accounts.patch(ME, alice, Map.of("id", alice.id()))),
                "a PATCH still takes no read-only field");
    }

    /** The earlier FastAPI service kept the job title and location on the user: here they are the extended profile's. */
    @Test
    void theEarlierJobFieldsOfTheAccountAreTheExtendedProfilesTitleAndLocation() {
        Account alice = accounts.register(uniqueEmail("alice"));

        Api.Response updated = api.send("PATCH", ME, Json.write(Map.of("current_title", "Software Engineer", "location", "Lagos")),
                "Authorization", alice.authorization(), "Content-Type", "application/json");
        assertEquals(200, updated.status(), updated.text());
        Map<String, Object> profile = api.get(ME + "/profile", "Authorization", alice.authorization()).data();
        assertEquals(List.of("Software Engineer", "Lagos"), List.of(profile.get("title"), profile.get("location")));

        Map<String, Object> cleared = new LinkedHashMap<>();
        cleared.put("current_title", null);
        assertEquals(200, put(ME, alice, cleared).status());
        profile = api.get(ME + "/profile", "Authorization", alice.authorization()).data();
        assertNull(profile.get("title"), "null clears it");
        assertEquals("Lagos", profile.get("location"), "what is left out stays");
    }

    @Test
    void aPutOfTheFetchedDeviceReplacesItAndRefusesAChangedToken() {
        Account alice = accounts.register(uniqueEmail("alice"));
        Api.Response registered = api.post(DEVICES, Map.of("token", "fcm-" + UUID.randomUUID(), "platform", "android",
                "device_name", "Phone"), "Authorization", alice.authorization());
        assertEquals(201, registered.status(), registered.text());
        String path = DEVICES + "/" + registered.data().get("id");
        Map<String, Object> fetched = new LinkedHashMap<>(api.get(path, "Authorization", alice.authorization()).data());

        Map<String, Object> changedToken = new LinkedHashMap<>(fetched);
        changedToken.put("token", "fcm-another");
        Api.Response refused = put(path, alice, changedToken);
        assertEquals(400, refused.status(), refused.text());
        assertEquals(List.of("token"), detailFields(refused));

        fetched.remove("device_name");
        fetched.put("active", false);
        Api.Response replaced = put(path, alice, fetched);
        assertEquals(200, replaced.status(), replaced.text());
        assertEquals(null, replaced.data().get("device_name"));
        assertEquals(false, replaced.data().get("active"));
    }

    @Test
    void pageSizeIsLimitOnPagedLists() {
        Account alice = accounts.register(uniqueEmail("alice"));
        for (int i = 0; i < 2; i++) {
            api.post(DEVICES, Map.of("token", "fcm-" + UUID.randomUUID(), "platform", "ios"), "Authorization", alice.authorization());
        }

        Api.Response page = api.get(DEVICES + "?page_size=1", "Authorization", alice.authorization());
        assertEquals(200, page.status(), page.text());
        assertEquals(1L, ((Map<?, ?>) page.body().get("meta")).get("limit"));
        assertEquals(1, ((List<?>) page.body().get("data")).size());

        Api.Response history = api.get("/api/v1/users/" + alice.id() + "/notifications?page_size=5", "Authorization", alice.authorization());
        assertEquals(200, history.status(), history.text());
        assertEquals(5L, ((Map<?, ?>) history.body().get("meta")).get("limit"));

        assertEquals(List.of("page_size"), detailFields(api.get(DEVICES + "?page_size=1&limit=2", "Authorization", alice.authorization())));
    }

    @Test
    void aStatusWithoutUserIdIsOfTheUserAnEarlierStatusNamed() {
        Account alice = accounts.register(uniqueEmail("alice"));
        String notification = "notif-" + UUID.randomUUID();
        String service = bearer(running.serviceToken());
        assertEquals(201, api.post("/api/v1/email/status", Map.of("notification_id", notification, "user_id", alice.id(),
                "status", "sent"), "Authorization", service).status());

        Api.Response delivered = api.post("/api/v1/email/status", Map.of("notification_id", notification, "status", "delivered"),
                "Authorization", service);

        assertEquals(201, delivered.status(), delivered.text());
        assertEquals(alice.id(), delivered.data().get("user_id"));
    }

    @Test
    void aStatusWithoutUserIdOfAnUnknownNotificationIsRefusedSayingSo() {
        Api.Response refused = api.post("/api/v1/email/status", Map.of("notification_id", "notif-" + UUID.randomUUID(),
                "status", "delivered"), "Authorization", bearer(running.serviceToken()));

        assertEquals(400, refused.status(), refused.text());
        assertEquals(List.of("user_id"), detailFields(refused));
        assertTrue(refused.text().contains("no earlier status of this notification"), refused.text());
    }

    private static Account register(String email, String username) {
        Map<String, Object> grant = accounts.registerGrant(withUsername(email, username));
        return new Account((String) user(grant).get("id"), email, (String) grant.get("access_token"), (String) grant.get("refresh_token"));
    }

    private static Map<String, Object> withUsername(String email, String username) {
        Map<String, Object> body = Accounts.registration(email);
        body.put("username", username);
        return body;
    }

    private static Api.Response put(String path, Account caller, Object body) {
        return api.send("PUT", path, Json.write(body), "Authorization", caller.authorization(), "Content-Type", "application/json");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> user(Map<String, Object> grant) {
        Map<String, Object> user = (Map<String, Object>) grant.get("user");
        assertNotNull(user, grant.toString());
        return user;
    }

    private static String uniqueUsername() {
        return "user_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    }
}
