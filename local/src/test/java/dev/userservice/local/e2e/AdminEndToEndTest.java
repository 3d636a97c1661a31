package dev.userservice.local.e2e;

import static dev.userservice.local.e2e.Accounts.PASSWORD;
import static dev.userservice.local.e2e.Accounts.assertError;
import static dev.userservice.local.e2e.Accounts.detailFields;
import static dev.userservice.local.e2e.Accounts.uniqueEmail;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.userservice.json.Json;
import dev.userservice.local.LocalOptions;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Administration end to end, over HTTP through the local runner: the operator's first admin, reading one account,
 * the admin listing with its cursor, and an admin changing another account's role or status.
 */
class AdminEndToEndTest {
    @RegisterExtension
    static final RunningService running = RunningService.shared();
    private static final Api api = running.api();
    private static final Accounts accounts = running.accounts();
    private static final PublishedEvents events = running.events();
    private static final Accounts.Account admin = accounts.admin();

    @Test
    void theOperatorPromotesAnAccountOnceAndItsNextTokenCarriesTheRole() throws Exception {
        String email = uniqueEmail("operator");
        Accounts.Account before = accounts.register(email);

        Map<String, Object> promoted = accounts.promote(email.toUpperCase());
        Map<String, Object> again = accounts.promote(email);

        assertEquals(Map.of("user_id", before.id(), "email", email, "role", "admin", "status", "active", "changed", true), promoted);
        assertEquals(false, again.get("changed"));
        assertEquals(List.of("user"), roles(before), "tokens issued before keep their roles until they expire");
        assertEquals(List.of("admin"), roles(accounts.login(email)));
        @SuppressWarnings("unchecked")
        Map<String, Object> data = (Map<String, Object>) events.await("user.updated", before.id()).get("data");
        assertEquals(List.of("role"), data.get("changed"));
    }

    @Test
    void theSampleEventAndBadInputOfThePromotionAnswerWithoutAnEnvelope() throws Exception {
        byte[] sample = java.nio.file.Files.readAllBytes(LocalOptions.defaults().template().getParent().resolve("events/promote-admin.json"));
        Map<String, Object> unknown = accounts.invoke("PromoteAdminFunction", sample);
        assertEquals("not_found", unknown.get("error"), "nobody registered admin@example.com here");

        assertEquals("validation_failed", accounts.invoke("PromoteAdminFunction", Json.writeBytes(Map.of("email", "not an email"))).get("error"));
        assertEquals("validation_failed", accounts.invoke("PromoteAdminFunction", Json.writeBytes(Map.of("email", "a@example.com", "role", "x"))).get("error"));
        assertEquals("malformed_json", accounts.invoke("PromoteAdminFunction", "[1]".getBytes(StandardCharsets.UTF_8)).get("error"));
    }

    @Test
    void oneAccountIsReadByItsUserAnAdminButNoOtherUser() {
        Accounts.Account alice = accounts.register(uniqueEmail("reader"));
        Accounts.Account bob = accounts.register(uniqueEmail("other"));
        String path = "/api/v1/users/" + alice.id();

        Api.Response self = api.get(path, "Authorization", alice.authorization());
        assertEquals(200, self.status(), self.text());
        assertEquals(accounts.me(alice).data(), self.data());
        assertError(api.get(path, "Authorization", bob.authorization()), 403, "forbidden");
        Api.Response byAdmin = api.get(path, "Authorization", admin.authorization());
        assertEquals(200, byAdmin.status(), byAdmin.text());
        assertEquals(alice.id(), byAdmin.data().get("id"));
        Api.Response upperCase = api.get("/api/v1/users/" + alice.id().toUpperCase(Locale.ROOT), "Authorization", admin.authorization());
        assertEquals(byAdmin.data(), upperCase.data(), "RFC 9562 reads a UUID in either case, as Swift's uuidString writes it");
        assertError(api.get("/api/v1/users/" + UUID.randomUUID(), "Authorization", admin.authorization()), 404, "not_found");
        assertError(api.get("/api/v1/users/not-a-uuid", "Authorization", admin.authorization()), 404, "not_found");
        assertError(api.get(path), 401, "unauthorized");
    }

    @Test
    void theListingPagesThroughAPrefixWithATamperCheckedCursor() {
        String prefix = "page-" + UUID.randomUUID().toString().substring(0, 8);
        List<String> emails = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            emails.add(accounts.register(prefix + "-" + (char) ('a' + i) + "@example.com").email());
        }

        List<String> listed = new ArrayList<>();
        String cursor = null;
        List<Boolean> hasNext = new ArrayList<>();
        do {
            Api.Response page = list("email_prefix=" + prefix.toUpperCase() + "&limit=10" + (cursor == null ? "" : "&cursor=" + cursor), admin);
            assertEquals(200, page.status(), page.text());
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> users = (List<Map<String, Object>>) page.body().get("data");
            users.forEach(user -> listed.add((String) user.get("email")));
            assertTrue(users.stream().noneMatch(user -> user.containsKey("password_hash")));
            @SuppressWarnings("unchecked")
            Map<String, Object> meta = (Map<String, Object>) page.body().get("meta");
            assertEquals(10L, meta.get("limit"));
            hasNext.add((Boolean) meta.get("has_next"));
            cursor = (String) meta.get("next_cursor");
            assertEquals(meta.get("has_next"), cursor != null);
        } while (cursor != null);

        assertEquals(emails, listed, "every account once, in email order");
        assertEquals(List.of(true, true, false), hasNext);
    }

    @Test
    void aTamperedForeignOrMalformedCursorOrLimitIsRefused() {
        String prefix = "tamper-" + UUID.randomUUID().toString().substring(0, 8);
        for (int i = 0; i < 3; i++) {
            accounts.register(prefix + "-" + i + "@example.com");
        }
        Api.Response first = list("email_prefix=" + prefix + "&limit=1", admin);
        @SuppressWarnings("unchecked")
        String cursor = (String) ((Map<String, Object>) first.body().get("meta")).get("next_cursor");
        assertNotNull(cursor, first.text());
        byte[] sealed = Base64.getUrlDecoder().decode(cursor.substring(cursor.indexOf('.') + 1));
        sealed[0] ^= 1;
        String forged = cursor.substring(0, cursor.indexOf('.') + 1) + Base64.getUrlEncoder().withoutPadding().encodeToString(sealed);

        for (String query : List.of("cursor=" + forged + "&email_prefix=" + prefix, "cursor=" + cursor + "&email_prefix=" + prefix + "-",
                "cursor=" + cursor, "cursor=garbage&email_prefix=" + prefix, "cursor=" + cursor.replace('.', 'x') + "&email_prefix=" + prefix)) {
            Api.Response refused = list(query, admin);
            assertError(refused, 400, "validation_failed");
            assertEquals(List.of("cursor"), detailFields(refused), query);
        }
        for (String query : List.of("limit=0", "limit=101", "limit=ten", "limit=-1", "sort=email")) {
            assertError(list(query, admin), 400, "validation_failed");
        }
        assertEquals(200, list("email_prefix=" + prefix + "&cursor=" + cursor, admin).status(), "the untouched cursor works");
    }

    @Test
    void theFullListingWalksTheShardsInEmailOrder() {
        String tag = UUID.randomUUID().toString().substring(0, 8);
        List<String> mine = List.of("0" + tag + "@example.com", "m" + tag + "@example.com", "z" + tag + "@example.com", "+" + tag + "@example.com");
        mine.forEach(accounts::register);

        List<String> listed = new ArrayList<>();
        String cursor = null;
        do {
            Api.Response page = list("limit=100" + (cursor == null ? "" : "&cursor=" + cursor), admin);
            assertEquals(200, page.status(), page.text());
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> users = (List<Map<String, Object>>) page.body().get("data");
            users.forEach(user -> listed.add((String) user.get("email")));
            @SuppressWarnings("unchecked")
            Map<String, Object> meta = (Map<String, Object>) page.body().get("meta");
            cursor = (String) meta.get("next_cursor");
        } while (cursor != null);

        assertEquals(mine, listed.stream().filter(email -> email.contains(tag)).toList(),
                "digits, then letters, then addresses starting with anything else");
        assertEquals(listed.size(), listed.stream().distinct().count());
    }

    @Test
    void onlyAdminsListOrChangeAccounts() {
        Accounts.Account alice = accounts.register(uniqueEmail("plain"));
        Accounts.Account bob = accounts.register(uniqueEmail("target"));

        assertError(list("limit=5", alice), 403, "forbidden");
        assertError(accounts.patch("/api/v1/users/" + bob.id(), alice, Map.of("role", "admin")), 403, "forbidden");
        assertError(accounts.patch("/api/v1/users/" + alice.id(), alice, Map.of("role", "admin")), 403, "forbidden");
        assertEquals("user", accounts.me(alice).data().get("role"));
    }

    @Test
    void disablingAnAccountEndsItsSessionsAndRefusesItsSignIn() {
        String email = uniqueEmail("disabled");
        Accounts.Account alice = accounts.register(email);
        assertEquals(200, accounts.me(alice).status(), "a session marker is cached");

        Api.Response disabled = accounts.patch("/api/v1/users/" + alice.id(), admin, Map.of("status", "disabled"));

        assertEquals(200, disabled.status(), disabled.text());
        assertEquals("disabled", disabled.data().get("status"));
        assertError(accounts.me(alice), 401, "unauthorized");
        assertEquals("invalid_token", api.post("/api/v1/auth/refresh", Map.of("refresh_token", alice.refreshToken())).error(),
                "the session was revoked, which refresh reports before the account's status");
        Api.Response login = api.post("/api/v1/auth/login", Map.of("email", email, "password", PASSWORD));
        assertError(login, 403, "account_disabled");
        @SuppressWarnings("unchecked")
        Map<String, Object> data = (Map<String, Object>) events.await("user.updated", alice.id()).get("data");
        assertEquals(List.of("status"), data.get("changed"));

        assertEquals(200, accounts.patch("/api/v1/users/" + alice.id(), admin, Map.of("status", "active")).status());
        accounts.login(email);
    }

    @Test
    void anAdminCannotChangeTheirOwnRoleOrStatus() {
        String path = "/api/v1/users/" + admin.id();
        assertError(accounts.patch(path, admin, Map.of("role", "user")), 403, "forbidden");
        assertError(accounts.patch(path, admin, Map.of("status", "disabled")), 403, "forbidden");
        assertEquals("admin", api.get(path, "Authorization", admin.authorization()).data().get("role"));
        assertEquals("active", api.get(path, "Authorization", admin.authorization()).data().get("status"));
    }

    @Test
    void badAdminChangesAreRefusedAndChangeNothing() {
        Accounts.Account bob = accounts.register(uniqueEmail("unchanged"));
        String path = "/api/v1/users/" + bob.id();
        Map<String, Object> before = api.get(path, "Authorization", admin.authorization()).data();

        for (Map<String, Object> body : List.<Map<String, Object>>of(Map.of("role", "service"), Map.of("role", "root"),
                Map.of("status", "deleted"), Map.of("role", true), Map.of("email", "x@example.com"), Map.of("name", "Renamed"))) {
            assertError(accounts.patch(path, admin, body), 400, "validation_failed");
        }
        assertError(accounts.patch("/api/v1/users/" + UUID.randomUUID(), admin, Map.of("role", "admin")), 404, "not_found");
        assertEquals(before, api.get(path, "Authorization", admin.authorization()).data());

        Api.Response promoted = accounts.patch(path, admin, Map.of("role", "admin"));
        assertEquals(200, promoted.status(), promoted.text());
        assertEquals("admin", promoted.data().get("role"));
        Api.Response demoted = accounts.patch(path, admin, Map.of("role", "user"));
        assertEquals("user", demoted.data().get("role"));
        assertError(accounts.me(bob), 401, "unauthorized");
    }

    private static Api.Response list(String query, Accounts.Account caller) {
        return api.get("/api/v1/users?" + query, "Authorization", caller.authorization());
    }

    @SuppressWarnings("unchecked")
    private static List<String> roles(Accounts.Account account) throws Exception {
        return (List<String>) com.nimbusds.jwt.SignedJWT.parse(account.accessToken()).getJWTClaimsSet().getClaim("roles");
    }
}
